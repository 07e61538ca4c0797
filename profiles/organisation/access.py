"""Who may see and do what: the one place that answers scope questions for every view.

- An **employee** sees their own data.
- A **manager** heads one or more org units, permanently (``OrgUnit.head``) or as acting head
  for a date range (``ActingHead``); they see the people in those units and every unit below.
- **HR** (the HR group) sees everyone; an HR officer with an ``HROfficerScope`` only sees the
  units of their scope and every unit below them, like a manager of those units.
- A **content editor** (Wagtail's Editors group) edits course and assessment pages and sees
  nobody's personal data.
- A **committee viewer** (the Committee group) sees aggregate reports of the whole department,
  without names, and every figure over fewer than ``MIN_GROUP_SIZE`` people suppressed.
Views, exports, charts and downloads call these functions instead of checking roles themselves.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import ActingHead, Employee, HROfficerScope, OrgUnit
from .roles import COMMITTEE_GROUP, EDITORS_GROUP, HR_GROUP
from .selectors import unit_subtree_ids

# Figures computed over fewer people than this are not shown to committee viewers.
MIN_GROUP_SIZE = 5


def _in_group(user, name: str) -> bool:
    if not user.is_authenticated:
        return False
    return user.groups.filter(name=name).exists()


def hr_scope_unit_ids(user) -> set[int]:
    """The units an HR officer is limited to, with every unit below them (empty: not limited)."""
    if not user.is_authenticated:
        return set()
    ids: set[int] = set()
    for unit_id in HROfficerScope.objects.filter(user=user).values_list("org_unit_id", flat=True):
        ids.update(unit_subtree_ids(unit_id))
    return ids


def is_hr_officer(user) -> bool:
    """Any member of the HR group, whether department-wide or limited to a subtree."""
    return bool(user.is_authenticated and (user.is_superuser or _in_group(user, HR_GROUP)))


def is_hr(user) -> bool:
    """Department-wide HR: sees and manages everyone."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    # One query: in the HR group and without any scope row.
    return get_user_model().objects.filter(pk=user.pk, groups__name=HR_GROUP, hr_scopes__isnull=True).exists()


def is_hr_for_request(request) -> bool:
    """``is_hr`` asked once per request: the admin menu asks it for several items on every page."""
    if not hasattr(request, "_skills_is_hr"):
        request._skills_is_hr = is_hr(request.user)
    return request._skills_is_hr


def require_hr(user) -> None:
    """Department-wide HR only (imports and reference data change the whole department's records)."""
    if not is_hr(user):
        raise PermissionDenied


def is_scoped_hr(user) -> bool:
    return is_hr_officer(user) and not is_hr(user)


def is_content_editor(user) -> bool:
    return _in_group(user, EDITORS_GROUP)


def is_committee_viewer(user) -> bool:
    return _in_group(user, COMMITTEE_GROUP)


def headed_units(user, *, on: dt.date | None = None) -> QuerySet[OrgUnit]:
    """Active units the user heads on a day (today by default), permanently or as acting head."""
    if not user.is_authenticated:
        return OrgUnit.objects.none()
    day = on or timezone.localdate()
    acting = ActingHead.objects.filter(employee__user=user, starts_on__lte=day, ends_on__gte=day)
    return OrgUnit.objects.filter(
        Q(head__user=user) | Q(id__in=acting.values("org_unit_id")), is_active=True
    ).distinct()


def managed_unit_ids(user) -> set[int]:
    """Every unit the user heads (or looks after as a scoped HR officer), with all units below."""
    ids: set[int] = set()
    for unit_id in headed_units(user).values_list("id", flat=True):
        ids.update(unit_subtree_ids(unit_id))
    if is_scoped_hr(user):
        ids.update(hr_scope_unit_ids(user))
    return ids


def is_manager(user) -> bool:
    """Heads a unit today (or acts as head), or looks after a subtree as a scoped HR officer: anyone
    who sees a team. This is also the "manager" role that must sign in with a second factor."""
    if not user.is_authenticated:
        return False
    day = timezone.localdate()
    heads = Q(employee__headed_units__is_active=True)
    acting = Q(
        employee__acting_units__starts_on__lte=day,
        employee__acting_units__ends_on__gte=day,
        employee__acting_units__org_unit__is_active=True,
    )
    scoped_hr = Q(hr_scopes__isnull=False, groups__name=HR_GROUP)
    # One query: this runs on every page (the "My team" link).
    return get_user_model().objects.filter(Q(pk=user.pk) & (heads | acting | scoped_hr)).exists()


def report_scope_for(user) -> set[int] | None:
    """None: the whole department (HR, committee viewers); a set: those units only; empty: no reports."""
    if is_hr(user):
        return None
    units = managed_unit_ids(user)
    if units:
        return units
    if is_committee_viewer(user):
        return None
    return set()


def sees_small_groups(user) -> bool:
    """False for a committee viewer who has no other role: small figures are suppressed for them."""
    if not is_committee_viewer(user):
        return True
    return is_hr(user) or bool(managed_unit_ids(user))


def can_see_reports(user) -> bool:
    return report_scope_for(user) != set()


def visible_employees(user) -> QuerySet[Employee]:
    """The staff whose personal data this user may see."""
    if not user.is_authenticated:
        return Employee.objects.none()
    if is_hr(user):
        return Employee.objects.all()
    unit_ids = managed_unit_ids(user)
    own = Employee.objects.filter(user=user)
    if not unit_ids:
        return own
    return Employee.objects.filter(Q(org_unit_id__in=unit_ids) | Q(user=user))


def can_view_employee(user, employee: Employee) -> bool:
    return visible_employees(user).filter(pk=employee.pk).exists()


def can_manage_employee(user, employee: Employee) -> bool:
    """Managers act on the people in their units (not on themselves); HR on anyone."""
    if is_hr(user):
        return True
    if employee.user_id == user.id:
        return False
    return employee.org_unit_id in managed_unit_ids(user)


def visible_units(user) -> QuerySet[OrgUnit]:
    """The units a user may administer: every unit for department-wide HR, their own subtree for
    an HR officer limited to one, none for anyone else."""
    if is_hr(user):
        return OrgUnit.objects.all()
    ids = hr_scope_unit_ids(user) if is_hr_officer(user) else set()
    return OrgUnit.objects.filter(id__in=ids)


def can_administer_staff(user) -> bool:
    """Imports, anonymisation and the audit trail: HR officers (scoped ones within their units)."""
    return is_hr_officer(user)


def report_home_unit(user) -> OrgUnit | None:
    """The unit a scoped user's reports open on: the first unit they head, else their HR scope."""
    head = headed_units(user).order_by("code").first()
    if head is not None:
        return head
    scope = HROfficerScope.objects.filter(user=user).select_related("org_unit").order_by("org_unit__code")
    first = scope.first() if user.is_authenticated else None
    return first.org_unit if first is not None else None
