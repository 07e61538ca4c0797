"""Outside learning in the admin: HR's outside-course mappings and the completions import."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup

from skills_site.viewsets import ModelViewSet

from ..organisation.access import is_hr_for_request
from . import admin_views
from .models import OutsideCourse


class OutsideCourseViewSet(ModelViewSet):
    model = OutsideCourse
    icon = "link"
    menu_label = _("Outside courses")
    list_display = ["provider", "code", "title", "competency", "level"]
    list_filter = ["provider"]
    search_fields = ["provider", "code", "title"]
    form_fields = ["provider", "code", "title", "competency", "level"]
    copy_view_enabled = True

    def get_queryset(self, request):
        return OutsideCourse.objects.select_related("competency", "competency__framework")


class _HRMenuItem(MenuItem):
    def is_shown(self, request):
        return is_hr_for_request(request)


class CompletionImportViewSet(ViewSet):
    name = "outside_learning_import"
    url_prefix = "outside-learning/import"
    icon = "upload"
    menu_label = _("Import completions")

    def get_urlpatterns(self):
        return [
            path("", admin_views.index, name="index"),
            path("<int:pk>/", admin_views.detail, name="detail"),
            path("<int:pk>/commit/", admin_views.commit, name="commit"),
            path("template.csv", admin_views.template, name="template"),
        ]

    def get_menu_item(self, order=None):
        return _HRMenuItem(
            label=self.menu_label,
            url=self.menu_url,
            name="outside-learning-import",
            icon_name=self.icon,
            order=order or 300,
        )


class OutsideLearningGroup(ViewSetGroup):
    menu_label = _("Outside learning")
    menu_icon = "link"
    menu_order = 207
    items = (CompletionImportViewSet, OutsideCourseViewSet)
