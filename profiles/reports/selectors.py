"""Reads for plans and reports: querysets turned into the specs and frames ``profiles.reports`` takes.

Every function runs a fixed number of queries, whatever the headcount.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import F, Func, IntegerField, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from skills_site.thai_calendar import BANGKOK, fiscal_year_of, fiscal_year_period

from ..competencies.counts import counted_base, counted_cells, counts_keep
from ..competencies.levels import as_of_moment, current_levels_bulk
from ..competencies.models import (
    Competency,
    LevelEvidence,
    LevelInterval,
    PlacementInterval,
    ProficiencyLevel,
    RoleTarget,
    Structure,
)
from ..competencies.point_in_time import (
    LEVEL_COLUMNS,
    LEVEL_DTYPES,
    NEVER_NS,
    PLACEMENT_COLUMNS,
    PLACEMENT_DTYPES,
    TimelineFrames,
    empty_frame,
    frames_of,
)
from ..competencies.selectors import employee_competency_profile
from ..competencies.timeline import timeline_compute
from ..organisation.models import Employee, OrgUnit, PersonnelGroup
from ..organisation.selectors import subtree, unit_tree
from . import charts
from .cache import cached, report_cache_key
from .capability import (
    BREAKDOWN_COLUMNS,
    CapabilityReport,
    MomentCounts,
    ReportMoment,
    TargetSpec,
    as_float,
    as_int,
    capability_breakdown,
    capability_table,
    cells_of,
    counts_from_cells,
    headline,
    level_distribution,
    level_people,
    report_moments,
    take_snapshots,
    target_people,
)
from .contributions import attempts_of, courses_for_competencies, enrolments_of
from .learning import learning_by_fiscal_year
from .models import CapabilityPlan, PlanTarget
from .team import level_history, readiness_by_competency, skills_matrix


def unit_rollup(children: dict[int | None, list[int]], root: int | None) -> dict[int, int]:
    """Map every unit below ``root`` to the child of ``root`` it sits under (the root maps to itself).

    With ``root=None`` the top units are the roots: everything maps to its top-level child unit of
    the department, so a department-wide report breaks down by bureau.
    """
    if root is None:
        tops = children.get(None, [])
        if len(tops) == 1:
            root = tops[0]
        else:
            return {unit: top for top in tops for unit in subtree(children, top)}
    mapping = {root: root}
    for child in children.get(root, []):
        for unit in subtree(children, child):
            mapping[unit] = child
    return mapping


def target_specs(
    plan: CapabilityPlan, children: dict[int | None, list[int]] | None = None
) -> list[TargetSpec]:
    """The plan's targets with their populations resolved: three queries plus the unit tree."""
    children = unit_tree() if children is None else children
    targets = (
        PlanTarget.objects.filter(plan=plan)
        .select_related("competency", "org_unit")
        .prefetch_related(
            "values", Prefetch("personnel_groups", queryset=PersonnelGroup.objects.order_by("sort_order"))
        )
    )
    specs = []
    for target in targets:
        groups = list(target.personnel_groups.all())
        parts = [target.org_unit.name if target.org_unit else str(_department_label())]
        if groups:
            parts.append(", ".join(group.name for group in groups))
        specs.append(
            TargetSpec(
                id=target.id,
                label=target.label,
                competency_id=target.competency_id,
                competency_code=target.competency.code,
                min_level=target.min_level,
                unit_ids=frozenset(subtree(children, target.org_unit_id)) if target.org_unit_id else None,
                group_ids=frozenset(group.id for group in groups) or None,
                population_label=" · ".join(parts),
                baseline_fiscal_year=target.baseline_fiscal_year,
                baseline_value=float(target.baseline_value) if target.baseline_value is not None else None,
                values={(v.fiscal_year, v.quarter): float(v.value) for v in target.values.all()},
            )
        )
    return specs


def _department_label():
    return _("Whole department")


def population_headcount(*, org_unit: OrgUnit | None, personnel_groups: Iterable[PersonnelGroup]) -> int:
    """How many active staff a target population holds today (for the "matches nobody" check)."""
    queryset = Employee.objects.filter(is_active=True)
    if org_unit is not None:
        queryset = queryset.filter(org_unit_id__in=subtree(unit_tree(), org_unit.pk))
    group_ids = [group.pk for group in personnel_groups]
    if group_ids:
        queryset = queryset.filter(personnel_group_id__in=group_ids)
    return queryset.count()


