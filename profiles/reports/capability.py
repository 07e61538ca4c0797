"""The capability report: plan targets against what the evidence says, per fiscal year.

Inputs are plain specs and DataFrames (see ``selectors`` for the loaders), outputs
are DataFrames; the views, exports, PDF pack and benchmark share them.

Counting rules (README.md, "Capability report"):

- A person reaches a target when their level in the target's competency, decided by the level
  policy at that moment, is at or above the target level **and was confirmed**: a level that only
  rests on a self-assessment does not count towards a plan.
- The headcount is the population of the target at that moment (see ``placement_at``).
- ``needed = ceil(target% x headcount)``; ``gap = max(needed - reached, 0)``; met when gap is 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from skills_site.thai_calendar import (
    fiscal_quarter_of,
    fiscal_quarter_period,
    fiscal_year_of,
    fiscal_year_period,
)

from ..competencies.levels import CONFIRMED_RANK
from ..competencies.point_in_time import TimelineFrames, levels_at, placement_at

MET, ON_TRACK, AT_RISK, OFF_TRACK = "met", "on_track", "at_risk", "off_track"
STATUSES = (MET, ON_TRACK, AT_RISK, OFF_TRACK)
AT_RISK_MARGIN = 5.0  # percentage points a forecast may fall short and still be "at risk"
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class TargetSpec:
    """One plan target, resolved: who is in the population and what share is asked for when."""

    id: int
    label: str
    competency_id: int
    competency_code: str
    min_level: int
    unit_ids: frozenset[int] | None  # None: the whole department
    group_ids: frozenset[int] | None  # None: every personnel group
    population_label: str
    baseline_fiscal_year: int
    baseline_value: float | None
    values: dict[tuple[int, int | None], float] = field(default_factory=dict)

    @property
    def fiscal_years(self) -> list[int]:
        return sorted({year for year, quarter in self.values if quarter is None})


@dataclass(frozen=True)
class ReportMoment:
    """A point the report measures at: the end of a fiscal year or quarter, or now when it is running."""

    fiscal_year: int
    quarter: int | None
    at: dt.datetime
    to_date: bool

    @property
    def key(self) -> tuple[int, int | None]:
        return (self.fiscal_year, self.quarter)


@dataclass
class Snapshot:
    """The workforce at one moment: where everyone counts, and their confirmed levels."""

    moment: ReportMoment
    placement: pd.DataFrame  # employee_id, org_unit_id, personnel_group_id
    levels: pd.DataFrame  # employee_id, competency_id, level, rank, evidence_id


STAFF_CELL_COLUMNS = ["moment", "org_unit_id", "personnel_group_id", "headcount"]
LEVEL_CELL_COLUMNS = ["moment", "org_unit_id", "personnel_group_id", "competency_id", "level", "count"]


@dataclass
class MomentCounts:
    """The workforce at one moment, counted: every figure of the report is a sum over these cells.

    ``staff[u, g]``: how many people count in unit ``unit_ids[u]`` and personnel group
    ``group_ids[g]``; ``levels[u, g, c, level]``: how many of them hold that confirmed level of
    competency ``competency_ids[c]``. Their size follows the structure (units x groups x
    competencies x levels), not the headcount.
    """

    moment: ReportMoment
    unit_ids: np.ndarray
    group_ids: np.ndarray
    competency_ids: np.ndarray
    staff: np.ndarray  # [unit, group]
    levels: np.ndarray  # [unit, group, competency, level]


def counts_from_cells(
    moments: list[ReportMoment],
    staff_cells: np.ndarray,
    level_cells: np.ndarray,
    competency_ids: Iterable[int],
) -> dict[tuple[int, int | None], MomentCounts]:
    """Counts per moment from cell rows: ``staff_cells`` rows are STAFF_CELL_COLUMNS and
    ``level_cells`` rows LEVEL_CELL_COLUMNS, ``moment`` being an index into ``moments``.

    The database counts the stored timeline into these rows (``selectors.moment_counts``); a
    report "as recorded on" a past day counts its people in memory (``cells_of``).
    """
    staff_cells = np.asarray(staff_cells, dtype="int64").reshape(-1, len(STAFF_CELL_COLUMNS))
    level_cells = np.asarray(level_cells, dtype="int64").reshape(-1, len(LEVEL_CELL_COLUMNS))
    unit_ids = np.unique(np.concatenate([staff_cells[:, 1], level_cells[:, 1]]))
    group_ids = np.unique(np.concatenate([staff_cells[:, 2], level_cells[:, 2]]))
    known = {int(c) for c in competency_ids} | set(level_cells[:, 3].tolist())
    competencies = np.array(sorted(known), dtype="int64")
    top_level = int(level_cells[:, 4].max()) if len(level_cells) else 0
    shape = (len(unit_ids), len(group_ids))
    staff = np.zeros((len(moments), *shape), dtype="int64")
    levels = np.zeros((len(moments), *shape, len(competencies), top_level + 1), dtype="int64")
    np.add.at(
        staff,
        (
            staff_cells[:, 0],
            np.searchsorted(unit_ids, staff_cells[:, 1]),
            np.searchsorted(group_ids, staff_cells[:, 2]),
        ),
        staff_cells[:, 3],
    )
    np.add.at(
        levels,
        (
            level_cells[:, 0],
            np.searchsorted(unit_ids, level_cells[:, 1]),
            np.searchsorted(group_ids, level_cells[:, 2]),
            np.searchsorted(competencies, level_cells[:, 3]),
            level_cells[:, 4],
        ),
        level_cells[:, 5],
    )
    return {
        moment.key: MomentCounts(moment, unit_ids, group_ids, competencies, staff[index], levels[index])
        for index, moment in enumerate(moments)
    }


def cells_of(snapshots: list[Snapshot]) -> tuple[np.ndarray, np.ndarray]:
    """The people of each snapshot counted into cell rows (the ``moment`` column is the snapshot's
    position): levels count only for people on the staff then, in the unit and group they count in."""
    staff_parts, level_parts = [], []
    for index, snapshot in enumerate(snapshots):
        placement = snapshot.placement
        staff = placement.groupby(["org_unit_id", "personnel_group_id"]).size().reset_index()
        staff_parts.append(np.column_stack([np.full(len(staff), index), staff.to_numpy()]))
        placed = snapshot.levels.merge(
            placement[["employee_id", "org_unit_id", "personnel_group_id"]], on="employee_id", how="inner"
        )
        levels = placed.groupby(["org_unit_id", "personnel_group_id", "competency_id", "level"]).size()
        levels = levels.reset_index()
        level_parts.append(np.column_stack([np.full(len(levels), index), levels.to_numpy()]))
    staff_rows = np.concatenate(staff_parts) if staff_parts else np.empty((0, len(STAFF_CELL_COLUMNS)))
    level_rows = np.concatenate(level_parts) if level_parts else np.empty((0, len(LEVEL_CELL_COLUMNS)))
    return staff_rows.astype("int64"), level_rows.astype("int64")


def report_moments(
    fiscal_years: Iterable[int], quarters: Iterable[tuple[int, int]], now: dt.datetime
) -> list[ReportMoment]:
    """Fiscal-year ends that have started by ``now`` (capped at now), the current quarter and the
    quarters that have a target value and have started."""
    moments: dict[tuple[int, int | None], ReportMoment] = {}
    for year in sorted(set(fiscal_years)):
        period = fiscal_year_period(year)
        if period.start_datetime() > now:
            continue
        end = period.end_datetime()
        moments[(year, None)] = ReportMoment(year, None, min(end, now), end > now)
    wanted = set(quarters) | {(fiscal_year_of(now), fiscal_quarter_of(now))}
    for year, quarter in sorted(wanted):
        period = fiscal_quarter_period(year, quarter)
        if period.start_datetime() > now:
            continue
        end = period.end_datetime()
        moments[(year, quarter)] = ReportMoment(year, quarter, min(end, now), end > now)
    return sorted(moments.values(), key=lambda m: (m.at, m.quarter is None))


def take_snapshots(
    frames: TimelineFrames,
    employees: pd.DataFrame,
    moments: Iterable[ReportMoment],
    *,
    structure: str = "at_time",
    competency_ids: Iterable[int] | None = None,
) -> dict[tuple[int, int | None], Snapshot]:
    wanted = None if competency_ids is None else list(set(competency_ids))
    snapshots = {}
    for moment in moments:
        levels = levels_at(frames, moment.at)
        levels = levels[levels["rank"].to_numpy() >= CONFIRMED_RANK]
        if wanted is not None:
            levels = levels[levels["competency_id"].isin(wanted)]
        placement = placement_at(frames, employees, moment.at, structure=structure)
        snapshots[moment.key] = Snapshot(moment, placement, levels.reset_index(drop=True))
    return snapshots


def needed_headcount(target_pct: float, headcount: int) -> int:
    """ceil(target% x headcount) in integer arithmetic, so 70% of 10 is 7, not 8."""
    hundredths = round(target_pct * 100)
    return -(-hundredths * headcount // 10_000)


def forecast_status(
    *,
    target_pct: float,
    actual_pct: float | None,
    gap: int | None,
    period_over: bool,
    slope_per_year: float,
    years_ahead: float,
) -> str | None:
    """The status of one target value.

    - met: the gap is closed (for a period still running: already closed now).
    - a period that is over and was not met: off track.
    - otherwise the latest actual is projected linearly to the end of the period with the trend
      since the baseline: on track when the projection reaches the target, at risk when it falls
      short by at most AT_RISK_MARGIN points, off track beyond that.
    """
    if actual_pct is None:
        return None
    if gap == 0:
        return MET
    if period_over:
        return OFF_TRACK
    projected = min(max(actual_pct + slope_per_year * max(years_ahead, 0.0), 0.0), 100.0)
    if projected >= target_pct:
        return ON_TRACK
    if projected >= target_pct - AT_RISK_MARGIN:
        return AT_RISK
    return OFF_TRACK


def _population(placement: pd.DataFrame, spec: TargetSpec, unit_filter, group_filter) -> pd.DataFrame:
    """The people of ``placement`` in the target's population, narrowed by the report's filters
    (the same rule as ``_cells`` for counts)."""
    mask = pd.Series(True, index=placement.index)
    if spec.unit_ids is not None:
        mask &= placement["org_unit_id"].isin(spec.unit_ids)
    if spec.group_ids is not None:
        mask &= placement["personnel_group_id"].isin(spec.group_ids)
    if unit_filter is not None:
        mask &= placement["org_unit_id"].isin(unit_filter)
    if group_filter is not None:
        mask &= placement["personnel_group_id"].isin(group_filter)
    return placement[mask]


def _allowed(ids: np.ndarray, *allowed: frozenset[int] | None) -> np.ndarray:
    """Which of ``ids`` every given set admits (None admits all)."""
    mask = np.ones(len(ids), dtype=bool)
    for wanted in allowed:
        if wanted is not None:
            mask &= np.isin(ids, list(wanted))
    return mask


def _cells(counts: MomentCounts, spec: TargetSpec, unit_filter, group_filter):
    """The target's population among the cells: (unit mask, group mask, competency position or None)."""
    units = _allowed(counts.unit_ids, spec.unit_ids, unit_filter)
    groups = _allowed(counts.group_ids, spec.group_ids, group_filter)
    found = np.flatnonzero(counts.competency_ids == spec.competency_id)
    return units, groups, (int(found[0]) if len(found) else None)


