"""The audit trail: Wagtail's log of actions, with the project's own actions added.

Edits made through the admin (org unit heads, role targets, plan targets, users and their
groups) are logged by Wagtail itself; imports, anonymisation, acting heads and personal-data
downloads are logged here. Evidence carries its own trail: who recorded it and when, never changed.
HR reads all of it in the admin under Reports → Site history, with filters and CSV/Excel export.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

ACTIONS = {
    "profiles.import_commit": (_("Import committed"), _("Import committed")),
    "profiles.anonymise": (_("Person anonymised"), _("Person anonymised")),
    "profiles.personal_data_export": (_("Personal data downloaded"), _("Personal data downloaded")),
    "profiles.retention": (_("Retention applied"), _("Retention applied")),
    "api.client_create": (_("API client created"), _("API client created")),
    "api.client_revoke": (_("API client revoked"), _("API client revoked")),
    "api.call": (_("API call"), _("API call")),
    "api.refused": (_("API call refused"), _("API call refused")),
    "sso.sign_in": (_("Single sign-on accepted"), _("Single sign-on accepted")),
    "sso.refused": (_("Single sign-on refused"), _("Single sign-on refused")),
    "profiles.framework_import": (_("Competency framework imported"), _("Competency framework imported")),
    "profiles.completions_import": (_("Outside learning imported"), _("Outside learning imported")),
    "profiles.training_plan_assign": (_("Training plan assigned"), _("Training plan assigned")),
}


def audit_log(*, instance, action: str, user=None, data: dict | None = None) -> None:
    log(instance=instance, action=action, user=user, data=data or {})


def audit_log_refusal(*, model, label: str, action: str, data: dict, user=None) -> None:
    """A refused request that names no record of ours (a made-up API token, a single sign-on for an
    e-mail nobody has): logged against its kind of record, labelled with what was presented."""
    ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_id="0",  # no record of ours: Wagtail finds no instance for it
        label=label[:255],
        action=action,
        data=data,
        user=user,
        timestamp=timezone.now(),
    )


def register_actions(actions) -> None:
    """Called from the ``register_log_actions`` hook."""
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)