def employees_frame(queryset: QuerySet[Employee] | None = None) -> pd.DataFrame:
    """Staff for point-in-time reports: employee_id, org_unit_id, personnel_group_id (today's),
    start and end (UTC ns; end is the last instant of ``end_date``, or never).

    Active staff, and staff who have left with a recorded ``end_date`` (they count in the years
    they were there). An inactive record without an end date cannot be placed in time and is left out.
    """
    queryset = Employee.objects.all() if queryset is None else queryset
    queryset = queryset.filter(Q(is_active=True) | Q(end_date__isnull=False))
    rows = list(queryset.values_list("id", "org_unit_id", "personnel_group_id", "start_date", "end_date"))
    frame = pd.DataFrame(
        rows, columns=["employee_id", "org_unit_id", "personnel_group_id", "start_date", "end_date"]
    )
    frame["start"] = _day_bound_ns(frame["start_date"], end_of_day=False)
    frame["end"] = _day_bound_ns(frame["end_date"], end_of_day=True)
    return frame.drop(columns=["start_date", "end_date"]).astype("int64")


def _day_bound_ns(days: pd.Series, *, end_of_day: bool) -> pd.Series:
    """The first (or last) instant of each Bangkok date in UTC nanoseconds; a missing date is never."""
    if days.empty:
        return pd.Series(dtype="int64")
    moments = pd.to_datetime(days).dt.tz_localize(BANGKOK)
    if end_of_day:
        moments = moments + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
    values = moments.dt.tz_convert("UTC").dt.as_unit("ns")
    missing = values.isna().to_numpy()
    ns = values.to_numpy(dtype="datetime64[ns]").astype("int64")
    ns[missing] = NEVER_NS
    return pd.Series(ns, index=days.index)


