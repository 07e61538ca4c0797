from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import CompetencyFramework
from .csv_format import MAX_BYTES


class FrameworkImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Moodle framework file (CSV)"),
        help_text=gettext_lazy(
            "As Moodle exports it: Site administration → Competencies → Export competency framework. "
            "At most 5 MB."
        ),
    )
    version_label = forms.CharField(
        label=gettext_lazy("Version label"),
        max_length=32,
        required=False,
        help_text=gettext_lazy(
            "Only for a framework that is already here (same ID number): the label of the new version, "
            "such as 3.0. Left empty: the version the file names, or today's date."
        ),
    )
    replaces = forms.ModelChoiceField(
        label=gettext_lazy("As a new version of"),
        queryset=CompetencyFramework.objects.order_by("code", "version"),
        required=False,
        help_text=gettext_lazy(
            "Only when the file's ID number differs from the framework it replaces, such as DigComp-3.0 "
            "replacing DigComp-2.2: its competencies are then matched with that framework's by ID number."
        ),
    )
    deactivate_previous = forms.BooleanField(
        label=gettext_lazy("Deactivate the previous version once the new one is imported"),
        required=False,
        help_text=gettext_lazy("Its evidence stays with it either way; staff profiles stop showing it."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)}
            )
        return upload


class FrameworkExportForm(forms.Form):
    framework = forms.ModelChoiceField(
        label=gettext_lazy("Framework"), queryset=CompetencyFramework.objects.order_by("code", "version")
    )
