"""Training demand in the Wagtail admin, under "Plans & reports" (registered in ``wagtail_hooks``)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from ..organisation.access import is_hr, managed_unit_ids
from . import admin_views


class TrainingMenuItem(MenuItem):
    """Shown to HR and to heads of units with admin access; every view checks the scope itself."""

    def is_shown(self, request):
        return is_hr(request.user) or bool(managed_unit_ids(request.user))


class TrainingDemandViewSet(ViewSet):
    name = "training_demand"
    url_prefix = "reports/training"
    icon = "tasks"
    menu_label = _("Training demand")
    menu_item_class = TrainingMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.demand_page, name="index"),
            path("chart.png", admin_views.chart, name="chart"),
            path("annex.xlsx", admin_views.workbook, name="xlsx"),
            path("annex.pdf", admin_views.pdf, name="pdf"),
            path("assign/", admin_views.assign, name="assign"),
        ]
