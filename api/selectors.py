"""What the read API returns: one page of a list, in one query (two for levels), whatever the headcount.

Every list is in id order and starts after an id (the cursor); ``unit_ids`` is the client's scope
(``None``: the whole department), like an HR officer's.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from profiles.competencies.levels import CurrentLevel, current_levels_bulk
from profiles.models import Competency, Employee, LevelEvidence, OrgUnit


def _scoped(queryset: QuerySet, field: str, unit_ids: list[int] | None) -> QuerySet:
    return queryset if unit_ids is None else queryset.filter(**{f"{field}__in": unit_ids})


def _page(queryset: QuerySet, *, after: int, size: int) -> tuple[list, bool]:
    rows = list(queryset.filter(id__gt=after).order_by("id")[: size + 1])
    return rows[:size], len(rows) > size


def org_units_page(*, unit_ids: list[int] | None, after: int, size: int) -> tuple[list[OrgUnit], bool]:
    return _page(_scoped(OrgUnit.objects.all(), "id", unit_ids), after=after, size=size)


def staff_page(
    *, unit_ids: list[int] | None, after: int, size: int, include_inactive: bool
) -> tuple[list[Employee], bool]:
    queryset = _scoped(Employee.objects.select_related("personnel_group"), "org_unit_id", unit_ids)
    if not include_inactive:
        queryset = queryset.filter(is_active=True)
    return _page(queryset, after=after, size=size)


def levels_page(
    *, unit_ids: list[int] | None, after: int, size: int, as_of: dt.datetime
) -> tuple[list[tuple[Employee, dict[int, CurrentLevel]]], dict[int, tuple[str, str]], bool]:
    """A page of active staff with their current levels as of a moment (the level policy), and
    ``{competency id: (framework code, competency code)}`` for the competencies on the page."""
    queryset = _scoped(Employee.objects.filter(is_active=True), "org_unit_id", unit_ids)
    employees, more = _page(queryset.only("id", "employee_number"), after=after, size=size)
    levels = current_levels_bulk([e.id for e in employees], as_of=as_of) if employees else {}
    competency_ids = {cid for per_employee in levels.values() for cid in per_employee}
    codes = {
        cid: (framework, code)
        for cid, framework, code in Competency.objects.filter(id__in=competency_ids).values_list(
            "id", "area__framework__code", "code"
        )
    } if competency_ids else {}  # fmt: skip
    return [(e, levels.get(e.id, {})) for e in employees], codes, more


EVIDENCE_FIELDS = (
    "id", "employee_id", "employee__employee_number", "competency_id", "competency__code",
    "competency__area__framework__code", "level", "source", "observed_at", "recorded_at", "corrects_id",
    "org_unit_at_time_id", "personnel_group_at_time__code",
)  # fmt: skip


def evidence_page(
    *, unit_ids: list[int] | None, after: int, size: int, settled_before: dt.datetime
) -> tuple[list[dict], bool]:
    """Evidence in the order it was recorded, for people now in the scope's units.

    Only records older than ``settled_before`` are given, so that one whose transaction was still
    running (a long import) when a later one was read is never jumped over by the cursor.
    """
    queryset = _scoped(
        LevelEvidence.objects.filter(recorded_at__lt=settled_before), "employee__org_unit_id", unit_ids
    )
    rows = list(queryset.filter(id__gt=after).order_by("id").values(*EVIDENCE_FIELDS)[: size + 1])
    return rows[:size], len(rows) > size
