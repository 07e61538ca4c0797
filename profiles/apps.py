from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = _("People and competencies")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        # Connected for every app: the last call comes after all permissions exist.
        post_migrate.connect(_ensure_roles_after_migrate, dispatch_uid="profiles.roles")

        from .exports import spreadsheet_exports_make_formula_safe

        spreadsheet_exports_make_formula_safe()


def _ensure_roles_after_migrate(sender, using="default", **kwargs) -> None:
    """Every migrated database has the HR group, as it has Django's permissions."""
    from .roles import roles_ensure

    roles_ensure()