def report_window(fiscal_years: Iterable[int], now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The span of time any report moment in these years can fall in."""
    years = sorted(fiscal_years)
    start = fiscal_year_period(years[0]).start_datetime()
    end = min(fiscal_year_period(years[-1]).end_datetime(), now)
    return start, max(end, start)


def _epoch_ns(field: str) -> Func:
    """A time column as UTC nanoseconds computed by PostgreSQL (exactly: EXTRACT gives a numeric);
    an empty end is never."""
    template = f"COALESCE((EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint * 1000, {NEVER_NS})"
    return Func(F(field), template=template, output_field=IntegerField())


def _frame(queryset, values: list[str], columns: list[str], dtypes: dict[str, str]) -> pd.DataFrame:
    """``values`` (ids, then ``valid_from`` and ``valid_until``) in one query, as a frame named ``columns``
    with the two times in UTC nanoseconds."""
    queryset = queryset.order_by()
    if connection.vendor == "postgresql":
        queryset = queryset.annotate(from_ns=_epoch_ns("valid_from"), until_ns=_epoch_ns("valid_until"))
        rows = list(queryset.values_list(*values[:-2], "from_ns", "until_ns"))
        frame = pd.DataFrame(rows, columns=columns)
    else:
        frame = pd.DataFrame(list(queryset.values_list(*values)), columns=columns)
        for column in columns[-2:]:
            moments = pd.to_datetime(frame[column], utc=True).dt.as_unit("ns")
            frame[column] = moments.astype("int64").where(moments.notna(), NEVER_NS)
    if frame.empty:
        return empty_frame(columns, dtypes)
    return frame.astype(dtypes)


def timeline_frames(
    *,
    competency_ids: Iterable[int] | None,
    start: dt.datetime,
    end: dt.datetime,
    employee_ids: Iterable[int] | None = None,
    as_recorded_on: dt.date | None = None,
) -> TimelineFrames:
    """The level and placement intervals overlapping [start, end]: two queries.

    ``as_recorded_on``: the timeline the log gave at the end of that day (evidence and corrections
    recorded later left out), computed from the log instead of read from the stored intervals.
    """
    competency_ids = None if competency_ids is None else list(competency_ids)
    if as_recorded_on is not None:
        log = LevelEvidence.objects.filter(recorded_at__lte=as_of_moment(as_recorded_on))
        people = (
            list(employee_ids)
            if employee_ids is not None
            else list(log.values_list("employee_id", flat=True).distinct())
        )
        return frames_of(timeline_compute(people, competency_ids, log=log), competency_ids)
    levels = LevelInterval.objects.filter(valid_from__lte=end).exclude(valid_until__lte=start)
    placements = PlacementInterval.objects.filter(valid_from__lte=end).exclude(valid_until__lte=start)
    if competency_ids is not None:
        levels = levels.filter(competency_id__in=competency_ids)
    if employee_ids is not None:
        levels = levels.filter(employee_id__in=list(employee_ids))
        placements = placements.filter(employee_id__in=list(employee_ids))
    return TimelineFrames(
        levels=_frame(
            levels,
            ["employee_id", "competency_id", "level", "rank", "deciding_id", "valid_from", "valid_until"],
            LEVEL_COLUMNS,
            LEVEL_DTYPES,
        ),
        placements=_frame(
            placements,
            ["employee_id", "org_unit_id", "personnel_group_id", "valid_from", "valid_until"],
            PLACEMENT_COLUMNS,
            PLACEMENT_DTYPES,
        ),
    )


def moment_counts(
    moments: Iterable[ReportMoment], *, competency_ids: Iterable[int], structure: str = "at_time"
) -> dict[tuple[int, int | None], MomentCounts]:
    """The workforce counted at each moment, read from the counted moments (``competencies.counts``):
    a fiscal year's or quarter's end is read as kept, "to date" as the end of today minus the few
    people whose count changes later today, so the work follows the structure, not the headcount.

    The rules are those of ``point_in_time.placement_at`` and ``levels_at``: a person counts from
    the start of their first day to the end of their last (Bangkok dates; an inactive record without
    an end date is left out), in the unit and group of their placement then (today's where they have
    none) or, with ``structure="today"``, today's; their levels count when confirmed.
    """
    moments = list(moments)
    if not moments:
        Structure.checked(structure)
        return {}
    ats = sorted({moment.at for moment in moments})
    staff_cells, level_cells = counted_cells(ats, structure=structure, competency_ids=competency_ids)
    position = np.array([ats.index(moment.at) for moment in moments], dtype="int64")
    # one row set per distinct instant; a moment's rows are those of its instant
    staff_rows = [staff_cells[staff_cells[:, 0] == at_index] for at_index in position]
    level_rows = [level_cells[level_cells[:, 0] == at_index] for at_index in position]
    for index, rows in enumerate(staff_rows):
        rows[:, 0] = index
    for index, rows in enumerate(level_rows):
        rows[:, 0] = index
    return counts_from_cells(
        moments,
        np.concatenate(staff_rows) if staff_rows else staff_cells,
        np.concatenate(level_rows) if level_rows else level_cells,
        sorted({int(c) for c in competency_ids}),
    )


def report_moments_keep(plan: CapabilityPlan, *, now: dt.datetime) -> int:
    """Count the moments a plan's report reads (``competencies.counts``) ahead of its first viewer,
    e.g. after the demo is built or the whole timeline rebuilt; returns how many it reads."""
    bases = {counted_base(moment.at) for moment in plan_moments(plan, target_specs(plan, unit_tree()), now)}
    counts_keep(bases)
    return len(bases)


def plan_moments(plan: CapabilityPlan, specs: list[TargetSpec], now: dt.datetime) -> list[ReportMoment]:
    """The moments a plan's report measures: its fiscal years' ends (and baselines), the quarters
    with a target value, and the running quarter, capped at now."""
    years = set(plan.fiscal_years) | {spec.baseline_fiscal_year for spec in specs}
    quarters = {key for spec in specs for key in spec.values if key[1] is not None}
    return report_moments(years, quarters, now)


def capability_report(
    plan: CapabilityPlan,
    *,
    now: dt.datetime,
    structure: str = "at_time",
    unit_id: int | None = None,
    group_id: int | None = None,
    fiscal_year: int | None = None,
    use_cache: bool = True,
    as_recorded_on: dt.date | None = None,
) -> CapabilityReport:
    """The capability report of a plan, cached until evidence or the plan's targets change.

    ``unit_id`` / ``group_id`` narrow every figure to a unit (with its sub-units) and a group;
    the caller has checked that the user may see them. ``as_recorded_on`` reproduces the report
    as the evidence log stood at the end of that day.
    """
    children = unit_tree()
    specs = target_specs(plan, children)
    key = report_cache_key(
        "capability", plan.pk, plan.first_fiscal_year, plan.last_fiscal_year, plan.framework_id, specs,
        structure, unit_id, group_id, fiscal_year, now.astimezone(BANGKOK).date(), as_recorded_on,
    )  # fmt: skip

    def build() -> CapabilityReport:
        return build_capability_report(
            plan, specs, children, now=now, structure=structure, unit_id=unit_id, group_id=group_id,
            fiscal_year=fiscal_year, as_recorded_on=as_recorded_on,
        )  # fmt: skip

    return cached(key, build) if use_cache else build()


def build_capability_report(
    plan: CapabilityPlan,
    specs: list[TargetSpec],
    children: dict[int | None, list[int]],
    *,
    now: dt.datetime,
    structure: str,
    unit_id: int | None,
    group_id: int | None,
    fiscal_year: int | None = None,
    as_recorded_on: dt.date | None = None,
) -> CapabilityReport:
    """Count the workforce at every moment once (``moment_counts``), then derive every table from
    those counts."""
    moments = plan_moments(plan, specs, now)
    competencies = list(
        Competency.objects.filter(framework_id=plan.framework_id)
        .order_by("sort_order", "code")
        .values_list("id", "code")
    )
    competency_ids = [cid for cid, _code in competencies]
    scale = sorted(
        ProficiencyLevel.objects.filter(framework_id=plan.framework_id).values_list("level", flat=True)
    )
    if as_recorded_on is not None and moments:
        # the log as it stood then: its timeline is computed in memory, then counted the same way
        start, end = report_window([m.fiscal_year for m in moments], now)
        frames = timeline_frames(
            competency_ids=competency_ids, start=start, end=end, as_recorded_on=as_recorded_on
        )
        snapshots = take_snapshots(
            frames, employees_frame(), moments, structure=structure, competency_ids=competency_ids
        )
        staff_cells, level_cells = cells_of([snapshots[m.key] for m in moments])
        counted = counts_from_cells(moments, staff_cells, level_cells, competency_ids)
    else:
        counted = moment_counts(moments, competency_ids=competency_ids, structure=structure)
    unit_filter = subtree(children, unit_id) if unit_id else None
    group_filter = {group_id} if group_id else None
    table = capability_table(specs, counted, now=now, unit_filter=unit_filter, group_filter=group_filter)

    current_year = fiscal_year_of(now)
    target_year = fiscal_year or min(max(current_year, plan.first_fiscal_year), plan.last_fiscal_year)
    latest = counted.get((target_year, None)) or (
        max(counted.values(), key=lambda s: s.moment.at) if counted else None
    )
    unit_names = dict(OrgUnit.objects.values_list("id", translated_name_field()))
    group_names = dict(PersonnelGroup.objects.values_list("id", translated_name_field()))
    if latest is not None:
        by_unit = capability_breakdown(
            specs, latest, by="org_unit", rollup=unit_rollup(children, unit_id), labels=unit_names,
            target_year=target_year, unit_filter=unit_filter, group_filter=group_filter,
        )  # fmt: skip
        by_group = capability_breakdown(
            specs, latest, by="personnel_group", rollup={gid: gid for gid in group_names}, labels=group_names,
            target_year=target_year, unit_filter=unit_filter, group_filter=group_filter,
        )  # fmt: skip
    else:
        by_unit = pd.DataFrame(columns=BREAKDOWN_COLUMNS)
        by_group = pd.DataFrame(columns=BREAKDOWN_COLUMNS)
    plan_years = {key: counts for key, counts in counted.items() if key[0] in set(plan.fiscal_years)}
    distribution = level_distribution(
        plan_years, competencies, scale, unit_filter=unit_filter, group_filter=group_filter
    )
    cells = sum(int(np.count_nonzero(c.staff) + np.count_nonzero(c.levels)) for c in counted.values())
    return CapabilityReport(
        plan_id=plan.pk,
        structure=structure,
        as_of=now,
        target_year=target_year,
        specs=specs,
        table=table,
        headline=headline(table),
        by_unit=by_unit,
        by_group=by_group,
        distribution=distribution,
        cells_counted=cells,
        as_recorded_on=as_recorded_on,
    )


FIGURES = ("headcount", "reached", "not_reached")


@dataclass
class FigurePeople:
    """The people behind one figure of the capability report, with why each one counts there."""

    moment: ReportMoment
    spec: TargetSpec | None
    figure: str
    rows: list[dict]


def figure_people(
    plan: CapabilityPlan,
    *,
    now: dt.datetime,
    fiscal_year: int,
    quarter: int | None = None,
    figure: str = "headcount",
    target_id: int | None = None,
    competency_id: int | None = None,
    level: int | None = None,
    by: str | None = None,
    key: int | None = None,
    structure: str = "at_time",
    unit_id: int | None = None,
    group_id: int | None = None,
    as_recorded_on: dt.date | None = None,
) -> FigurePeople | None:
    """The people behind a target's headcount, reached or not-yet-reached figure (optionally one row
    of a breakdown ``by`` unit or group), or behind a level-distribution cell (``competency_id`` and
    ``level``), at the moment the report measured that period; None for a period not measured yet.
    A fixed number of queries."""
    if figure not in FIGURES:
        raise ValueError(f"Unknown figure {figure!r}")
    children = unit_tree()
    spec = None
    if target_id is not None:
        spec = next((s for s in target_specs(plan, children) if s.id == target_id), None)
        if spec is None:
            return None
        competency_id = spec.competency_id
    moments = {
        m.key: m for m in report_moments({fiscal_year}, {(fiscal_year, quarter)} if quarter else (), now)
    }
    moment = moments.get((fiscal_year, quarter))
    if moment is None or competency_id is None:
        return None
    frames = timeline_frames(
        competency_ids=[competency_id], start=moment.at, end=moment.at, as_recorded_on=as_recorded_on
    )
    snapshot = take_snapshots(
        frames, employees_frame(), [moment], structure=structure, competency_ids=[competency_id]
    )[moment.key]
    unit_filter = subtree(children, unit_id) if unit_id else None
    group_filter = {group_id} if group_id else None
    if spec is not None:
        rollup = None
        if by == "org_unit":
            rollup = unit_rollup(children, unit_id)
        elif by == "personnel_group":
            rollup = {g: g for g in PersonnelGroup.objects.values_list("id", flat=True)}
        people = target_people(
            snapshot, spec, unit_filter=unit_filter, group_filter=group_filter, by=by, rollup=rollup, key=key
        )
        if figure == "reached":
            people = people[people["reached"]]
        elif figure == "not_reached":
            people = people[~people["reached"]]
    else:
        people = level_people(
            snapshot, competency_id, level or 0, unit_filter=unit_filter, group_filter=group_filter
        )
    return FigurePeople(moment=moment, spec=spec, figure=figure, rows=_people_rows(people))


def _people_rows(people: pd.DataFrame) -> list[dict]:
    """Names, units, groups and deciding records for a people frame: four queries whatever its size."""
    ids = people["employee_id"].astype(int).tolist()
    staff = {
        e.id: e for e in Employee.objects.filter(id__in=ids).only(
            "id", "employee_number", "first_name_th", "last_name_th", "first_name_en", "last_name_en"
        )
    }  # fmt: skip
    units = {u.id: u for u in OrgUnit.objects.filter(id__in=set(people["org_unit_id"].astype(int)))}
    groups = {
        g.id: g for g in PersonnelGroup.objects.filter(id__in=set(people["personnel_group_id"].astype(int)))
    }
    evidence_ids = [int(e) for e in people["evidence_id"].dropna()]
    evidence = {
        e.id: e
        for e in LevelEvidence.objects.filter(id__in=evidence_ids).only(
            "id", "source", "observed_at", "source_label"
        )
    }
    rows = []
    for record in people.itertuples():
        employee = staff.get(int(record.employee_id))
        deciding = evidence.get(int(record.evidence_id)) if pd.notna(record.evidence_id) else None
        since = int(record.placed_since)
        rows.append(
            {
                "employee_number": employee.employee_number if employee else "",
                "name": employee.full_name if employee else "",
                "unit": units[int(record.org_unit_id)].name,
                "group": groups[int(record.personnel_group_id)].name,
                "placed_since": pd.Timestamp(since, tz="UTC").tz_convert(BANGKOK).date()
                if since >= 0
                else None,
                "level": int(record.level) if pd.notna(record.level) else None,
                "reached": bool(record.reached),
                "source": deciding.get_source_display() if deciding else "",
                "observed_on": deciding.observed_at.astimezone(BANGKOK).date() if deciding else None,
                "reference": deciding.source_label if deciding else "",
            }
        )
    rows.sort(key=lambda row: (row["unit"], row["employee_number"]))
    return rows


def translated_name_field() -> str:
    """``name_en`` when the reader works in English, else ``name_th`` (bilingual unit and group names)."""
    language = translation.get_language() or "th"
    return "name_en" if language.startswith("en") else "name_th"


# --- Team readiness and "my skills" ------------------------------------------------------------


TEAM_PAGE_SIZE = 50
TEAM_SORTS = ("name", "gap")
SEARCHED_NAME_FIELDS = ("employee_number", "first_name_th", "last_name_th", "first_name_en", "last_name_en")


@dataclass
class TeamReadiness:
    members: list[Employee]  # the members on this page of the matrix
    competencies: list
    rows: list[dict]  # one per member on this page: employee and a cell per competency
    readiness: list[dict]  # one per competency, for the whole team: with_target, ready, ready_pct
    needs: list[dict]  # who on this page needs what: employee, competency, level, target, gap
    matrix: pd.DataFrame  # the whole team
    total: int = 0  # members in the team (after the search)
    page: int = 1
    pages: int = 1
    short: dict = field(default_factory=dict)  # competency id -> members of the whole team short of target


def team_levels_frame(team: QuerySet[Employee], moment: dt.datetime) -> pd.DataFrame:
    """Levels (and their source rank) that hold at ``moment`` for a whole team, read from the
    timeline as plain rows: one query, no object per level."""
    rows = (
        LevelInterval.objects.filter(employee__in=team.values("id"), valid_from__lte=moment)
        .exclude(valid_until__lte=moment)
        .values_list("employee_id", "competency_id", "level", "rank")
    )
    return pd.DataFrame(list(rows), columns=["employee_id", "competency_id", "level", "rank"]).astype("int64")


def role_targets_frame(group_ids: Iterable[int]) -> pd.DataFrame:
    """Expected level per (group, competency) from two queries; a competency target beats its area's."""

    targets = list(
        RoleTarget.objects.filter(
            personnel_group_id__in=list(group_ids), framework__is_active=True
        ).values_list("personnel_group_id", "framework_id", "area_id", "competency_id", "level")
    )
    framework_ids = {framework_id for _g, framework_id, _a, _c, _l in targets}
    area_members: dict[int, list[int]] = {}
    for competency_id, area_id in Competency.objects.filter(framework_id__in=framework_ids).values_list(
        "id", "area_id"
    ):
        area_members.setdefault(area_id, []).append(competency_id)
    resolved: dict[tuple[int, int], int] = {}
    for group_id, _framework_id, area_id, _competency_id, level in targets:
        if area_id:
            for competency_id in area_members.get(area_id, []):
                resolved.setdefault((group_id, competency_id), level)
    for group_id, _framework_id, _area_id, competency_id, level in targets:
        if competency_id:
            resolved[(group_id, competency_id)] = level
    rows = [(group_id, competency_id, level) for (group_id, competency_id), level in resolved.items()]
    return pd.DataFrame(rows, columns=["personnel_group_id", "competency_id", "target"]).astype("int64")