def _reached_grid(counts: MomentCounts, spec: TargetSpec, units, groups, competency) -> np.ndarray:
    """[unit, group]: people in the population at or above the target level (zero outside it)."""
    if competency is None:
        return np.zeros(counts.staff.shape, dtype="int64")
    reached = counts.levels[:, :, competency, spec.min_level :].sum(axis=2)
    return reached * units[:, None] * groups[None, :]


def _measure(counts: MomentCounts, spec: TargetSpec, unit_filter, group_filter) -> tuple[int, int]:
    units, groups, competency = _cells(counts, spec, unit_filter, group_filter)
    headcount = int(counts.staff[np.ix_(units, groups)].sum())
    reached = int(_reached_grid(counts, spec, units, groups, competency).sum())
    return headcount, reached


def _pct(reached: int, headcount: int) -> float | None:
    return round(100.0 * reached / headcount, 1) if headcount else None


REPORT_COLUMNS = [
    "target_id", "target", "competency", "min_level", "population", "fiscal_year", "quarter", "period",
    "as_of", "to_date", "headcount", "reached", "actual_pct", "target_pct", "needed", "gap_headcount",
    "status",
]  # fmt: skip


def capability_table(
    specs: Iterable[TargetSpec],
    snapshots: dict[tuple[int, int | None], MomentCounts],
    *,
    now: dt.datetime,
    unit_filter: Iterable[int] | None = None,
    group_filter: Iterable[int] | None = None,
) -> pd.DataFrame:
    """One row per target and period: baseline, each fiscal year of the plan, target quarters and
    the current quarter, with actual, target, gap and status."""
    unit_filter = None if unit_filter is None else frozenset(unit_filter)
    group_filter = None if group_filter is None else frozenset(group_filter)
    latest = max(snapshots.values(), key=lambda s: (s.moment.at, s.moment.quarter is not None), default=None)
    rows = []
    for spec in specs:
        measured = {key: _measure(snap, spec, unit_filter, group_filter) for key, snap in snapshots.items()}
        now_headcount, now_reached = measured[latest.moment.key] if latest else (0, 0)
        now_pct = _pct(now_reached, now_headcount)
        baseline_pct = spec.baseline_value
        if baseline_pct is None and (spec.baseline_fiscal_year, None) in measured:
            baseline_pct = _pct(*reversed(measured[(spec.baseline_fiscal_year, None)]))
        baseline_end = fiscal_year_period(spec.baseline_fiscal_year).end_datetime()
        years_since = (now - baseline_end).total_seconds() / 86_400 / DAYS_PER_YEAR
        slope = 0.0
        if baseline_pct is not None and now_pct is not None and years_since > 0.25:
            slope = (now_pct - baseline_pct) / years_since
        common = {
            "target_id": spec.id,
            "target": spec.label,
            "competency": spec.competency_code,
            "min_level": spec.min_level,
            "population": spec.population_label,
        }
        base_counts = measured.get((spec.baseline_fiscal_year, None))
        rows.append(
            {
                **common,
                "fiscal_year": spec.baseline_fiscal_year,
                "quarter": None,
                "period": "baseline",
                "as_of": fiscal_year_period(spec.baseline_fiscal_year).end,
                "to_date": False,
                "headcount": base_counts[0] if base_counts else None,
                "reached": base_counts[1] if base_counts else None,
                "actual_pct": baseline_pct,
                "target_pct": None,
                "needed": None,
                "gap_headcount": None,
                "status": None,
            }
        )
        keys = set(spec.values) | {
            k for k in measured if k[1] is not None and latest and k == latest.moment.key
        }
        for year, quarter in sorted(keys, key=lambda k: (k[0], k[1] or 5)):
            if (year, quarter) == (spec.baseline_fiscal_year, None):
                continue
            target_pct = spec.values.get((year, quarter))
            if target_pct is None and quarter is not None:
                target_pct = spec.values.get((year, None))
            period = fiscal_quarter_period(year, quarter) if quarter else fiscal_year_period(year)
            counts = measured.get((year, quarter))
            snapshot = snapshots.get((year, quarter))
            if counts is not None:
                headcount, reached = counts
                to_date = snapshot.moment.to_date
                as_of = snapshot.moment.at.date() if to_date else period.end
            else:  # a period still ahead: measured by today's figures
                headcount, reached, to_date, as_of = now_headcount, now_reached, False, None
            needed = needed_headcount(target_pct, headcount) if target_pct is not None else None
            gap = max(needed - reached, 0) if needed is not None else None
            period_over = counts is not None and not to_date
            years_ahead = (period.end_datetime() - now).total_seconds() / 86_400 / DAYS_PER_YEAR
            actual_pct = _pct(reached, headcount) if counts is not None else None
            status = None
            if target_pct is not None:
                status = forecast_status(
                    target_pct=target_pct,
                    actual_pct=actual_pct if counts is not None else now_pct,
                    gap=gap,
                    period_over=period_over,
                    slope_per_year=slope,
                    years_ahead=years_ahead,
                )
            rows.append(
                {
                    **common,
                    "fiscal_year": year,
                    "quarter": quarter,
                    "period": "quarter" if quarter else "year",
                    "as_of": as_of,
                    "to_date": to_date,
                    "headcount": headcount if counts is not None else None,
                    "reached": reached if counts is not None else None,
                    "actual_pct": actual_pct,
                    "target_pct": target_pct,
                    "needed": needed,
                    "gap_headcount": gap,
                    "status": status,
                }
            )
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)


