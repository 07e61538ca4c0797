from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        # Connected for every app: the last call comes after Wagtail's permissions exist.
        post_migrate.connect(_ensure_authors_after_migrate, dispatch_uid="courses.roles")


def _ensure_authors_after_migrate(sender, using="default", **kwargs) -> None:
    """Every migrated database has the course authors' group (see courses/roles.py)."""
    from .roles import course_authors_ensure

    course_authors_ensure()
