"""Training demand: what each target of a plan still needs at the end of a fiscal year, and who could
close it (pure functions, frames in and frames out; ``selectors`` loads the frames).

Rules (README, "Training demand"):

- **Who will still be there**: today's active staff who have started by the end of the fiscal year and
  will not have left by then. A person leaves on their recorded end date (a contract's end), or at the
  end of the fiscal year in which they complete 60 years of age (retirement, where the birth date is
  known; a person completes their years on the day before their birthday, so someone born on 1
  October retires at the end of the fiscal year before their 60th birthday). Someone whose last day
  falls in the fiscal year is a known leaver: not counted, not trained.
- **Shortfall**: ``needed = ceil(target% x staff who stay)`` (the report's rule), less those already at
  the level today with a confirmed level (a level resting only on a self-assessment does not count),
  less the expected successes of those in training now (enrolled in a course that lifts them, at that
  course's success rate).
- **Candidates**: the staff who stay, in the target's population (today's unit and group), below the
  level and not in training for it; nearest to the level first.
- **Success rate** of a course in a competency: the share of its past completers whose confirmed level
  in that competency was at or above the course's level six months after completing (measured at the
  end of the sixth calendar month after the month of completion), from the evidence log. Below
  ``MIN_COMPLETIONS`` completions: the worst measured rate of the courses that evidence the same level in
  that competency, else the default rate (``success_rates``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from skills_site.thai_calendar import fiscal_year_of, fiscal_year_period

from ..reports.capability import TargetSpec, needed_headcount
from .solver import PlannerInput, achievable

MIN_COMPLETIONS = 20
UNMEASURED_PREFERENCE = 0.01  # baht a seat: a tie-break, not a cost
RETIREMENT_AGE = 60
SUCCESS_AFTER_MONTHS = 6

STAFF_COLUMNS = ["employee_id", "org_unit_id", "personnel_group_id", "start_date", "end_date", "birth_date"]
LEVEL_COLUMNS = ["employee_id", "competency_id", "level"]  # confirmed levels now


def completes_years(birth_date: dt.date, years: int) -> dt.date:
    """The day a person completes ``years`` years of age: the day before that birthday (Thai counting)."""
    try:
        birthday = birth_date.replace(year=birth_date.year + years)
    except ValueError:  # born on 29 February: the birthday falls on 1 March in a common year
        birthday = dt.date(birth_date.year + years, 3, 1)
    return birthday - dt.timedelta(days=1)


def retirement_day(birth_date: dt.date) -> dt.date:
    """The last day of the fiscal year in which a civil servant completes 60 years of age."""
    return fiscal_year_period(fiscal_year_of(completes_years(birth_date, RETIREMENT_AGE))).end


def staff_at_year_end(staff: pd.DataFrame, fiscal_year: int) -> pd.DataFrame:
    """Today's staff with, for the end of ``fiscal_year``: ``leaves_on``, ``leaves_because``
    ("end_date" or "retirement") and ``stays`` (there after that year's last day)."""
    year_end = fiscal_year_period(fiscal_year).end
    frame = staff.copy()
    retire = [retirement_day(day) if isinstance(day, dt.date) else None for day in frame["birth_date"]]
    leaves, because = [], []
    for end, retired in zip(frame["end_date"], retire, strict=True):
        end = end if isinstance(end, dt.date) else None
        if end is not None and (retired is None or end <= retired):
            leaves.append(end)
            because.append("end_date")
        elif retired is not None:
            leaves.append(retired)
            because.append("retirement")
        else:
            leaves.append(None)
            because.append("")
    frame["leaves_on"] = leaves
    frame["leaves_because"] = because
    started = np.array([day <= year_end for day in frame["start_date"]], dtype=bool)
    staying = np.array([day is None or day > year_end for day in leaves], dtype=bool)
    frame["started"] = started
    frame["stays"] = started & staying
    return frame


def in_population(frame: pd.DataFrame, spec: TargetSpec) -> np.ndarray:
    mask = np.ones(len(frame), dtype=bool)
    if spec.unit_ids is not None:
        mask &= frame["org_unit_id"].isin(list(spec.unit_ids)).to_numpy()
    if spec.group_ids is not None:
        mask &= frame["personnel_group_id"].isin(list(spec.group_ids)).to_numpy()
    return mask


MEASURED, LIKE_COURSES, DEFAULT = "measured", "like_courses", "default"


def success_rates(
    course_levels: pd.DataFrame,
    outcomes: pd.DataFrame,
    *,
    default_rate: float,
    minimum: int = MIN_COMPLETIONS,
) -> pd.DataFrame:
    """Per course and competency: completions measured, successes, and the rate the planner uses.

    A course with at least ``minimum`` completions to measure has its own rate ("measured"). One with
    fewer is assumed no better than the worst measured course that evidences the same level in the same
    competency ("like_courses": a budget should not count on an untried course beating a tried one),
    and takes ``default_rate`` when there is none ("default").

    ``outcomes``: course_id, competency_id, employee_id, reached (bool), one row per past completion
    whose six months are over.
    """
    counts = (
        outcomes.groupby(["course_id", "competency_id"])["reached"].agg(["size", "sum"]).reset_index()
        if not outcomes.empty
        else pd.DataFrame(columns=["course_id", "competency_id", "size", "sum"])
    )
    frame = course_levels.merge(counts, on=["course_id", "competency_id"], how="left")
    frame["completions"] = frame["size"].fillna(0).astype(int)
    frame["successes"] = frame["sum"].fillna(0).astype(int)
    measured = (frame["completions"] >= minimum).to_numpy()
    share = (frame["successes"] / frame["completions"].where(frame["completions"] > 0)).to_numpy(dtype=float)
    worst = frame[measured].assign(share=share[measured]).groupby(["competency_id", "level"])["share"].min()
    like = np.array(
        [worst.get((c, lv), np.nan) for c, lv in zip(frame["competency_id"], frame["level"], strict=True)],
        dtype=float,
    )
    frame["success_rate"] = np.where(measured, share, np.where(np.isnan(like), default_rate, like)).astype(
        float
    )
    frame["source"] = np.where(measured, MEASURED, np.where(np.isnan(like), DEFAULT, LIKE_COURSES))
    frame["measured"] = measured
    return frame[
        [
            "course_id",
            "competency_id",
            "level",
            "completions",
            "successes",
            "success_rate",
            "measured",
            "source",
        ]
    ]


def course_versions_taken(taken: pd.DataFrame, course_levels: pd.DataFrame) -> pd.DataFrame:
    """The courses each person has taken or is taking, with every other version of them: courses that
    evidence exactly the same levels in the same competencies (a course's Thai and English editions)
    count as one course, never planned again for someone who has taken either."""
    signature: dict[int, frozenset] = {}
    for course_id, part in course_levels.groupby("course_id"):
        signature[int(course_id)] = frozenset(zip(part["competency_id"], part["level"], strict=True))
    versions: dict[frozenset, list[int]] = {}
    for course_id, key in signature.items():
        versions.setdefault(key, []).append(course_id)
    rows = [
        (int(employee_id), other)
        for employee_id, course_id in zip(taken["employee_id"], taken["course_id"], strict=True)
        for other in versions.get(signature.get(int(course_id)), [int(course_id)])
    ]
    return pd.DataFrame(rows, columns=["employee_id", "course_id"]).drop_duplicates()


TARGET_COLUMNS = [
    "target_id",
    "target",
    "competency_id",
    "competency",
    "min_level",
    "population",
    "target_pct",
    "staff_today",
    "leavers",
    "headcount",
    "reached",
    "needed",
    "gap",
    "in_training",
    "in_training_expected",
    "shortfall",
    "candidates",
    "achievable",
    "courses",
]


@dataclass
class Demand:
    """A plan's demand at one fiscal year's end, ready for the planner."""

    fiscal_year: int
    targets: pd.DataFrame  # TARGET_COLUMNS, one row per target with a value for the year
    without_value: list[TargetSpec]  # targets that ask nothing for this year
    candidates: pd.DataFrame  # employee_id, target_id, level (NaN: none confirmed), gap; nearest first
    in_training: pd.DataFrame  # employee_id, target_id, course_id, success_rate
    lifts: pd.DataFrame  # course_id, target_id, success_rate
    staff: pd.DataFrame  # staff_at_year_end
    planner_input: PlannerInput


def target_demand(
    *,
    specs: list[TargetSpec],
    fiscal_year: int,
    staff: pd.DataFrame,
    levels: pd.DataFrame,
    courses: pd.DataFrame,
    course_rates: pd.DataFrame,
    prerequisites: pd.DataFrame,
    enrolments: pd.DataFrame,
    staff_hour_cost: float,
) -> Demand:
    """The shortfall, candidates and courses of every target with a value for ``fiscal_year``.

    ``levels``: confirmed current levels (employee_id, competency_id, level); ``course_rates`` from
    ``success_rates``; ``enrolments``: employee_id, course_id, completed_at (None while open).
    """
    staff = staff_at_year_end(staff, fiscal_year)
    live = set(int(c) for c in courses["course_id"])
    rates = course_rates[course_rates["course_id"].isin(list(live))]
    open_enrolments = enrolments[enrolments["completed_at"].isna()]
    taken = course_versions_taken(enrolments[["employee_id", "course_id"]], course_rates)
    open_by_person: dict[int, set[int]] = {}
    for employee_id, course_id in zip(
        open_enrolments["employee_id"], open_enrolments["course_id"], strict=True
    ):
        open_by_person.setdefault(int(employee_id), set()).add(int(course_id))
    level_of = {
        (int(e), int(c)): int(lv)
        for e, c, lv in zip(levels["employee_id"], levels["competency_id"], levels["level"], strict=True)
    }
    rows, candidate_rows, training_rows, lift_rows, without = [], [], [], [], []
    for spec in specs:
        target_pct = spec.values.get((fiscal_year, None))
        if target_pct is None:
            without.append(spec)
            continue
        population = staff[in_population(staff, spec)]
        stays = population[population["stays"].to_numpy()]
        ids = stays["employee_id"].astype(int).tolist()
        current = [level_of.get((e, spec.competency_id)) for e in ids]
        reached = sum(1 for level in current if level is not None and level >= spec.min_level)
        needed = needed_headcount(target_pct, len(ids))
        gap = max(needed - reached, 0)
        lifting = rates[(rates["competency_id"] == spec.competency_id) & (rates["level"] >= spec.min_level)]
        lifting_rate = dict(zip(lifting["course_id"].astype(int), lifting["success_rate"], strict=True))
        for course_id, success in lifting_rate.items():
            lift_rows.append((course_id, spec.id, float(success)))
        in_training, expected = 0, 0.0
        candidates = []
        for employee_id, level in zip(ids, current, strict=True):
            if level is not None and level >= spec.min_level:
                continue
            enrolled = [c for c in open_by_person.get(employee_id, ()) if c in lifting_rate]
            if enrolled:
                best = max(enrolled, key=lambda c: (lifting_rate[c], -c))
                in_training += 1
                expected += lifting_rate[best]
                training_rows.append((employee_id, spec.id, best, lifting_rate[best]))
                continue
            candidates.append((employee_id, spec.id, level, spec.min_level - (level or 0)))
        candidates.sort(key=lambda row: (row[3], row[0]))
        candidate_rows += candidates
        rows.append(
            {
                "target_id": spec.id,
                "target": spec.label,
                "competency_id": spec.competency_id,
                "competency": spec.competency_code,
                "min_level": spec.min_level,
                "population": spec.population_label,
                "target_pct": float(target_pct),
                "staff_today": int(population["started"].sum()),
                "leavers": int((population["started"] & ~population["stays"]).sum()),
                "headcount": len(ids),
                "reached": reached,
                "needed": needed,
                "gap": gap,
                "in_training": in_training,
                "in_training_expected": expected,
                "shortfall": max(gap - expected, 0.0),
                "candidates": len(candidates),
                "achievable": 0.0,
                "courses": len(lifting_rate),
            }
        )
    targets = pd.DataFrame(rows, columns=TARGET_COLUMNS)
    candidates = pd.DataFrame(candidate_rows, columns=["employee_id", "target_id", "level", "gap"])
    candidates["level"] = pd.to_numeric(candidates["level"], errors="coerce")
    in_training = pd.DataFrame(
        training_rows, columns=["employee_id", "target_id", "course_id", "success_rate"]
    )
    lifts = pd.DataFrame(lift_rows, columns=["course_id", "target_id", "success_rate"])
    planner_courses = pd.DataFrame(
        {
            "course_id": courses["course_id"].astype(int),
            "cost_per_seat": courses["cost_per_seat"].astype(float),
            "cost_per_run": courses["cost_per_run"]
            .astype(float)
            .where(courses["run_based"].astype(bool), 0.0),
            "seats_per_run": courses["seats_per_run"]
            .fillna(0)
            .astype(int)
            .where(courses["run_based"].astype(bool), 0),
            "hours": courses["hours"].astype(float),
        }
    )
    # between courses alike in cost and rate, prefer one whose success rate is measured
    measured = set(rates.loc[rates["source"] == MEASURED, "course_id"].astype(int))
    planner_courses["preference"] = [
        0.0 if int(c) in measured else UNMEASURED_PREFERENCE for c in planner_courses["course_id"]
    ]
    data = PlannerInput(
        targets=targets[["target_id", "shortfall"]],
        candidates=candidates[["employee_id", "target_id", "gap"]],
        lifts=lifts,
        courses=planner_courses,
        prerequisites=prerequisites[prerequisites["course_id"].isin(list(live))],
        taken=taken,
        staff_hour_cost=staff_hour_cost,
    )
    most = achievable(data)
    targets["achievable"] = targets["target_id"].map(most).fillna(0.0)
    # what cannot be reached even by training every candidate is said per target, and the planner is
    # asked for what can be
    capped = targets.assign(shortfall=np.minimum(targets["shortfall"], targets["achievable"]))
    data = PlannerInput(
        targets=capped[["target_id", "shortfall"]],
        candidates=data.candidates,
        lifts=data.lifts,
        courses=data.courses,
        prerequisites=data.prerequisites,
        taken=data.taken,
        staff_hour_cost=staff_hour_cost,
    )
    return Demand(
        fiscal_year=fiscal_year,
        targets=targets,
        without_value=without,
        candidates=candidates,
        in_training=in_training,
        lifts=lifts,
        staff=staff,
        planner_input=data,
    )
