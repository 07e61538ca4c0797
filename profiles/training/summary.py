"""A solved plan in the shapes the pages, the annexes and the assignment use (pure: frames in and out).

- per target: the shortfall, the people planned, the expected result and the status with the plan;
- per course: seats, runs, hours and cost, and the seats due in each quarter;
- per unit: people and hours away from work;
- the people, each course with its due date: assignments are spread over the fiscal year's quarters
  that are still ahead (nearest to the level first), and a prerequisite is due before the course it opens.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from skills_site.thai_calendar import fiscal_quarter_of, fiscal_quarter_period, fiscal_year_of

from ..reports.capability import MET, forecast_status
from .demand import Demand
from .solver import PlannerResult

# an assignment is not given a due date in a quarter that ends sooner than this
MIN_DAYS_TO_DUE = 30


def quarters_ahead(fiscal_year: int, today: dt.date) -> list[int]:
    """The quarters of ``fiscal_year`` that end at least MIN_DAYS_TO_DUE days after ``today``."""
    if fiscal_year > fiscal_year_of(today):
        return [1, 2, 3, 4]
    ahead = [
        q
        for q in range(fiscal_quarter_of(today), 5)
        if fiscal_quarter_period(fiscal_year, q).end >= today + dt.timedelta(days=MIN_DAYS_TO_DUE)
    ]
    return ahead or [4]


def schedule(
    assignments: pd.DataFrame, prerequisites: pd.DataFrame, *, fiscal_year: int, today: dt.date
) -> pd.DataFrame:
    """Each assignment with a quarter and due date (the quarter's last day).

    A course's people are spread evenly over the quarters ahead, in the plan's order (nearest to the
    level first, so they start first); then for each person a prerequisite is moved before the course
    it opens (and that course later, if it fell in the first quarter).
    """
    quarters = quarters_ahead(fiscal_year, today)
    frame = assignments.copy()
    if frame.empty:
        return frame.assign(quarter=pd.Series(dtype="int64"), due_date=pd.Series(dtype="object"))
    frame["order"] = np.arange(len(frame))
    index = np.zeros(len(frame), dtype=int)
    for _course, positions in frame.groupby("course_id", sort=False).indices.items():
        count = len(positions)
        index[positions] = (np.arange(count) * len(quarters)) // count
    frame["slot"] = index
    needs: dict[int, set[int]] = {}
    for course_id, prerequisite_id in zip(
        prerequisites["course_id"], prerequisites["prerequisite_id"], strict=True
    ):
        needs.setdefault(int(course_id), set()).add(int(prerequisite_id))
    by_person: dict[int, dict[int, int]] = {}
    for employee_id, course_id, slot in zip(
        frame["employee_id"], frame["course_id"], frame["slot"], strict=True
    ):
        by_person.setdefault(int(employee_id), {})[int(course_id)] = int(slot)
    last = len(quarters) - 1
    for slots in by_person.values():
        if len(slots) > 1:
            _order_prerequisites(slots, needs, last)
    frame["slot"] = [
        by_person[int(e)][int(c)] for e, c in zip(frame["employee_id"], frame["course_id"], strict=True)
    ]
    frame["quarter"] = [quarters[s] for s in frame["slot"]]
    frame["due_date"] = [fiscal_quarter_period(fiscal_year, q).end for q in frame["quarter"]]
    return frame.drop(columns=["order", "slot"])


def _order_prerequisites(slots: dict[int, int], needs: dict[int, set[int]], last: int) -> None:
    """One person's courses: each at least as many quarters in as it has prerequisites before it
    (within the year), and each prerequisite a quarter before the course it opens."""
    depth: dict[int, int] = {}

    def depth_of(course_id: int, seen: frozenset = frozenset()) -> int:
        if course_id not in depth:
            before = [p for p in needs.get(course_id, ()) if p in slots and p not in seen]
            depth[course_id] = 1 + max((depth_of(p, seen | {course_id}) for p in before), default=-1)
        return depth[course_id]

    for course_id in slots:
        slots[course_id] = min(max(slots[course_id], depth_of(course_id)), last)
    for course_id in sorted(slots, key=depth_of, reverse=True):
        for prerequisite_id in needs.get(course_id, ()):
            if prerequisite_id in slots and slots[prerequisite_id] >= slots[course_id]:
                slots[prerequisite_id] = max(slots[course_id] - 1, 0)


BY_TARGET_COLUMNS = [
    "target_id",
    "target",
    "competency",
    "min_level",
    "population",
    "target_pct",
    "headcount",
    "leavers",
    "reached",
    "needed",
    "gap",
    "in_training",
    "in_training_expected",
    "shortfall",
    "candidates",
    "courses",
    "achievable",
    "planned",
    "planned_expected",
    "expected",
    "expected_pct",
    "short_by",
    "cannot_be_met",
    "status_with_plan", "status_without_plan",
]
BY_COURSE_COLUMNS = [
    "course_id",
    "title",
    "mode",
    "run_based",
    "seats",
    "runs",
    "seats_per_run",
    "hours_per_seat",
    "hours",
    "cost_per_seat",
    "cost_per_run",
    "cost",
    "staff_time_cost",
    "free",
    "q1",
    "q2",
    "q3",
    "q4",
]
BY_UNIT_COLUMNS = ["org_unit_id", "people", "seats", "hours", "staff_time_cost", "cost"]


@dataclass
class PlanSummary:
    by_target: pd.DataFrame
    by_course: pd.DataFrame
    by_unit: pd.DataFrame
    people: pd.DataFrame  # employee_id, org_unit_id, course_id, for_course_id, quarter, due_date
    totals: dict = field(default_factory=dict)


def expected_status(*, expected: float, needed: int, headcount: int, target_pct: float) -> str:
    """The status the year's end is expected to have with this many at the level: met when it reaches
    the needed headcount, else at risk or off track by the report's margin (``forecast_status``)."""
    if headcount == 0:
        return MET
    pct = 100.0 * expected / headcount
    return forecast_status(
        target_pct=target_pct,
        actual_pct=pct,
        gap=0 if expected + 1e-6 >= needed else 1,
        period_over=False,
        slope_per_year=0.0,
        years_ahead=0.0,
    )


def plan_summary(
    demand: Demand,
    result: PlannerResult,
    *,
    courses: pd.DataFrame,
    prerequisites: pd.DataFrame,
    staff_hour_cost: float,
    today: dt.date,
    unit_ids: set[int] | None = None,
) -> PlanSummary:
    """Tables of the plan; ``unit_ids`` narrows the people, courses and units to a manager's share
    (targets stay whole: they are the department's)."""
    staff_unit = dict(
        zip(demand.staff["employee_id"].astype(int), demand.staff["org_unit_id"].astype(int), strict=True)
    )
    people = schedule(result.assignments, prerequisites, fiscal_year=demand.fiscal_year, today=today)
    people["org_unit_id"] = people["employee_id"].map(staff_unit)
    counted = result.counted
    planned = counted.groupby("target_id").agg(
        planned=("employee_id", "nunique"), planned_expected=("success_rate", "sum")
    )
    targets = demand.targets.merge(planned, left_on="target_id", right_index=True, how="left")
    targets["planned"] = targets["planned"].fillna(0).astype(int)
    targets["planned_expected"] = targets["planned_expected"].fillna(0.0)
    targets["expected"] = targets["reached"] + targets["in_training_expected"] + targets["planned_expected"]
    targets["expected_pct"] = (
        100.0 * targets["expected"] / targets["headcount"].where(targets["headcount"] > 0)
    ).round(1)
    targets["short_by"] = np.maximum(targets["needed"] - targets["expected"], 0.0).round(2)
    targets["short_by"] = targets["short_by"].where(targets["short_by"] > 1e-6, 0.0)
    targets["cannot_be_met"] = targets["achievable"] + 1e-9 < targets["shortfall"]
    targets["status_with_plan"] = [
        expected_status(expected=r.expected, needed=r.needed, headcount=r.headcount, target_pct=r.target_pct)
        for r in targets.itertuples()
    ]
    targets["status_without_plan"] = [
        expected_status(
            expected=r.reached + r.in_training_expected, needed=r.needed, headcount=r.headcount,
            target_pct=r.target_pct,
        )
        for r in targets.itertuples()
    ]
    by_target = targets.reindex(columns=BY_TARGET_COLUMNS)

    shown = people if unit_ids is None else people[people["org_unit_id"].isin(list(unit_ids))]
    info = courses.set_index("course_id")
    seats_all = people.groupby("course_id").size()
    rows = []
    for course_id, part in shown.groupby("course_id", sort=False):
        course = info.loc[course_id]
        run_based = bool(course["run_based"])
        seats = len(part)
        seats_dept = int(seats_all.get(course_id, seats))
        per_run = int(course["seats_per_run"] or 0) if run_based else 0
        runs_dept = result.runs.get(int(course_id), math.ceil(seats_dept / per_run) if per_run else 0)
        runs_dept = max(runs_dept, math.ceil(seats_dept / per_run)) if per_run else 0
        # a manager's share of a course given in runs: its seats' share of the runs' cost
        share = seats / seats_dept if seats_dept else 0.0
        run_cost = float(course["cost_per_run"]) * runs_dept * share if run_based else 0.0
        cost = seats * float(course["cost_per_seat"]) + run_cost
        hours = seats * float(course["hours"])
        quarters = part["quarter"].value_counts()
        rows.append(
            {
                "course_id": int(course_id),
                "title": course["title"],
                "mode": course["mode"],
                "run_based": run_based,
                "seats": seats,
                "runs": runs_dept if unit_ids is None else round(runs_dept * share, 2),
                "seats_per_run": per_run or None,
                "hours_per_seat": float(course["hours"]),
                "hours": hours,
                "cost_per_seat": float(course["cost_per_seat"]),
                "cost_per_run": float(course["cost_per_run"]) if run_based else 0.0,
                "cost": round(cost, 2),
                "staff_time_cost": round(hours * staff_hour_cost, 2),
                "free": float(course["cost_per_seat"]) == 0
                and (not run_based or float(course["cost_per_run"]) == 0),
                **{f"q{q}": int(quarters.get(q, 0)) for q in (1, 2, 3, 4)},
            }
        )
    by_course = pd.DataFrame(rows, columns=BY_COURSE_COLUMNS).sort_values(["cost", "seats"], ascending=False)
    by_course = by_course.reset_index(drop=True)
    course_cost = {
        row.course_id: (row.cost / row.seats if row.seats else 0.0) for row in by_course.itertuples()
    }
    hours_of = dict(zip(courses["course_id"].astype(int), courses["hours"].astype(float), strict=True))
    unit_rows = []
    for unit_id, part in shown.groupby("org_unit_id", sort=True):
        hours = float(sum(hours_of.get(int(c), 0.0) for c in part["course_id"]))
        unit_rows.append(
            {
                "org_unit_id": int(unit_id),
                "people": int(part["employee_id"].nunique()),
                "seats": len(part),
                "hours": hours,
                "staff_time_cost": round(hours * staff_hour_cost, 2),
                "cost": round(float(sum(course_cost.get(int(c), 0.0) for c in part["course_id"])), 2),
            }
        )
    by_unit = pd.DataFrame(unit_rows, columns=BY_UNIT_COLUMNS)
    totals = {
        "people": int(shown["employee_id"].nunique()),
        "seats": int(len(shown)),
        "runs": float(by_course["runs"].sum()) if not by_course.empty else 0,
        "hours": float(by_course["hours"].sum()) if not by_course.empty else 0.0,
        "cost": round(float(by_course["cost"].sum()), 2) if not by_course.empty else 0.0,
        "staff_time_cost": round(float(by_course["staff_time_cost"].sum()), 2)
        if not by_course.empty
        else 0.0,
        "targets": len(by_target),
        "targets_met": int((by_target["status_with_plan"] == MET).sum()),
        "targets_short": int((by_target["short_by"] > 0).sum()),
    }
    totals["full_cost"] = round(totals["cost"] + totals["staff_time_cost"], 2)
    return PlanSummary(
        by_target=by_target,
        by_course=by_course,
        by_unit=by_unit,
        people=shown.reset_index(drop=True),
        totals=totals,
    )
