"""Forms for plans and reports: the report filters, and the admin form that checks a plan target."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from skills_site.forms import ThaiDateField

from ..organisation.models import OrgUnit, PersonnelGroup
from .models import CapabilityPlan
from .selectors import population_headcount


class CapabilityFilterForm(forms.Form):
    """Which plan, which part of the workforce, which year and which structure a report shows.

    ``allowed_unit_ids`` is None for HR (everything) or the units a manager may see; a unit outside
    it is refused with a message, never reported on.
    """

    plan = forms.ModelChoiceField(
        label=_("Plan"),
        queryset=CapabilityPlan.objects.filter(is_active=True),
        required=False,
        empty_label=None,
    )
    org_unit = forms.ModelChoiceField(
        label=_("Org unit"), queryset=OrgUnit.objects.filter(is_active=True), required=False,
        empty_label=_("Whole department"),
    )  # fmt: skip
    personnel_group = forms.ModelChoiceField(
        label=_("Personnel group"), queryset=PersonnelGroup.objects.all(), required=False,
        empty_label=_("All personnel groups"),
    )  # fmt: skip
    fiscal_year = forms.IntegerField(
        label=_("Fiscal year (for breakdowns)"), required=False, min_value=2400, max_value=2800
    )
    as_recorded_on = ThaiDateField(
        label=_("Figures as recorded on"),
        required=False,
        help_text=_("Leave empty for today's figures; a past day reproduces what the report showed then."),
    )
    structure = forms.ChoiceField(
        label=_("Count people"),
        required=False,
        choices=[
            ("at_time", _("where they were at the time")),
            ("today", _("by today's structure")),
        ],
    )

    def __init__(self, *args, allowed_unit_ids: set[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed_unit_ids = allowed_unit_ids
        unit_field = self.fields["org_unit"]
        unit_field.error_messages["invalid_choice"] = _("You can only report on units you can see.")
        if allowed_unit_ids is not None:
            unit_field.queryset = OrgUnit.objects.filter(id__in=allowed_unit_ids)
            unit_field.empty_label = None

    def clean_org_unit(self):
        unit = self.cleaned_data.get("org_unit")
        if self.allowed_unit_ids is None:
            return unit
        if unit is None:
            raise ValidationError(_("Choose one of the units you manage."))
        if unit.pk not in self.allowed_unit_ids:
            raise ValidationError(_("You can only report on units you can see."))
        return unit

    def clean_as_recorded_on(self):
        day = self.cleaned_data.get("as_recorded_on")
        if day is not None and day > timezone.localdate():
            raise ValidationError(
                _("Figures can be reproduced as recorded on a past day or today, not later on.")
            )
        return day

    def clean(self):
        cleaned = super().clean()
        plan, year = cleaned.get("plan"), cleaned.get("fiscal_year")
        if plan and year and not plan.first_fiscal_year <= year <= plan.last_fiscal_year:
            self.add_error(
                "fiscal_year",
                _("FY%(year)s is outside the plan, which runs from FY%(first)s to FY%(last)s.")
                % {"year": year, "first": plan.first_fiscal_year, "last": plan.last_fiscal_year},
            )
        cleaned["structure"] = cleaned.get("structure") or "at_time"
        return cleaned


class PlanTargetAdminForm(WagtailAdminModelForm):
    """Checks what the model alone cannot: the population and the list of yearly values."""

    def clean(self):
        cleaned = super().clean()
        unit = cleaned.get("org_unit")
        groups = cleaned.get("personnel_groups") or []
        if not self.errors and population_headcount(org_unit=unit, personnel_groups=groups) == 0:
            raise ValidationError(
                _("This population matches nobody: no active staff are in %(unit)s%(groups)s.")
                % {
                    "unit": unit.name if unit else _("the department"),
                    "groups": (_(" in the groups %(names)s") % {"names": ", ".join(g.name for g in groups)})
                    if groups
                    else "",
                }
            )
        return cleaned

    def is_valid(self):
        valid = super().is_valid()
        return self._check_values() and valid

    def _check_values(self) -> bool:
        """Target values: inside the plan's years, each period once, shares between 0 and 100."""
        formset = self.formsets.get("values") if hasattr(self, "formsets") else None
        plan = self.cleaned_data.get("plan") if hasattr(self, "cleaned_data") else None
        if formset is None or plan is None:
            return True
        seen, ok = set(), True
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            year, quarter = data.get("fiscal_year"), data.get("quarter")
            if year is None:
                continue
            label = f"FY{year}" + (f" Q{quarter}" if quarter else "")
            if not plan.first_fiscal_year <= year <= plan.last_fiscal_year:
                form.add_error(
                    "fiscal_year",
                    _("%(period)s is outside the plan (FY%(first)s–FY%(last)s).")
                    % {"period": label, "first": plan.first_fiscal_year, "last": plan.last_fiscal_year},
                )
                ok = False
            if (year, quarter) in seen:
                form.add_error("fiscal_year", _("%(period)s is given twice.") % {"period": label})
                ok = False
            seen.add((year, quarter))
        baseline = self.cleaned_data.get("baseline_fiscal_year")
        if baseline and seen and baseline >= min(year for year, _q in seen):
            self.add_error(
                "baseline_fiscal_year", _("The baseline year must come before the first year with a target.")
            )
            ok = False
        return ok
