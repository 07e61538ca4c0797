"""Registers the competency core in the Wagtail admin, under one "People & competencies" menu."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import register_permission_policy

from skills_site.viewsets import ModelViewSet

from .admin_permissions import (
    DepartmentHRChangesPermissionPolicy,
    DepartmentHRPermissionPolicy,
    ReadOnlyPermissionPolicy,
    ScopedObjectsViewSetMixin,
)
from .models import (
    ActingHead,
    CapabilityPlan,
    Competency,
    CompetencyArea,
    CompetencyFramework,
    Employee,
    HROfficerScope,
    LevelEvidence,
    OrgUnit,
    PersonnelGroup,
    PlanTarget,
    RoleTarget,
)

register_permission_policy(LevelEvidence, ReadOnlyPermissionPolicy(LevelEvidence))
register_permission_policy(ActingHead, DepartmentHRPermissionPolicy(ActingHead))
register_permission_policy(HROfficerScope, DepartmentHRPermissionPolicy(HROfficerScope))
# Plans are the whole department's: HR officers limited to a subtree read reports, not plans.
register_permission_policy(CapabilityPlan, DepartmentHRPermissionPolicy(CapabilityPlan))
register_permission_policy(PlanTarget, DepartmentHRPermissionPolicy(PlanTarget))
# The department's reference data: read by HR officers of a subtree, changed by department-wide HR.
for _model in (PersonnelGroup, CompetencyFramework, CompetencyArea, Competency, RoleTarget):
    register_permission_policy(_model, DepartmentHRChangesPermissionPolicy(_model))
# Sign-in accounts and their groups are the whole department's: an HR officer limited to a subtree
# could otherwise add someone to the HR group without a scope, or change a department-wide
# officer's e-mail and reset their password.
register_permission_policy(get_user_model(), DepartmentHRPermissionPolicy(get_user_model()))


@hooks.register("before_edit_user")
@hooks.register("before_delete_user")
def keep_administrators_out_of_reach(request, user):
    """Only an administrator edits or deletes an administrator's account."""
    if user.is_superuser and not request.user.is_superuser:
        raise PermissionDenied


class OrgUnitViewSet(ScopedObjectsViewSetMixin, ModelViewSet):
    model = OrgUnit
    icon = "site"
    menu_label = _("Org units")
    list_display = ["code", "name_th", "name_en", "kind", "parent", "head", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name_th", "name_en"]
    copy_view_enabled = False
    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("kind")]),
        FieldPanel("name_th"),
        FieldPanel("name_en"),
        FieldPanel("parent"),
        FieldPanel("head"),
        FieldPanel("is_active"),
    ]

    def get_queryset(self, request):
        return OrgUnit.objects.select_related("parent", "head")

    def scope_queryset(self, request, queryset):
        # HR officers limited to a subtree administer only the units of that subtree.
        return queryset.filter(pk__in=visible_units(request.user).values("pk"))

    def object_visible(self, user, obj) -> bool:
        return visible_units(user).filter(pk=obj.pk).exists()


class EmployeeViewSet(ScopedObjectsViewSetMixin, ModelViewSet):
    model = Employee
    icon = "user"
    menu_label = _("Employees")
    list_display = [
        "employee_number", "first_name_th", "last_name_th", "position_title", "org_unit",
        "personnel_group", "is_active",
    ]  # fmt: skip
    list_filter = ["personnel_group", "is_active", "org_unit"]
    search_fields = [
        "employee_number", "first_name_th", "last_name_th", "first_name_en", "last_name_en",
        "position_title",
    ]  # fmt: skip
    copy_view_enabled = False
    inspect_view_enabled = True
    panels = [
        FieldRowPanel([FieldPanel("employee_number"), FieldPanel("user")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("first_name_th"), FieldPanel("last_name_th")]),
                FieldRowPanel([FieldPanel("first_name_en"), FieldPanel("last_name_en")]),
            ],
            heading=_("Names"),
        ),
        FieldPanel("position_title"),
        FieldRowPanel([FieldPanel("org_unit"), FieldPanel("personnel_group")]),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date"), FieldPanel("is_active")]),
    ]

    def get_queryset(self, request):
        return Employee.objects.select_related("org_unit", "personnel_group")

    def scope_queryset(self, request, queryset):
        # HR officers limited to a subtree list only the staff of their units.
        if is_hr(request.user):
            return queryset
        return queryset.filter(pk__in=visible_employees(request.user).values("pk"))

    def object_visible(self, user, obj) -> bool:
        return can_view_employee(user, obj)


