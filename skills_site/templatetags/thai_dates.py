"""Template filters that show dates as the reader's language expects (B.E. in Thai)."""

import datetime as dt

from django import template
from django.utils import translation

from skills_site import thai_calendar

register = template.Library()


@register.filter
def be_date(value: dt.date | dt.datetime | None, style: str = "") -> str:
    if not value:
        return ""
    language = translation.get_language() or "th"
    return thai_calendar.format_be_date(value, language, long=(style == "long"))


@register.filter
def be_datetime(value: dt.datetime | None) -> str:
    if not value:
        return ""
    return thai_calendar.format_be_datetime(value, translation.get_language() or "th")


@register.filter
def fiscal_year_label(fiscal_year: int) -> str:
    return thai_calendar.format_fiscal_year(fiscal_year, translation.get_language() or "th")


@register.filter
def be_date_or_datetime(value: dt.date | dt.datetime | None) -> str:
    """A datetime with its time, a date without: for templates that show either (Wagtail's dates)."""
    if isinstance(value, dt.datetime):
        return be_datetime(value)
    return be_date(value)
