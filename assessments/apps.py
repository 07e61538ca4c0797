from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from profiles.hr_data.personal_data import personal_data_rule_register
        from profiles.reports.contributions import register

        from . import contributions, personal_data, roles

        def ensure_roles(sender, **kwargs) -> None:
            roles.assessment_roles_ensure()

        post_migrate.connect(ensure_roles, dispatch_uid="assessments.roles", weak=False)
        register(attempts=contributions.submitted_attempts_of)
        # The personal-data download follows each assessment's review policy (assessments/personal_data.py).
        personal_data_rule_register(personal_data.ATTEMPT, personal_data.attempts_for_download)
        personal_data_rule_register(
            personal_data.ATTEMPT_QUESTION, personal_data.attempt_questions_for_download
        )