class PersonnelGroupViewSet(ModelViewSet):
    model = PersonnelGroup
    icon = "group"
    menu_label = _("Personnel groups")
    list_display = ["code", "name_th", "name_en", "sort_order"]
    form_fields = ["code", "name_th", "name_en", "sort_order"]
    copy_view_enabled = False


class CompetencyFrameworkViewSet(ModelViewSet):
    model = CompetencyFramework
    icon = "list-ul"
    menu_label = _("Competency frameworks")
    list_display = ["code", "version", "name_en", "is_active"]
    copy_view_enabled = False
    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("version"), FieldPanel("issued")]),
        FieldPanel("name_th"),
        FieldPanel("name_en"),
        FieldPanel("reference"),
        FieldPanel("is_active"),
        InlinePanel("levels", heading=_("Proficiency scale"), label=_("Level")),
    ]


class CompetencyAreaViewSet(ModelViewSet):
    model = CompetencyArea
    icon = "folder-open-inverse"
    menu_label = _("Competency areas")
    list_display = ["framework", "code", "name_th", "name_en", "sort_order"]
    list_filter = ["framework"]
    search_fields = ["code", "name_th", "name_en"]
    form_fields = ["framework", "code", "name_th", "name_en", "sort_order"]
    copy_view_enabled = False


class CompetencyViewSet(ModelViewSet):
    model = Competency
    icon = "tick-inverse"
    menu_label = _("Competencies")
    list_display = ["code", "name_th", "name_en", "area", "framework"]
    list_filter = ["framework"]
    search_fields = ["code", "name_th", "name_en"]
    form_fields = ["area", "code", "name_th", "name_en", "description", "sort_order"]
    copy_view_enabled = False

    def get_queryset(self, request):
        return Competency.objects.select_related("area", "framework")


class RoleTargetViewSet(ModelViewSet):
    model = RoleTarget
    icon = "crosshairs"
    menu_label = _("Role targets")
    list_display = ["personnel_group", "framework", "area", "competency", "level"]
    list_filter = ["framework", "personnel_group"]
    form_fields = ["framework", "personnel_group", "area", "competency", "level"]
    copy_view_enabled = False

    def get_queryset(self, request):
        return RoleTarget.objects.select_related("framework", "personnel_group", "area", "competency")


class LevelEvidenceViewSet(ScopedObjectsViewSetMixin, ModelViewSet):
    """The evidence log, read-only: corrections are recorded as new evidence, never edits."""

    model = LevelEvidence
    icon = "history"
    menu_label = _("Evidence log")
    list_display = [
        "observed_at", "employee", "competency", "level", "source",
        Column("recorded_by", label=_("recorded by"), accessor=lambda e: _person(e.recorded_by)),
    ]  # fmt: skip
    list_filter = ["source", "competency__framework"]
    search_fields = ["employee__employee_number", "employee__first_name_th", "employee__last_name_th"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "employee", "competency", "level", "source", "observed_at", "recorded_at", "recorded_by",
        "source_label", "note", "corrects", "org_unit_at_time", "personnel_group_at_time",
    ]  # fmt: skip
    copy_view_enabled = False
    form_fields = ["note"]

    def get_queryset(self, request):
        return LevelEvidence.objects.select_related(
            "employee", "competency", "recorded_by", "recorded_by__employee"
        )

    def scope_queryset(self, request, queryset):
        if is_hr(request.user):
            return queryset
        return queryset.filter(employee__in=visible_employees(request.user).values("pk"))

    def object_visible(self, user, obj) -> bool:
        return can_view_employee(user, obj.employee)


def _person(user) -> str:
    """A recorder shown by name; records made by the system have none."""
    if user is None:
        return _("System")
    employee = getattr(user, "employee", None)
    return employee.full_name if employee else (user.get_full_name() or user.email)


class ActingHeadViewSet(ModelViewSet):
    """Acting heads see their units' staff only between the two dates (audited as admin edits)."""

    model = ActingHead
    icon = "user"
    menu_label = _("Acting heads")
    list_display = ["org_unit", "employee", "starts_on", "ends_on", "note"]
    list_filter = ["org_unit"]
    form_fields = ["org_unit", "employee", "starts_on", "ends_on", "note"]
    copy_view_enabled = False

    def get_queryset(self, request):
        return ActingHead.objects.select_related("org_unit", "employee")


class HROfficerScopeViewSet(ModelViewSet):
    """An HR group member with a scope sees only those units and the units below them."""

    model = HROfficerScope
    icon = "lock"
    menu_label = _("HR officer scopes")
    list_display = ["user", "org_unit"]
    form_fields = ["user", "org_unit"]
    copy_view_enabled = False

    def get_queryset(self, request):
        return HROfficerScope.objects.select_related("user", "org_unit")


