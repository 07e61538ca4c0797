"""What the profiles app does when Django starts (called from ``ProfilesConfig.ready``)."""

from django.db.models.signals import post_migrate

from .competencies.counts import counts_kept, counts_recount
from .hr_data.exports import spreadsheet_exports_make_formula_safe
from .organisation.changes import employees_keeper_register
from .organisation.roles import roles_ensure


def ensure_roles(sender, **kwargs) -> None:
    """Every migrated database has the HR group, as it has Django's permissions."""
    roles_ensure()


def start() -> None:
    # Connected for every app: the last call comes after all permissions exist.
    post_migrate.connect(ensure_roles, dispatch_uid="profiles.roles")
    spreadsheet_exports_make_formula_safe()
    # the counted moments follow every change of who counts where (``competencies.counts``)
    employees_keeper_register(counts_kept, recount=counts_recount)
