"""Frameworks, areas, competencies, role targets and the read-only evidence log in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.admin.ui.tables import Column

from skills_site.viewsets import ModelViewSet

from ..organisation.access import can_view_employee, is_hr, visible_employees
from ..organisation.admin_permissions import ScopedObjectsViewSetMixin
from ..organisation.viewsets import person_name
from .models import Competency, CompetencyArea, CompetencyFramework, LevelEvidence, RoleTarget


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
        FieldPanel("thai_names_by_department"),
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
        Column("recorded_by", label=_("recorded by"), accessor=lambda e: person_name(e.recorded_by)),
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