class PeopleAndCompetenciesGroup(ViewSetGroup):
    menu_label = _("People & competencies")
    menu_icon = "group"
    menu_order = 200
    items = (
        OrgUnitViewSet,
        EmployeeViewSet,
        PersonnelGroupViewSet,
        CompetencyFrameworkViewSet,
        CompetencyAreaViewSet,
        CompetencyViewSet,
        RoleTargetViewSet,
        LevelEvidenceViewSet,
        ActingHeadViewSet,
        HROfficerScopeViewSet,
    )


@hooks.register("register_admin_viewset")
def register_people_and_competencies():
    return PeopleAndCompetenciesGroup()


# --- Plans and reports -------------------------------------------------------------------------

from django import forms  # noqa: E402
from django.urls import include, path, reverse_lazy  # noqa: E402
from wagtail.admin.menu import MenuItem  # noqa: E402
from wagtail.admin.panels import ObjectList  # noqa: E402
from wagtail.admin.ui.components import Component  # noqa: E402
from wagtail.admin.viewsets.base import ViewSet  # noqa: E402

from . import report_views  # noqa: E402
from .access import (  # noqa: E402
    can_see_reports,
    can_view_employee,
    is_hr,
    is_hr_officer,
    visible_employees,
    visible_units,
)
from .models import CapabilityPlan, PlanTarget  # noqa: E402
from .report_forms import PlanTargetAdminForm  # noqa: E402


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
            ("", "index", report_views.CapabilityTableView),
            ("by-unit/", "by_unit", report_views.CapabilityByUnitView),
            ("by-group/", "by_group", report_views.CapabilityByGroupView),
            ("levels/", "levels", report_views.LevelDistributionView),
            ("learning/", "learning", report_views.LearningActivityView),
        ]
        patterns = []
        for route, name, view in views:
            patterns.append(path(route, view.as_view(), name=name))
            patterns.append(path(f"{route}results/", view.as_view(results_only=True), name=f"{name}_results"))
        patterns += [
            path("chart/<slug:kind>.png", report_views.CapabilityChartView.as_view(), name="chart"),
            path("pdf/", report_views.CapabilityPdfView.as_view(), name="pdf"),
        ]
        return patterns


class PlansAndReportsGroup(ViewSetGroup):
    menu_label = _("Plans & reports")
    menu_icon = "table"
    menu_order = 210
    items = (CapabilityReportViewSet, CapabilityPlanViewSet, PlanTargetViewSet)


@hooks.register("register_admin_viewset")
def register_plans_and_reports():
    return PlansAndReportsGroup()


class CapabilityHeadlinePanel(Component):
    """HR's dashboard: this year's status of every target of the active plans."""

    name = "capability_headline"
    order = 90
    template_name = "profiles/reports/dashboard_panel.html"

    def __init__(self, plans):
        self.plans = plans

    def get_context_data(self, parent_context=None):
        return {"plans": self.plans}


@hooks.register("construct_homepage_panels")
def add_capability_panel(request, panels):
    if not is_hr(request.user):
        return
    panels.append(CapabilityHeadlinePanel(report_views.dashboard_headlines()))


@hooks.register("register_log_actions")
def register_profile_log_actions(actions):
    from .audit import register_actions

    register_actions(actions)


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return is_hr(request.user)


@hooks.register("register_admin_urls")
def register_import_urls():
    from . import import_views

    patterns = [
        path("", import_views.import_index, name="index"),
        path("<int:pk>/", import_views.import_detail, name="detail"),
        path("<int:pk>/commit/", import_views.import_commit_view, name="commit"),
        path("progress/", import_views.import_progress_view, name="progress"),  # ?import=<pk>
        path("template/<slug:kind>.csv", import_views.import_template_view, name="template"),
    ]
    return [path("hr-import/", include((patterns, "profiles_import"), namespace="profiles_import"))]


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("Import from the HR system"), reverse_lazy("profiles_import:index"), icon_name="upload", order=205
    )


class DepartedStaffMenuItem(MenuItem):
    def is_shown(self, request):
        return is_hr_officer(request.user)


@hooks.register("register_admin_urls")
def register_departed_urls():
    from . import personal_data_views

    patterns = [
        path("", personal_data_views.departed_staff, name="index"),
        path("<int:pk>/anonymise/", personal_data_views.anonymise, name="anonymise"),
    ]
    return [path("departed-staff/", include((patterns, "profiles_departed"), namespace="profiles_departed"))]


@hooks.register("register_admin_menu_item")
def register_departed_menu_item():
    return DepartedStaffMenuItem(
        _("Departed staff"), reverse_lazy("profiles_departed:index"), icon_name="user", order=206
    )
