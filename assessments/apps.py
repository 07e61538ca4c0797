from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_ensure_roles_after_migrate, dispatch_uid="assessments.roles")


def _ensure_roles_after_migrate(sender, using="default", **kwargs) -> None:
    from .roles import assessment_roles_ensure

    assessment_roles_ensure()
