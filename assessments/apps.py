from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from profiles.reports.contributions import register

        from . import contributions, roles

        def ensure_roles(sender, **kwargs) -> None:
            roles.assessment_roles_ensure()

        post_migrate.connect(ensure_roles, dispatch_uid="assessments.roles", weak=False)
        register(attempts=contributions.submitted_attempts_of)
