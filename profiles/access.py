"""Who may see and do what: the one place that answers scope questions for every view.

- An employee sees their own data.
- A manager is the head of one or more org units; they see the people in those units and in
  every unit below them.
- HR (the HR group) sees everyone.
Views, exports and downloads call these functions instead of checking roles themselves.
"""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Employee, OrgUnit
from .roles import HR_GROUP
from .selectors import unit_subtree_ids


def is_hr(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=HR_GROUP).exists()


def headed_units(user) -> QuerySet[OrgUnit]:
    if not user.is_authenticated:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(head__user=user, is_active=True)


def managed_unit_ids(user) -> set[int]:
    """Every unit the user heads, with all the units below them."""
    ids: set[int] = set()
    for unit_id in headed_units(user).values_list("id", flat=True):
        ids.update(unit_subtree_ids(unit_id))
    return ids


def is_manager(user) -> bool:
    return headed_units(user).exists()


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
    return Employee.objects.filter(org_unit_id__in=unit_ids) | own


def can_view_employee(user, employee: Employee) -> bool:
    return visible_employees(user).filter(pk=employee.pk).exists()


def can_manage_employee(user, employee: Employee) -> bool:
    """Managers act on the people in their units (not on themselves); HR on anyone."""
    if is_hr(user):
        return True
    if employee.user_id == user.id:
        return False
    return employee.org_unit_id in managed_unit_ids(user)