def headline(table: pd.DataFrame) -> pd.DataFrame:
    """One row per target: the status of the current (or, once the plan is over, the last) year."""
    years = table[(table["period"] == "year") & table["target_pct"].notna()]
    if years.empty:
        return years
    current = years[years["to_date"] | years["headcount"].isna()]
    chosen = current.groupby("target_id", sort=False).head(1)
    over = years[~years["target_id"].isin(chosen["target_id"])].groupby("target_id", sort=False).tail(1)
    return pd.concat([chosen, over]).sort_index()


BREAKDOWN_COLUMNS = [
    "target_id", "target", "competency", "min_level", "group_id", "group", "headcount", "reached",
    "actual_pct", "target_pct", "needed", "gap_headcount",
]  # fmt: skip


def capability_breakdown(
    specs: Iterable[TargetSpec],
    snapshot: MomentCounts,
    *,
    by: str,
    rollup: dict[int, int],
    labels: dict[int, str],
    target_year: int,
    unit_filter: Iterable[int] | None = None,
    group_filter: Iterable[int] | None = None,
) -> pd.DataFrame:
    """Each target's population at ``snapshot`` split by org unit or personnel group.

    ``by`` is "org_unit" or "personnel_group"; ``rollup`` maps a unit (or group) id to the row it
    is counted under (e.g. every section to its bureau). The target share is that of ``target_year``.
    """
    if by not in ("org_unit", "personnel_group"):
        raise ValueError(f"Unknown breakdown {by!r}: use 'org_unit' or 'personnel_group'.")
    unit_filter = None if unit_filter is None else frozenset(unit_filter)
    group_filter = None if group_filter is None else frozenset(group_filter)
    rows = []
    axis, ids = (1, snapshot.unit_ids) if by == "org_unit" else (0, snapshot.group_ids)
    for spec in specs:
        units, groups, competency = _cells(snapshot, spec, unit_filter, group_filter)
        population = snapshot.staff * units[:, None] * groups[None, :]
        headcounts, reached_counts = {}, {}
        for cell_id, headcount, reached in zip(
            ids.tolist(),
            population.sum(axis=axis).tolist(),
            _reached_grid(snapshot, spec, units, groups, competency).sum(axis=axis).tolist(),
            strict=True,
        ):
            key = rollup.get(cell_id)
            if key is not None and headcount:
                headcounts[key] = headcounts.get(key, 0) + headcount
                reached_counts[key] = reached_counts.get(key, 0) + reached
        target_pct = spec.values.get((target_year, None))
        for key in sorted(headcounts):
            headcount, reached = headcounts[key], reached_counts[key]
            needed = needed_headcount(target_pct, headcount) if target_pct is not None else None
            rows.append(
                {
                    "target_id": spec.id,
                    "target": spec.label,
                    "competency": spec.competency_code,
                    "min_level": spec.min_level,
                    "group_id": int(key),
                    "group": labels.get(int(key), str(key)),
                    "headcount": headcount,
                    "reached": reached,
                    "actual_pct": _pct(reached, headcount),
                    "target_pct": target_pct,
                    "needed": needed,
                    "gap_headcount": max(needed - reached, 0) if needed is not None else None,
                }
            )
    return pd.DataFrame(rows, columns=BREAKDOWN_COLUMNS)


