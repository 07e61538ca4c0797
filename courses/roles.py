"""The course authors' Wagtail group: it edits, previews, schedules and publishes courses only.

(It also lets the HR group view enrolments in the admin.)

Created by ``course_authors_ensure()``, which runs after every ``migrate`` (so a fresh database
has the group), when a course catalogue page is created in the admin (``wagtail_hooks``), and
from the demo seeding. Its page permissions sit on every catalogue page and nowhere else, so
authors see and change only the course tree.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from profiles.organisation.roles import COURSE_AUTHORS_GROUP, HR_GROUP

from .models import CourseCataloguePage

PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION_PERMISSIONS = ["add_image", "choose_image", "add_document", "choose_document"]


def course_authors_ensure() -> Group:
    """Create or complete the group; safe to run any number of times."""
    group, _created = Group.objects.get_or_create(name=COURSE_AUTHORS_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    page_permissions = list(
        Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS)
    )
    for catalogue in CourseCataloguePage.objects.all():
        for permission in page_permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=catalogue, permission=permission)
    root = Collection.get_first_root_node()
    if root is not None:
        wanted = Q(content_type__app_label="wagtailimages", codename__in=COLLECTION_PERMISSIONS) | Q(
            content_type__app_label="wagtaildocs", codename__in=COLLECTION_PERMISSIONS
        )
        for permission in Permission.objects.filter(wanted):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=permission
            )
    # HR looks enrolments up in the admin (read only, see wagtail_hooks).
    hr, _created = Group.objects.get_or_create(name=HR_GROUP)
    hr.permissions.add(
        *Permission.objects.filter(content_type__app_label="courses", codename="view_enrolment")
    )
    return group