def team_members(unit_ids: Iterable[int], *, manager) -> QuerySet[Employee]:
    """A head's team: the staff of these units (theirs, with the units below), not the head."""
    return Employee.objects.filter(org_unit_id__in=list(unit_ids)).exclude(user=manager)


def team_matrix(
    team: QuerySet[Employee], *, as_of: dt.datetime
) -> tuple[list[tuple[int, int]], pd.DataFrame]:
    """The team's roster (id, personnel group; by name) and its skills matrix at ``as_of``: four queries."""
    roster = list(
        team.order_by("first_name_th", "last_name_th", "id").values_list("id", "personnel_group_id")
    )
    members_frame = pd.DataFrame(roster, columns=["employee_id", "personnel_group_id"]).astype("int64")
    targets = role_targets_frame({group_id for _id, group_id in roster})
    return roster, skills_matrix(team_levels_frame(team, as_of), members_frame, targets)


def short_of_target(matrix: pd.DataFrame) -> dict[int, int]:
    """Competency id -> how many people of the matrix fall short of their role target in it."""
    short = matrix[matrix["gap"] > 0].groupby("competency_id")["employee_id"].count().to_dict()
    return {int(k): int(v) for k, v in short.items()}


@dataclass
class TeamGap:
    competency: Competency
    short: int  # people below their role target
    with_target: int  # people with a role target in it


