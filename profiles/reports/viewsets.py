"""Plans, targets and the capability report in the Wagtail admin, under "Plans & reports"."""

from django import forms
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup

from skills_site.viewsets import ModelViewSet

from ..organisation.access import can_see_reports
from . import admin_views
from .forms import PlanTargetAdminForm
from .models import CapabilityPlan, PlanTarget


class CapabilityPlanViewSet(ModelViewSet):
    model = CapabilityPlan
    icon = "date"
    menu_label = _("Capability plans")
    list_display = ["code", "name_th", "framework", "first_fiscal_year", "last_fiscal_year", "is_active"]
    list_filter = ["is_active", "framework"]
    search_fields = ["code", "name_th", "name_en"]
    copy_view_enabled = False
    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("framework")]),
        FieldPanel("name_th"),
        FieldPanel("name_en"),
        FieldRowPanel([FieldPanel("first_fiscal_year"), FieldPanel("last_fiscal_year")]),
        FieldPanel("description"),
        FieldPanel("is_active"),
    ]


class PlanTargetViewSet(ModelViewSet):
    model = PlanTarget
    icon = "crosshairs"
    menu_label = _("Plan targets")
    list_display = ["label", "plan", "competency", "min_level", "org_unit", "baseline_fiscal_year"]
    list_filter = ["plan"]
    search_fields = ["name_th", "name_en"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("plan"),
            FieldPanel("name_th"),
            FieldPanel("name_en"),
            FieldRowPanel([FieldPanel("competency"), FieldPanel("min_level")]),
            MultiFieldPanel(
                [FieldPanel("org_unit"), FieldPanel("personnel_groups", widget=forms.CheckboxSelectMultiple)],
                heading=_("Population"),
            ),
            FieldRowPanel([FieldPanel("baseline_fiscal_year"), FieldPanel("baseline_value")]),
            InlinePanel(
                "values", heading=_("Target share per fiscal year"), label=_("Target value"), min_num=1
            ),
            FieldPanel("sort_order"),
        ],
        base_form_class=PlanTargetAdminForm,
    )

    def get_queryset(self, request):
        return PlanTarget.objects.select_related("plan", "competency", "org_unit")


class ReportsMenuItem(MenuItem):
    """Shown to HR and heads of units; each report view checks the scope again itself."""

    def is_shown(self, request):
        return can_see_reports(request.user)


class CapabilityReportViewSet(ViewSet):
    name = "capability_report"
    url_prefix = "reports/capability"
    icon = "table"
    menu_label = _("Capability report")
    menu_item_class = ReportsMenuItem

    def get_urlpatterns(self):
        views = [
            ("", "index", admin_views.CapabilityTableView),
            ("by-unit/", "by_unit", admin_views.CapabilityByUnitView),
            ("by-group/", "by_group", admin_views.CapabilityByGroupView),
            ("levels/", "levels", admin_views.LevelDistributionView),
            ("learning/", "learning", admin_views.LearningActivityView),
            ("people/", "people", admin_views.CapabilityPeopleView),
        ]
        patterns = []
        for route, name, view in views:
            patterns.append(path(route, view.as_view(), name=name))
            patterns.append(path(f"{route}results/", view.as_view(results_only=True), name=f"{name}_results"))
        patterns += [
            path("chart/<slug:kind>.png", admin_views.CapabilityChartView.as_view(), name="chart"),
            path("pdf/", admin_views.CapabilityPdfView.as_view(), name="pdf"),
        ]
        return patterns


class PlansAndReportsGroup(ViewSetGroup):
    menu_label = _("Plans & reports")
    menu_icon = "table"
    menu_order = 210
    items = (CapabilityReportViewSet, CapabilityPlanViewSet, PlanTargetViewSet)


class CapabilityHeadlinePanel(Component):
    """HR's dashboard: this year's status of every target of the active plans."""

    name = "capability_headline"
    order = 90
    template_name = "profiles/reports/dashboard_panel.html"

    def __init__(self, plans):
        self.plans = plans

    def get_context_data(self, parent_context=None):
        return {"plans": self.plans}
