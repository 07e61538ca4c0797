"""Question bank permissions for authors (Wagtail's Editors group) and HR."""

from django.contrib.auth.models import Group, Permission

BANK_MODELS = ["question", "questioncategory"]
AUTHOR_GROUPS = ["Editors", "HR"]


def assessment_roles_ensure() -> None:
    """Give authors and HR the question bank; safe to run any number of times."""
    permissions = list(
        Permission.objects.filter(content_type__app_label="assessments", content_type__model__in=BANK_MODELS)
    )
    if not permissions:
        return
    for name in AUTHOR_GROUPS:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)
