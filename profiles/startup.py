"""What the profiles app does when Django starts (called from ``ProfilesConfig.ready``)."""

from django.db.models.signals import post_migrate

from .hr_data.exports import spreadsheet_exports_make_formula_safe
from .organisation.roles import roles_ensure


def ensure_roles(sender, **kwargs) -> None:
    """Every migrated database has the HR group, as it has Django's permissions."""
    roles_ensure()


def start() -> None:
    # Connected for every app: the last call comes after all permissions exist.
    post_migrate.connect(ensure_roles, dispatch_uid="profiles.roles")
    spreadsheet_exports_make_formula_safe()
