"""The Moodle framework pages as one admin viewset, listed under People & competencies."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from ...organisation.access import is_hr_for_request
from . import views


class _HRMenuItem(MenuItem):
    def is_shown(self, request):
        return is_hr_for_request(request)


class MoodleFrameworkViewSet(ViewSet):
    name = "moodle_frameworks"
    url_prefix = "competency-frameworks/moodle"
    icon = "upload"
    menu_label = _("Moodle framework import / export")

    def get_urlpatterns(self):
        return [
            path("", views.import_index, name="index"),
            path("<int:pk>/", views.import_detail, name="detail"),
            path("<int:pk>/commit/", views.import_commit, name="commit"),
            path("export/", views.export, name="export"),  # ?framework=<pk>
        ]

    def get_menu_item(self, order=None):
        return _HRMenuItem(
            label=self.menu_label,
            url=self.menu_url,
            name="moodle-frameworks",
            icon_name=self.icon,
            order=order or 300,
        )
