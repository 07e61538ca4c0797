"""HR data in the Wagtail admin: the import pages and departed staff, with their menu items."""

from django.urls import include, path
from wagtail.admin.menu import MenuItem

from ..organisation.access import is_hr_for_request, is_hr_officer
from . import views


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return is_hr_for_request(request)


def import_urls() -> list:
    patterns = [
        path("", views.import_index, name="index"),
        path("<int:pk>/", views.import_detail, name="detail"),
        path("<int:pk>/commit/", views.import_commit_view, name="commit"),
        path("progress/", views.import_progress_view, name="progress"),  # ?import=<pk>
        path("template/<slug:kind>.csv", views.import_template_view, name="template"),
    ]
    return [path("hr-import/", include((patterns, "profiles_import"), namespace="profiles_import"))]


class DepartedStaffMenuItem(MenuItem):
    def is_shown(self, request):
        return is_hr_officer(request.user)


def departed_urls() -> list:
    patterns = [
        path("", views.departed_staff, name="index"),
        path("<int:pk>/anonymise/", views.anonymise, name="anonymise"),
    ]
    return [path("departed-staff/", include((patterns, "profiles_departed"), namespace="profiles_departed"))]
