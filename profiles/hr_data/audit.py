"""The audit trail: Wagtail's log of actions, with the project's own actions added.

Edits made through the admin (org unit heads, role targets, plan targets, users and their
groups) are logged by Wagtail itself; imports, anonymisation, acting heads and personal-data
downloads are logged here. Evidence carries its own trail: who recorded it and when, never changed.
HR reads all of it in the admin under Reports → Site history, with filters and CSV/Excel export.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

ACTIONS = {
    "profiles.import_commit": (_("Import committed"), _("Import committed")),
    "profiles.anonymise": (_("Person anonymised"), _("Person anonymised")),
    "profiles.personal_data_export": (_("Personal data downloaded"), _("Personal data downloaded")),
    "profiles.retention": (_("Retention applied"), _("Retention applied")),
    "profiles.training_plan_assign": (_("Training plan assigned"), _("Training plan assigned")),
}


def audit_log(*, instance, action: str, user=None, data: dict | None = None) -> None:
    log(instance=instance, action=action, user=user, data=data or {})


def register_actions(actions) -> None:
    """Called from the ``register_log_actions`` hook."""
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)
