from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from profiles.prior_learning.contributions import register as register_outside_learning
        from profiles.reports.contributions import register
        from profiles.training.contributions import register as register_training

        from . import contributions, roles, selectors

        def ensure_authors(sender, **kwargs) -> None:
            """Every migrated database has the course authors' group (see courses/roles.py)."""
            roles.course_authors_ensure()

        # Connected for every app: the last call comes after Wagtail's permissions exist.
        post_migrate.connect(ensure_authors, dispatch_uid="courses.roles", weak=False)
        register(
            enrolments=contributions.enrolments_of,
            course_offers=contributions.course_offers,
            can_assign_courses=selectors.can_assign,
        )
        register_outside_learning(course_lookup=contributions.outside_course_lookup)
        register_training(
            catalogue=contributions.training_catalogue,
            enrolments=contributions.training_enrolments,
            version=contributions.training_version,
            assign=contributions.training_assign,
        )
