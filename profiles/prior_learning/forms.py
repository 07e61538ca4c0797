"""The claim form (the employee) and the review form (their manager or HR)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skills_site.forms import ThaiDateField

from ..hr_data.staff_import import MAX_BYTES as IMPORT_MAX_BYTES
from .files import max_bytes


class ClaimForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Course or certificate"), max_length=255)
    provider = forms.CharField(
        label=gettext_lazy("Provider"),
        max_length=255,
        help_text=gettext_lazy("Who ran it: OCSC Learning Space, TDGA, a vendor…"),
    )
    completed_on = ThaiDateField(label=gettext_lazy("Completed on"))
    hours = forms.DecimalField(
        label=gettext_lazy("Hours"), min_value=0.5, max_value=2000, decimal_places=1, max_digits=6
    )
    competency = forms.ChoiceField(
        label=gettext_lazy("Competency it develops"),
        error_messages={
            "invalid_choice": gettext_lazy(
                "Choose a competency of your own frameworks (those on your profile): that one is not."
            )
        },
    )
    level = forms.ChoiceField(label=gettext_lazy("Level it shows"))
    file = forms.FileField(
        label=gettext_lazy("Proof (certificate or record)"),
        help_text=gettext_lazy("A PDF, or a picture (PNG or JPEG), of at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )

    def __init__(self, *args, competencies, scales, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = [("", "—")] + [
            (c.pk, f"{c.framework.code} · {c.code} {c.name}") for c in competencies
        ]
        self._competencies = {c.pk: c for c in competencies}
        frameworks = {c.framework_id: c.framework for c in competencies}
        self.fields["level"].choices = [("", "—")] + [
            (
                frameworks[framework_id].code,
                [(f"{framework_id}:{lv.level}", f"{lv.level} · {lv.name}") for lv in levels],
            )
            for framework_id, levels in scales.items()
            if framework_id in frameworks
        ]

    def clean_competency(self):
        value = self.cleaned_data["competency"]
        competency = self._competencies.get(int(value)) if str(value).isdigit() else None
        if competency is None:
            raise forms.ValidationError(_("Choose a competency of your own frameworks."))
        return competency

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": max_bytes() // 2**20}
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        competency, level = cleaned.get("competency"), cleaned.get("level")
        if competency and level:
            framework_id, _sep, number = level.partition(":")
            if framework_id != str(competency.framework_id) or not number.isdigit():
                self.add_error(
                    "level",
                    _("Choose a level on the scale of %(framework)s.")
                    % {"framework": competency.framework.code},
                )
            else:
                cleaned["level"] = int(number)
        return cleaned


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("accept", gettext_lazy("Accept")), ("reject", gettext_lazy("Reject"))],
        widget=forms.RadioSelect,
    )
    level = forms.TypedChoiceField(label=gettext_lazy("Level it counts as"), coerce=int, required=False)
    reason = forms.CharField(
        label=gettext_lazy("Reason (the employee reads it; required to reject)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, levels, initial_level, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(lv.level, f"{lv.level} · {lv.name}") for lv in levels]
        self.fields["level"].initial = initial_level

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Say why the claim is rejected: the employee will read it."))
        return cleaned


class CompletionImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or Excel file"),
        help_text=gettext_lazy(
            "Columns: staff number, course code or course title, completed on, provider, external id (Thai "
            "or "
            "English headers). UTF-8, UTF-16 or Thai Windows-874 CSV, or .xlsx; at most 20 MB."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": IMPORT_MAX_BYTES // 2**20}
            )
        return upload