PEOPLE_COLUMNS = [
    "employee_id", "org_unit_id", "personnel_group_id", "placed_since", "level", "rank", "evidence_id",
    "reached",
]  # fmt: skip


def target_people(
    snapshot: Snapshot,
    spec: TargetSpec,
    *,
    unit_filter: Iterable[int] | None = None,
    group_filter: Iterable[int] | None = None,
    by: str | None = None,
    rollup: dict[int, int] | None = None,
    key: int | None = None,
) -> pd.DataFrame:
    """The people behind a target's figures at ``snapshot``: its population, each with the unit and
    group they count in, their confirmed level in the competency and whether they reached the
    target level. ``by``/``rollup``/``key`` narrow it to one row of a breakdown. The same rules as
    ``capability_table`` and ``capability_breakdown``, so its rows add up to their figures."""
    unit_filter = None if unit_filter is None else frozenset(unit_filter)
    group_filter = None if group_filter is None else frozenset(group_filter)
    population = _population(snapshot.placement, spec, unit_filter, group_filter)
    if by is not None:
        column = {"org_unit": "org_unit_id", "personnel_group": "personnel_group_id"}[by]
        population = population[population[column].map(rollup or {}) == key]
    levels = snapshot.levels[snapshot.levels["competency_id"] == spec.competency_id]
    people = population.merge(
        levels[["employee_id", "level", "rank", "evidence_id"]], on="employee_id", how="left"
    )
    people["reached"] = people["level"].fillna(0).to_numpy() >= spec.min_level
    return people[PEOPLE_COLUMNS].reset_index(drop=True)


