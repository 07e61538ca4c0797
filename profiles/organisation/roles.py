"""The staff roles that live in Django groups, and the permissions each one carries.

Employees need no group: every signed-in person with a staff profile sees their own data.
Managers are the heads of org units (``OrgUnit.head``), not a group. HR and content editors
work in the Wagtail admin and get their rights from the groups below.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

HR_GROUP = "HR"
EDITORS_GROUP = "Editors"  # created by Wagtail's initial data, with page permissions: pages only
# Writes courses (page rights on the course catalogue, see courses/roles.py) and keeps the question
# bank, its GIFT files and the item statistics (assessments/roles.py). A content editor who should
# author assessments is put in this group as well.
COURSE_AUTHORS_GROUP = "Course authors"

PROFILES_EDITABLE = [
    "orgunit", "employee", "personnelgroup", "competencyframework", "proficiencylevel",
    "competencyarea", "competency", "roletarget", "capabilityplan", "plantarget", "plantargetvalue",
]  # fmt: skip


def roles_ensure() -> Group:
    """Create the HR group and give it its permissions; safe to run any number of times."""
    hr, _created = Group.objects.get_or_create(name=HR_GROUP)
    wanted = Q(content_type__app_label="wagtailadmin", codename="access_admin")
    for model in PROFILES_EDITABLE:
        wanted |= Q(content_type__app_label="profiles", content_type__model=model)
    wanted |= Q(content_type__app_label="profiles", codename="view_levelevidence")
    wanted |= Q(content_type__app_label="auth", codename__in=["add_user", "change_user", "view_user"])
    hr.permissions.add(*Permission.objects.filter(wanted))
    editors, _created = Group.objects.get_or_create(name=EDITORS_GROUP)
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    access_roles_ensure()
    return hr


COMMITTEE_GROUP = "Committee"  # aggregate reports only, no names, small groups suppressed

HR_ACCESS_MODELS = ["actinghead", "hrofficerscope", "staffimport", "legacyrating", "outsidecourse"]


def access_roles_ensure() -> None:
    """The committee viewers' group and HR's rights over acting heads, scopes and imports."""
    hr, _created = Group.objects.get_or_create(name=HR_GROUP)
    hr.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="profiles", content_type__model__in=HR_ACCESS_MODELS
        )
    )
    committee, _created = Group.objects.get_or_create(name=COMMITTEE_GROUP)
    committee.permissions.add(
        *Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    )
