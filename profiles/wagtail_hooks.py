"""Registers the profiles app in the Wagtail admin (registration only; the views and viewsets live in
each sub-package): "People & competencies", "Plans & reports" (with training demand), the HR import
and departed staff."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import register_permission_policy

from .competencies.models import Competency, CompetencyArea, CompetencyFramework, LevelEvidence, RoleTarget
from .competencies.moodle.viewsets import MoodleFrameworkViewSet
from .competencies.viewsets import (
    CompetencyAreaViewSet,
    CompetencyFrameworkViewSet,
    CompetencyViewSet,
    LevelEvidenceViewSet,
    RoleTargetViewSet,
)
from .hr_data.audit import register_actions
from .hr_data.viewsets import DepartedStaffMenuItem, ImportMenuItem, departed_urls, import_urls
from .organisation.access import is_hr
from .organisation.admin_permissions import (
    DepartmentHRChangesPermissionPolicy,
    DepartmentHRPermissionPolicy,
    ReadOnlyPermissionPolicy,
)
from .organisation.models import ActingHead, HROfficerScope, PersonnelGroup
from .organisation.viewsets import (
    ActingHeadViewSet,
    EmployeeViewSet,
    HROfficerScopeViewSet,
    OrgUnitViewSet,
    PersonnelGroupViewSet,
)
from .prior_learning.models import OutsideCourse
from .prior_learning.viewsets import OutsideLearningGroup
from .reports.models import CapabilityPlan, PlanTarget
from .reports.selectors import plan_headlines
from .reports.viewsets import CapabilityHeadlinePanel
from .reports.viewsets import PlansAndReportsGroup as ReportsGroup
from .training.viewsets import TrainingDemandViewSet

register_permission_policy(LevelEvidence, ReadOnlyPermissionPolicy(LevelEvidence))
register_permission_policy(ActingHead, DepartmentHRPermissionPolicy(ActingHead))
register_permission_policy(HROfficerScope, DepartmentHRPermissionPolicy(HROfficerScope))
# Plans are the whole department's: HR officers limited to a subtree read reports, not plans.
register_permission_policy(CapabilityPlan, DepartmentHRPermissionPolicy(CapabilityPlan))
register_permission_policy(PlanTarget, DepartmentHRPermissionPolicy(PlanTarget))
# What an outside platform's course counts as: the department's reference data, department-wide HR.
register_permission_policy(OutsideCourse, DepartmentHRPermissionPolicy(OutsideCourse))
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


class PeopleAndCompetenciesGroup(ViewSetGroup):
    menu_label = _("People & competencies")
    menu_icon = "group"
    menu_order = 200
    items = (
        OrgUnitViewSet,
        EmployeeViewSet,
        PersonnelGroupViewSet,
        CompetencyFrameworkViewSet,
        MoodleFrameworkViewSet,
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


class PlansAndReportsGroup(ReportsGroup):
    """The reports' menu, with Training demand after the capability report."""

    items = (ReportsGroup.items[0], TrainingDemandViewSet, *ReportsGroup.items[1:])


@hooks.register("register_admin_viewset")
def register_outside_learning():
    return OutsideLearningGroup()


@hooks.register("register_admin_viewset")
def register_plans_and_reports():
    return PlansAndReportsGroup()


@hooks.register("construct_homepage_panels")
def add_capability_panel(request, panels):
    if not is_hr(request.user):
        return
    panels.append(CapabilityHeadlinePanel(plan_headlines(now=timezone.now())))


@hooks.register("register_log_actions")
def register_profile_log_actions(actions):
    register_actions(actions)


@hooks.register("register_admin_urls")
def register_import_urls():
    return import_urls()


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("Import from the HR system"), reverse_lazy("profiles_import:index"), icon_name="upload", order=205
    )


@hooks.register("register_admin_urls")
def register_departed_urls():
    return departed_urls()


@hooks.register("register_admin_menu_item")
def register_departed_menu_item():
    return DepartedStaffMenuItem(
        _("Departed staff"), reverse_lazy("profiles_departed:index"), icon_name="user", order=206
    )
