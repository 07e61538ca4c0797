from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from skills_site.forms import ThaiDateField
from skills_site.thai_calendar import format_be_date

from .models import ApiClient


class ApiClientForm(forms.ModelForm):
    expires_on = ThaiDateField(
        label=_("Expires on"),
        help_text=_("The token stops working at the end of this day (Bangkok time)."),
    )
    form_key = forms.CharField(widget=forms.HiddenInput)

    class Meta:
        model = ApiClient
        fields = ["name", "org_unit"]

    def __init__(self, *args, units, department_wide: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units.order_by("code")
        self.fields["org_unit"].required = not department_wide
        if not department_wide:
            self.fields["org_unit"].help_text = _("The token reads this unit and every unit below it.")
        if not self.is_bound:
            self.initial["expires_on"] = timezone.localdate() + dt.timedelta(days=90)

    def clean_expires_on(self) -> dt.date:
        day = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        longest = settings.API_TOKEN_MAX_DAYS
        last_day = today + dt.timedelta(days=longest)
        if day < today:
            raise forms.ValidationError(_("Choose today or a later day."))
        if day > last_day:
            raise forms.ValidationError(
                _("A token lives at most %(days)s days: choose %(last)s or earlier.")
                % {"days": longest, "last": format_be_date(last_day, translation.get_language() or "th")}
            )
        return day