def level_people(
    snapshot: Snapshot,
    competency_id: int,
    level: int,
    *,
    unit_filter: Iterable[int] | None = None,
    group_filter: Iterable[int] | None = None,
) -> pd.DataFrame:
    """The people behind one cell of the level distribution (level 0: no confirmed level)."""
    everyone = TargetSpec(0, "", competency_id, "", 0, None, None, "", 0, None)
    people = target_people(snapshot, everyone, unit_filter=unit_filter, group_filter=group_filter)
    found = people["level"].fillna(0).to_numpy() == level
    return people[found].reset_index(drop=True)


DISTRIBUTION_COLUMNS = [
    "fiscal_year",
    "to_date",
    "competency_id",
    "competency",
    "level",
    "headcount",
    "share_pct",
]


def level_distribution(
    snapshots: dict[tuple[int, int | None], MomentCounts],
    competencies: list[tuple[int, str]],
    scale: list[int],
    *,
    unit_filter: Iterable[int] | None = None,
    group_filter: Iterable[int] | None = None,
) -> pd.DataFrame:
    """How many staff stand at each confirmed level of each competency at each fiscal-year end.

    Level 0 in the output means "no confirmed level".
    """
    unit_filter = None if unit_filter is None else frozenset(unit_filter)
    group_filter = None if group_filter is None else frozenset(group_filter)
    everyone = TargetSpec(0, "", 0, "", 0, None, None, "", 0, None)
    rows = []
    for (year, quarter), snapshot in sorted(snapshots.items(), key=lambda item: item[1].moment.at):
        if quarter is not None:
            continue
        units, groups, _ = _cells(snapshot, everyone, unit_filter, group_filter)
        headcount = int(snapshot.staff[np.ix_(units, groups)].sum())
        counts = snapshot.levels[np.ix_(units, groups)].sum(axis=(0, 1))  # [competency, level]
        position = {int(c): n for n, c in enumerate(snapshot.competency_ids)}
        for competency_id, code in competencies:
            assessed = 0
            found = position.get(competency_id)
            for level in scale:
                count = int(counts[found, level]) if found is not None and level < counts.shape[1] else 0
                assessed += count
                rows.append((year, snapshot.moment.to_date, competency_id, code, level, count))
            rows.append((year, snapshot.moment.to_date, competency_id, code, 0, headcount - assessed))
    frame = pd.DataFrame(rows, columns=DISTRIBUTION_COLUMNS[:-1])
    totals = frame.groupby(["fiscal_year", "competency_id"])["headcount"].transform("sum")
    frame["share_pct"] = (100.0 * frame["headcount"] / totals.where(totals > 0)).round(1)
    return frame[DISTRIBUTION_COLUMNS]


@dataclass
class CapabilityReport:
    """Everything the capability pages, exports and PDF pack show for one plan and filter."""

    plan_id: int
    structure: str
    as_of: dt.datetime
    target_year: int
    specs: list[TargetSpec]
    table: pd.DataFrame
    headline: pd.DataFrame
    by_unit: pd.DataFrame
    by_group: pd.DataFrame
    distribution: pd.DataFrame
    cells_counted: int  # non-empty count cells the figures were summed from, over every moment
    as_recorded_on: dt.date | None = None  # reproduced as the evidence log stood at the end of that day

    def spec(self, target_id: int) -> TargetSpec | None:
        return next((spec for spec in self.specs if spec.id == target_id), None)


def as_int(value) -> int | None:
    """A frame's count as a plain int for pages and exports (None where the frame has none)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return int(value)


def as_float(value) -> float | None:
    if value is None or pd.isna(value):
        return None
    return float(value)
