"""The training demand page's choices: which plan, which fiscal year, and an optional budget ceiling."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..reports.models import CapabilityPlan
from .selectors import default_year, plan_years

MAX_CEILING = Decimal("10000000000")  # ten billion baht: beyond a department's whole budget


class TrainingDemandForm(forms.Form):
    plan = forms.ModelChoiceField(
        label=_("Plan"),
        queryset=CapabilityPlan.objects.filter(is_active=True),
        required=False,
        empty_label=None,
    )
    fiscal_year = forms.IntegerField(
        label=_("Fiscal year (B.E.)"), required=False, min_value=2400, max_value=2800
    )
    ceiling = forms.CharField(
        label=_("Budget ceiling (baht)"),
        required=False,
        max_length=32,
        help_text=_("Optional. Leave empty for the cheapest plan that meets every target."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": _("e.g. 1,500,000")}),
    )

    def __init__(self, *args, now: dt.datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now
        self.fields["plan"].error_messages["invalid_choice"] = _("There is no such active plan.")

    def clean_ceiling(self) -> Decimal | None:
        raw = (self.cleaned_data.get("ceiling") or "").strip()
        raw = re.sub(r"[\s,฿]|บาท|baht", "", raw, flags=re.IGNORECASE)
        if not raw:
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise ValidationError(_("Enter the ceiling in baht, for example 1,500,000.")) from None
        if not value.is_finite():
            raise ValidationError(_("Enter the ceiling in baht, for example 1,500,000."))
        if value < 0:
            raise ValidationError(_("A budget ceiling cannot be negative."))
        if value > MAX_CEILING:
            raise ValidationError(
                _("More than ten billion baht is not a plausible ceiling: check the figure.")
            )
        return value.quantize(Decimal("1"))

    def clean(self):
        cleaned = super().clean()
        plan = cleaned.get("plan")
        if plan is None:
            return cleaned
        years = plan_years(plan, now=self.now)
        if not years:
            raise ValidationError(
                _(
                    "%(plan)s has no fiscal year ahead: it ended with FY%(last)s. Choose another plan, or "
                    "extend this one under Plans & reports → Capability plans."
                )
                % {"plan": plan.name, "last": plan.last_fiscal_year}
            )
        year = cleaned.get("fiscal_year")
        if year is None:
            cleaned["fiscal_year"] = default_year(plan, now=self.now)
        elif year not in years:
            self.add_error(
                "fiscal_year",
                _(
                    "A training plan is made for a fiscal year of the plan that is not over: "
                    "FY%(first)s to FY%(last)s."
                )
                % {"first": years[0], "last": years[-1]},
            )
        return cleaned
