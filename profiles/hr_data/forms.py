from django import forms
from django.utils.translation import gettext_lazy as _

from .models import StaffImport
from .staff_import import MAX_BYTES


class StaffImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=StaffImport.Kind.choices)
    file = forms.FileField(
        label=_("CSV or Excel file"), help_text=_("UTF-8 or Thai Windows-874 CSV, or .xlsx.")
    )
    deactivate_missing = forms.BooleanField(
        label=_("Staff list: deactivate everyone who is not in the file"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // 2**20}
            )
        return upload
