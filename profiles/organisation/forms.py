"""The staff record's admin form: leaving keeps history."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm


class EmployeeAdminForm(WagtailAdminModelForm):
    """Deactivating a person records the day they left (today, unless HR gives the day), so that
    reports keep counting them in the years they were there."""

    def clean(self):
        cleaned = super().clean()
        active, start, end = cleaned.get("is_active"), cleaned.get("start_date"), cleaned.get("end_date")
        today = timezone.localdate()
        if active is False and end is None:
            cleaned["end_date"] = max(today, start) if start else today
        elif active and end is not None and end < today:
            self.add_error(
                "is_active",
                _("Someone who left on %(day)s cannot be active: clear the end date or deactivate them.")
                % {"day": end},
            )
        if start and cleaned.get("end_date") and cleaned["end_date"] < start:
            self.add_error("end_date", ValidationError(_("The end date comes before the start date.")))
        return cleaned
