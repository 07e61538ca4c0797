"""Forms for the catalogue filters, assigning a course and checking a certificate."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from profiles.models import CompetencyArea, PersonnelGroup
from skills_site.forms import ThaiDateField

from .records import CourseCompetency, CourseLanguage, CourseLevel
from .selectors import AssignScope


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    area = forms.ModelChoiceField(
        label=_("Competency area"),
        required=False,
        queryset=CompetencyArea.objects.none(),
        empty_label=_("Any"),
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("Any"))] + CourseLevel.choices
    )
    length = forms.ChoiceField(
        label=_("Length"),
        required=False,
        choices=[
            ("", _("Any")),
            ("short", _("Up to 1 hour")),
            ("medium", _("1 to 4 hours")),
            ("long", _("More than 4 hours")),
        ],
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any"))] + CourseLanguage.choices
    )
    mandatory = forms.BooleanField(label=_("Mandatory only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only areas some course develops, so that every choice can find something.
        self.fields["area"].queryset = (
            CompetencyArea.objects.filter(id__in=CourseCompetency.objects.values("competency__area_id"))
            .select_related("framework")
            .order_by("framework__code", "sort_order")
        )
        self.fields["area"].label_from_instance = lambda a: f"{a.framework.code} · {a.code} {a.name}"


STATUS_LABELS = [
    ("completed", _("Completed")),
    ("overdue", _("Overdue")),
    ("in_progress", _("In progress")),
    ("assigned", _("Assigned")),
    ("enrolled", _("Enrolled")),
]


class OptionAttrsMixin:
    """A choice widget whose options carry extra attributes per value (``option_attrs``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.option_attrs: dict[str, dict[str, str]] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"].update(self.option_attrs.get(str(value), {}))
        return option


class PickerCheckboxes(OptionAttrsMixin, forms.CheckboxSelectMultiple):
    """Checkboxes that carry each person's unit, so the page can tick a whole unit at once."""


class UnitSelect(OptionAttrsMixin, forms.Select):
    """A unit list whose options name the units below each one (``data-subtree``)."""


class AssignForm(forms.Form):
    """People, a whole unit or (HR) a personnel group, a due date and flags.

    The choices come from the assigner's scope (``courses.selectors.assign_scope``); the view also
    refuses, with a 403, any person or unit id posted from outside it.
    """

    employees = forms.MultipleChoiceField(label=_("People"), required=False, widget=PickerCheckboxes)
    org_unit = forms.ChoiceField(
        label=_("Whole org unit (with its sub-units)"), required=False, widget=UnitSelect
    )
    personnel_group = forms.ModelChoiceField(
        label=_("Whole personnel group"), required=False, queryset=PersonnelGroup.objects.none()
    )
    due_date = ThaiDateField(label=_("Due date"), required=False)
    mandatory = forms.BooleanField(label=_("Mandatory"), required=False)
    with_prerequisites = forms.BooleanField(
        label=_("Also assign the prerequisite courses to those who have not completed them"),
        required=False,
        initial=True,
    )

    def __init__(
        self,
        *args,
        scope: AssignScope,
        hr: bool = False,
        status: dict | None = None,
        has_prerequisites: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if not has_prerequisites:
            del self.fields["with_prerequisites"]
        status = status or {}
        labels = dict(STATUS_LABELS)
        people = self.fields["employees"]
        people.choices = [
            (
                str(e.pk),
                f"{e.full_name} · {e.org_unit.name}"
                + (f" ({labels[status[e.pk]]})" if status.get(e.pk) in labels else ""),
            )
            for e in scope.people
        ]
        people.widget.option_attrs = {str(e.pk): {"data-unit": str(e.org_unit_id)} for e in scope.people}
        units = self.fields["org_unit"]
        units.choices = [("", "—")] + [
            (str(u.pk), "\u2003" * u.depth + u.name) for u in scope.units
        ]
        units.widget.option_attrs = {
            str(unit_id): {"data-subtree": " ".join(str(i) for i in sorted(ids))}
            for unit_id, ids in scope.subtrees.items()
        }
        units.error_messages["invalid_choice"] = _(
            "You can assign courses only to people in the units you head: that unit is not one of them."
        )
        if hr:
            self.fields["personnel_group"].queryset = PersonnelGroup.objects.all()
        else:
            del self.fields["personnel_group"]
        if not scope.units:
            del self.fields["org_unit"]

    def clean_due_date(self):
        due = self.cleaned_data.get("due_date")
        if due and due < dt.date.today():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due

    def clean(self):
        data = super().clean()
        if not (data.get("employees") or data.get("org_unit") or data.get("personnel_group")):
            raise forms.ValidationError(_("Choose at least one person, org unit or personnel group."))
        return data


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Certificate code"), max_length=32)
