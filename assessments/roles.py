"""Question bank permissions: course authors and HR keep it; content editors (pages only) do not.

The bank holds the answer keys, so its listing, its GIFT export and the item statistics need the
bank's own rights, not page rights. A content editor who also authors assessments is added to
the Course authors group.
"""

from django.contrib.auth.models import Group, Permission

from profiles.organisation.roles import COURSE_AUTHORS_GROUP, HR_GROUP

BANK_MODELS = ["question", "questioncategory"]
AUTHOR_GROUPS = [COURSE_AUTHORS_GROUP, HR_GROUP]
# Reading the whole bank with its answer keys (the GIFT export) and the item statistics.
BANK_EXPORT_PERMISSION = "assessments.change_question"


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