def team_gaps(members: QuerySet[Employee], *, as_of: dt.datetime, limit: int = 3) -> list[TeamGap]:
    """The competencies where most of the team's active staff fall short of target: five queries."""
    _roster, matrix = team_matrix(members.filter(is_active=True), as_of=as_of)
    short = short_of_target(matrix)
    if not short:
        return []
    with_target = {
        int(r.competency_id): int(r.with_target) for r in readiness_by_competency(matrix).itertuples()
    }
    competencies = Competency.objects.select_related("framework").in_bulk(list(short))
    ranked = sorted(
        short, key=lambda c: (-short[c], competencies[c].framework.code, competencies[c].sort_order)
    )
    return [TeamGap(competencies[c], short[c], with_target.get(c, short[c])) for c in ranked[:limit]]


def team_readiness(
    members: QuerySet[Employee],
    *,
    as_of: dt.datetime,
    page: int = 1,
    per_page: int = TEAM_PAGE_SIZE,
    search: str = "",
    sort: str = "name",
) -> TeamReadiness:
    """Skills matrix, readiness per competency and who needs what, in a fixed number of queries.

    Readiness covers the whole team; the matrix and the needs are one page of ``per_page`` members,
    ordered by name or by the total gap (largest first), narrowed by ``search`` (name or number).
    """
    team = members.filter(is_active=True)
    if search:
        words = Q()
        for field_name in SEARCHED_NAME_FIELDS:
            words |= Q(**{f"{field_name}__icontains": search})
        team = team.filter(words)
    roster, matrix = team_matrix(team, as_of=as_of)
    shown = matrix.loc[matrix["target"].notna(), "competency_id"].unique().tolist() or (
        matrix["competency_id"].unique().tolist()
    )
    competencies = list(
        Competency.objects.filter(id__in=shown)
        .select_related("framework")
        .order_by("framework__code", "sort_order")
    )
    by_id = {c.id: c for c in competencies}
    order = [employee_id for employee_id, _group in roster]
    if sort == "gap":
        total_gap = matrix.groupby("employee_id")["gap"].sum()
        order.sort(key=lambda employee_id: -float(total_gap.get(employee_id, 0)))
    pages = max(1, -(-len(order) // per_page))
    page = min(max(page, 1), pages)
    page_ids = order[(page - 1) * per_page : page * per_page]
    people_by_id = Employee.objects.select_related("org_unit", "personnel_group").in_bulk(page_ids)
    levels = current_levels_bulk(page_ids, as_of=as_of)
    people = [people_by_id[employee_id] for employee_id in page_ids]
    on_page = matrix[matrix["employee_id"].isin(page_ids)]
    cells = {(r.employee_id, r.competency_id): r for r in on_page.itertuples()}
    rows = []
    for person in people:
        row_cells = []
        for competency in competencies:
            cell = cells.get((person.id, competency.id))
            current = levels.get(person.id, {}).get(competency.id)
            row_cells.append(
                {
                    "competency": competency,
                    "level": current.level if current else None,
                    "self_rated": bool(current and current.is_self_rated),
                    "target": int(cell.target) if cell is not None and pd.notna(cell.target) else None,
                    "gap": int(cell.gap) if cell is not None and pd.notna(cell.gap) else None,
                }
            )
        rows.append({"employee": person, "cells": row_cells})
    readiness = [
        {
            "competency": by_id[int(r.competency_id)],
            "with_target": int(r.with_target),
            "ready": int(r.ready),
            "ready_pct": float(r.ready_pct),
        }
        for r in readiness_by_competency(matrix).itertuples()
        if int(r.competency_id) in by_id
    ]
    readiness.sort(key=lambda r: competencies.index(r["competency"]))
    needs = [
        {
            "employee": people_by_id[int(r.employee_id)],
            "competency": by_id[int(r.competency_id)],
            "level": levels.get(int(r.employee_id), {}).get(int(r.competency_id)),
            "target": int(r.target),
            "gap": int(r.gap),
        }
        for r in on_page[(on_page["gap"] > 0)].sort_values(["gap"], ascending=False).itertuples()
        if int(r.competency_id) in by_id
    ]
    return TeamReadiness(
        people, competencies, rows, readiness, needs, matrix, total=len(order), page=page, pages=pages,
        short=short_of_target(matrix),
    )  # fmt: skip


@dataclass
class MySkills:
    frameworks: list  # FrameworkProfile from competencies.selectors
    history: pd.DataFrame  # date, competency_id, label, level


def my_skills(employee: Employee, *, now: dt.datetime) -> MySkills:
    """Levels against role targets with the evidence behind them, and how each level changed."""
    frameworks = employee_competency_profile(employee, as_of=now)
    # each interval of the timeline is a step; where one ends with no next, the level lapsed (0)
    steps = []
    intervals = LevelInterval.objects.filter(employee=employee, valid_from__lte=now).order_by("valid_from")
    starts = set()
    rows = list(intervals.values_list("competency_id", "valid_from", "valid_until", "level"))
    for competency_id, valid_from, _until, level in rows:
        steps.append((valid_from, competency_id, level))
        starts.add((competency_id, valid_from))
    for competency_id, _from, valid_until, _level in rows:
        if valid_until is not None and valid_until <= now and (competency_id, valid_until) not in starts:
            steps.append((valid_until, competency_id, 0))
    history = level_history(steps)
    labels = {row.competency.id: f"{row.competency.code}" for profile in frameworks for row in profile.rows}
    if not history.empty:
        history["label"] = history["competency_id"].map(labels).fillna("?")
    return MySkills(frameworks=frameworks, history=history)


# --- Learning activity (from the apps that produce evidence, through ``contributions``) ---------


def learning_report(
    *, years: list[int], unit_ids: Iterable[int] | None, group_id: int | None
) -> pd.DataFrame:
    """Course completion and assessment pass rates per fiscal year for active staff (today's units)."""

    staff = Employee.objects.filter(is_active=True)
    if unit_ids is not None:
        staff = staff.filter(org_unit_id__in=list(unit_ids))
    if group_id is not None:
        staff = staff.filter(personnel_group_id=group_id)
    return learning_by_fiscal_year(enrolments_of(staff), attempts_of(staff), years)


# --- Courses for gaps, and the plans' headlines --------------------------------------------------


def recommended_courses(employee: Employee | None, skills: MySkills | None) -> list[dict]:
    """Courses whose completion would close one of the employee's gaps, not yet completed."""
    if employee is None or skills is None:
        return []
    wanted = {
        row.competency.id: row.target
        for profile in skills.frameworks
        for row in profile.rows
        if row.target is not None
        and (row.current is None or row.current.is_self_rated or row.level < row.target)
    }
    names = {row.competency.id: row.competency for profile in skills.frameworks for row in profile.rows}
    courses = courses_for_competencies(wanted, exclude_completed_by=employee)
    result, seen = [], set()
    for competency_id, links in courses.items():
        for link in links:
            if link.course_id in seen:
                continue
            seen.add(link.course_id)
            competency = names[competency_id]
            result.append(
                {
                    "title": link.course.title,
                    "url": link.course.url,
                    "reason": _("evidences level %(level)s in %(competency)s (your target: %(target)s)")
                    % {"level": link.level, "competency": competency.code, "target": wanted[competency_id]},
                }
            )
    return result


def courses_for_gaps(team: TeamReadiness) -> dict[int, list]:
    """For each competency where someone in the team falls short: courses reaching the highest target."""
    short = team.matrix[team.matrix["gap"] > 0]
    wanted = {int(c): int(t) for c, t in short.groupby("competency_id")["target"].max().items()}
    return courses_for_competencies(wanted)


def team_page(members: QuerySet[Employee], *, as_of: dt.datetime, **paging) -> TeamReadiness:
    """My team: readiness, with the courses that close each need attached to it."""
    team = team_readiness(members, as_of=as_of, **paging)
    gap_courses = courses_for_gaps(team)
    for need in team.needs:
        need["courses"] = [link.course for link in gap_courses.get(need["competency"].id, [])]
    return team


def plan_headlines(*, now: dt.datetime, limit: int = 3) -> list[dict]:
    """This year's status of every target of the active plans, for HR's dashboard."""
    result = []
    for plan in CapabilityPlan.objects.filter(is_active=True).order_by("-first_fiscal_year", "code")[:limit]:
        report = capability_report(plan, now=now)
        rows = [
            {
                "target": record["target"],
                "actual_pct": as_float(record["actual_pct"]),
                "target_pct": as_float(record["target_pct"]),
                "gap_headcount": as_int(record["gap_headcount"]),
                "status": record["status"],
                "status_label": charts.status_label(record["status"]),
                "fiscal_year": record["fiscal_year"],
            }
            for record in report.headline.to_dict("records")
        ]
        counts = {
            status: sum(1 for row in rows if row["status"] == status) for status in charts.STATUS_COLOURS
        }
        result.append(
            {
                "plan": plan,
                "rows": rows,
                "counts": counts,
                "url": reverse("capability_report:index") + f"?plan={plan.pk}",
            }
        )
    return result
