"""Form pieces shared by the site's own forms: a date field that speaks the page's calendar.

The browser's date picker shows mm/dd/yyyy in the Christian era whatever the page's language, so
the site asks for a day, a month by name and a year, the year in the Buddhist Era on Thai pages.
"""

from __future__ import annotations

import datetime as dt
import re
from calendar import monthrange

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .thai_calendar import BE_OFFSET, ENGLISH_MONTHS, THAI_MONTHS

# A date in one piece, as a link, an export query or a script may send it (never guessed at).
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
NUMBER = re.compile(r"\d{1,4}")  # Thai digits (๒๕๖๙) count too


def uses_buddhist_era(language: str | None = None) -> bool:
    return (language or translation.get_language() or "th").startswith("th")


def month_names(language: str | None = None) -> tuple[str, ...]:
    return THAI_MONTHS if uses_buddhist_era(language) else ENGLISH_MONTHS


def shown_year(ce_year: int, language: str | None = None) -> int:
    """The year as the page shows it: B.E. in Thai, C.E. in English."""
    return ce_year + BE_OFFSET if uses_buddhist_era(language) else ce_year


class ThaiDateWidget(forms.MultiWidget):
    """Day and month as lists, the year typed; posts ``<name>_day``, ``<name>_month``, ``<name>_year``."""

    template_name = "skills_site/widgets/thai_date.html"

    def __init__(self, attrs=None):
        widgets = {
            "day": forms.Select(attrs={"class": "date-dmy__day"}),
            "month": forms.Select(attrs={"class": "date-dmy__month"}),
            "year": forms.TextInput(
                attrs={
                    "class": "date-dmy__year",
                    "inputmode": "numeric",
                    "maxlength": "4",
                    "size": "4",
                    "autocomplete": "off",
                }
            ),
        }
        super().__init__(widgets, attrs)

    def get_context(self, name, value, attrs):
        buddhist = uses_buddhist_era()
        day, month, year = self.widgets
        day.choices = [("", _("Day"))] + [(str(n), str(n)) for n in range(1, 32)]
        month.choices = [("", _("Month"))] + [(str(n), label) for n, label in enumerate(month_names(), 1)]
        day.attrs["aria-label"] = _("Day")
        month.attrs["aria-label"] = _("Month")
        year.attrs["aria-label"] = _("Year (B.E.)") if buddhist else _("Year")
        year.attrs["placeholder"] = _("yyyy")
        context = super().get_context(name, value, attrs)
        context["widget"]["era"] = _("B.E.") if buddhist else ""
        return context

    def decompress(self, value):
        if isinstance(value, str) and ISO_DATE.fullmatch(value.strip()):
            try:
                value = dt.date.fromisoformat(value.strip())
            except ValueError:
                return [None, None, None]
        if isinstance(value, dt.date):
            return [str(value.day), str(value.month), str(shown_year(value.year))]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        if data.get(name):
            return data.get(name)
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)

    def id_for_label(self, id_):
        """The field's label points at the day, the first of the three."""
        return f"{id_}_0" if id_ else ""


class ThaiDateField(forms.Field):
    """A ``datetime.date`` entered as day / month / year, the year in the page's era.

    ``first_year`` and ``last_year`` bound the Christian-era year; they are far enough apart for any
    form's dates and closer than 543 years, so a year typed in the wrong era is caught, not shifted.
    """

    widget = ThaiDateWidget
    default_error_messages = {
        "required": _("Enter a date."),
        "incomplete": _("Enter the day, the month and the year."),
        "invalid": _("Enter a valid date: a day, a month and a year."),
        "year": _("Enter the year in digits, e.g. %(example)s."),
        "year_range": _("Enter a year from %(first)s to %(last)s."),
        "year_range_be": _("Enter the year in the Buddhist Era, from %(first)s to %(last)s."),
        "no_such_day": _("%(month)s %(year)s has only %(days)s days."),
    }

    def __init__(self, *, first_year: int = 1900, last_year: int = 2200, **kwargs):
        if not 0 < last_year - first_year < BE_OFFSET:
            raise ValueError("The year range must be under 543 years long, so that the eras cannot overlap.")
        self.first_year = first_year
        self.last_year = last_year
        super().__init__(**kwargs)

    def to_python(self, value) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            return self._from_iso(value.strip())
        parts = [str(part or "").strip() for part in value]
        if not any(parts):
            return None
        if not all(parts):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        day, month, year = parts
        if not NUMBER.fullmatch(year):
            raise ValidationError(
                self.error_messages["year"],
                code="year",
                params={"example": shown_year(dt.date.today().year)},
            )
        if not (NUMBER.fullmatch(day) and NUMBER.fullmatch(month)):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        day_n, month_n, year_n = int(day), int(month), int(year)
        ce_year = year_n - BE_OFFSET if uses_buddhist_era() else year_n
        self._check_year(ce_year)
        if not 1 <= month_n <= 12 or not 1 <= day_n <= 31:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        days = monthrange(ce_year, month_n)[1]
        if day_n > days:
            raise ValidationError(
                self.error_messages["no_such_day"],
                code="no_such_day",
                params={"month": month_names()[month_n - 1], "year": year_n, "days": days},
            )
        return dt.date(ce_year, month_n, day_n)

    def _from_iso(self, value: str) -> dt.date | None:
        if not value:
            return None
        if not ISO_DATE.fullmatch(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        self._check_year(day.year)
        return day

    def _check_year(self, ce_year: int) -> None:
        if self.first_year <= ce_year <= self.last_year:
            return
        code = "year_range_be" if uses_buddhist_era() else "year_range"
        raise ValidationError(
            self.error_messages[code],
            code="year_range",
            params={"first": shown_year(self.first_year), "last": shown_year(self.last_year)},
        )
