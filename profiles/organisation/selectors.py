"""Reads of the organisation: whose profile a login is, and the unit tree (fixed query counts)."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Employee, OrgUnit


def employee_for_user(user) -> Employee | None:
    if not user.is_authenticated:
        return None
    return Employee.objects.select_related("org_unit", "personnel_group", "user").filter(user=user).first()


def unit_tree() -> dict[int | None, list[int]]:
    """Children of every unit, from one query over the (small) unit table."""
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id in OrgUnit.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(unit_id)
    return children


def subtree(children: dict[int | None, list[int]], root: int) -> set[int]:
    """``root`` and every unit below it in a tree from ``unit_tree``."""
    found, stack = set(), [root]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        stack.extend(children.get(current, []))
    return found


def unit_subtree_ids(unit: OrgUnit | int) -> list[int]:
    """The unit and every unit below it, in one query over the (small) unit table."""
    root_id = unit if isinstance(unit, int) else unit.pk
    return sorted(subtree(unit_tree(), root_id))


def employees_in_unit(unit: OrgUnit | int, *, include_inactive: bool = False) -> QuerySet[Employee]:
    queryset = Employee.objects.filter(org_unit_id__in=unit_subtree_ids(unit))
    if not include_inactive:
        queryset = queryset.filter(is_active=True)
    return queryset


def department_name(language: str) -> str:
    """The department's name in ``language`` (Thai where it has no English name), for documents it issues."""
    unit = OrgUnit.objects.filter(parent__isnull=True, kind=OrgUnit.Kind.DEPARTMENT).order_by("code").first()
    if unit is None:
        return ""
    return unit.name_en if language.startswith("en") and unit.name_en else unit.name_th
