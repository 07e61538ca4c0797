"""The rows every view of a training plan shows: the page, the Excel annex and the PDF annex read the
same rows, so that an annex holds exactly the figures on the screen."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skills_site.numbers import baht, number
from skills_site.thai_calendar import bangkok_date, format_be_date

from ..reports.charts import status_label
from .demand import DEFAULT, LIKE_COURSES, MEASURED
from .selectors import TrainingPlan, people_labels, unit_labels
from .solver import LIMIT, NO_SOLUTION, NOTHING_TO_DO, OPTIMAL
from .summary import plan_summary

MODE_LABELS = {
    "self_paced": gettext_lazy("Self-paced e-learning"),
    "classroom": gettext_lazy("Classroom, in runs"),
    "online_class": gettext_lazy("Online class, in runs"),
    "external": gettext_lazy("External provider"),
}
CANDIDATES_SHOWN = 10
PEOPLE_SHOWN = 50


def rate_source_label(source: str) -> str:
    return {
        MEASURED: _("measured"),
        LIKE_COURSES: _("too few completions: the least successful like course's rate"),
        DEFAULT: _("too few completions: the default rate"),
    }.get(source, source)


def planner_status_label(status: str) -> str:
    return {
        OPTIMAL: _("best plan, proven"),
        LIMIT: _("best plan found within the time limit"),
        NO_SOLUTION: _("no plan found"),
        NOTHING_TO_DO: _("nothing to plan"),
    }.get(status, status)


@dataclass
class Notice:
    level: str  # "error", "warning" or "info"
    text: str


@dataclass
class PlanTables:
    targets: list[dict]
    courses: list[dict]
    units: list[dict]
    people: list[dict]
    candidates: dict[int, list[dict]]  # target id -> the nearest candidates (all in the annex)
    rates: list[dict]
    totals: dict
    notices: list[Notice] = field(default_factory=list)
    scope_note: str = ""


def plan_tables(
    training: TrainingPlan,
    *,
    language: str,
    unit_ids: set[int] | None = None,
    all_candidates: bool = False,
) -> PlanTables:
    """Display rows of a plan (``unit_ids``: a manager's share). ``all_candidates``: every candidate of
    every target (the annex), not only the nearest few (the page)."""
    summary = training.summary
    if unit_ids is not None:
        summary = _share(training, unit_ids)
    needs = training.needs
    units = unit_labels(language)
    titles = dict(zip(needs.courses["course_id"].astype(int), needs.courses["title"], strict=True))
    targets = []
    for row in summary.by_target.itertuples():
        trend = needs.statuses_without.get(int(row.target_id))
        targets.append(
            {
                "target_id": int(row.target_id),
                "target": row.target,
                "competency": row.competency,
                "min_level": int(row.min_level),
                "population": row.population,
                "target_pct": float(row.target_pct),
                "headcount": int(row.headcount),
                "leavers": int(row.leavers),
                "reached": int(row.reached),
                "needed": int(row.needed),
                "gap": int(row.gap),
                "in_training": int(row.in_training),
                "in_training_expected": round(float(row.in_training_expected), 1),
                "shortfall": round(float(row.shortfall), 1),
                "candidates": int(row.candidates),
                "courses": int(row.courses),
                "achievable": round(float(row.achievable), 1),
                "planned": int(row.planned),
                "planned_expected": round(float(row.planned_expected), 1),
                "expected": round(float(row.expected), 1),
                "expected_pct": None if pd.isna(row.expected_pct) else float(row.expected_pct),
                "short_by": round(float(row.short_by), 1),
                "cannot_be_met": bool(row.cannot_be_met),
                # the same projection without new training: those at the level and those in training now
                "status_without": row.status_without_plan,
                "status_without_label": status_label(row.status_without_plan),
                # the capability report's forecast from the trend since the baseline
                "status_trend": trend,
                "status_trend_label": status_label(trend),
                "status_with": row.status_with_plan,
                "status_with_label": status_label(row.status_with_plan),
            }
        )
    courses = [
        {
            "course_id": int(row.course_id),
            "title": row.title,
            "mode": str(MODE_LABELS.get(row.mode, row.mode)),
            "run_based": bool(row.run_based),
            "seats": int(row.seats),
            "runs": row.runs,
            "seats_per_run": int(row.seats_per_run)
            if row.run_based and pd.notna(row.seats_per_run)
            else None,
            "hours_per_seat": float(row.hours_per_seat),
            "hours": float(row.hours),
            "cost_per_seat": float(row.cost_per_seat),
            "cost_per_run": float(row.cost_per_run) if row.run_based else None,
            "cost": float(row.cost),
            "staff_time_cost": float(row.staff_time_cost),
            "free": bool(row.free),
            "q1": int(row.q1),
            "q2": int(row.q2),
            "q3": int(row.q3),
            "q4": int(row.q4),
        }
        for row in summary.by_course.itertuples()
    ]
    unit_rows = [
        {
            "unit": units.get(int(row.org_unit_id), str(row.org_unit_id)),
            "org_unit_id": int(row.org_unit_id),
            "people": int(row.people),
            "seats": int(row.seats),
            "hours": float(row.hours),
            "cost": float(row.cost),
            "staff_time_cost": float(row.staff_time_cost),
        }
        for row in summary.by_unit.itertuples()
    ]
    unit_rows.sort(key=lambda row: row["unit"])
    candidates_frame = needs.demand.candidates
    if unit_ids is not None:
        unit_of = dict(zip(needs.demand.staff["employee_id"], needs.demand.staff["org_unit_id"], strict=True))
        candidates_frame = candidates_frame[candidates_frame["employee_id"].map(unit_of).isin(list(unit_ids))]
    if not all_candidates:
        candidates_frame = candidates_frame.groupby("target_id", sort=False).head(CANDIDATES_SHOWN)
    shown_ids = set(candidates_frame["employee_id"].astype(int)) | set(
        summary.people["employee_id"].astype(int)
    )
    names = people_labels(shown_ids)
    planned_for = {}
    for employee_id, target_id, course_id in zip(
        training.result.counted["employee_id"],
        training.result.counted["target_id"],
        training.result.counted["course_id"],
        strict=True,
    ):
        planned_for[(int(employee_id), int(target_id))] = titles.get(int(course_id), "")
    staff_unit = dict(
        zip(
            needs.demand.staff["employee_id"].astype(int),
            needs.demand.staff["org_unit_id"].astype(int),
            strict=True,
        )
    )
    open_courses = _open_courses(training)
    candidates: dict[int, list[dict]] = {}
    for employee_id, target_id, level, gap in zip(
        candidates_frame["employee_id"],
        candidates_frame["target_id"],
        candidates_frame["level"],
        candidates_frame["gap"],
        strict=True,
    ):
        employee_id, target_id = int(employee_id), int(target_id)
        number_, name_th, name_en = names.get(employee_id, ("", "", ""))
        candidates.setdefault(target_id, []).append(
            {
                "employee_id": employee_id,
                "employee_number": number_,
                "name": name_en if language.startswith("en") and name_en else name_th,
                "unit": units.get(staff_unit.get(employee_id), ""),
                "level": None if pd.isna(level) else int(level),
                "gap": int(gap),
                "courses": open_courses(employee_id, target_id),
                "planned": planned_for.get((employee_id, target_id), ""),
            }
        )
    people = []
    for row in summary.people.sort_values(["due_date", "course_id", "employee_id"]).itertuples():
        number_, name_th, name_en = names.get(int(row.employee_id), ("", "", ""))
        people.append(
            {
                "employee_id": int(row.employee_id),
                "employee_number": number_,
                "name": name_en if language.startswith("en") and name_en else name_th,
                "unit": units.get(int(row.org_unit_id), ""),
                "course": titles.get(int(row.course_id), ""),
                "course_id": int(row.course_id),
                "prerequisite_for": titles.get(int(row.for_course_id), "")
                if row.for_course_id != row.course_id
                else "",
                "quarter": int(row.quarter),
                "due_date": row.due_date,
                "due_label": format_be_date(row.due_date, language),
            }
        )
    for row in targets:
        row["candidate_list"] = candidates.get(row["target_id"], [])
    rates = []
    competency_code = {spec.competency_id: spec.competency_code for spec in needs.specs}
    lowest_level: dict[int, int] = {}
    for spec in needs.specs:
        lowest_level[spec.competency_id] = min(
            lowest_level.get(spec.competency_id, spec.min_level), spec.min_level
        )
    live = set(needs.courses["course_id"].astype(int))
    for row in needs.rates.itertuples():
        # the rates the plan uses: a live course's level in a target's competency, at or above the target's
        if int(row.course_id) not in live or int(row.level) < lowest_level.get(int(row.competency_id), 10**6):
            continue
        rates.append(
            {
                "course": titles.get(int(row.course_id), ""),
                "competency": competency_code[int(row.competency_id)],
                "level": int(row.level),
                "completions": int(row.completions),
                "successes": int(row.successes),
                "success_pct": round(100.0 * float(row.success_rate), 1),
                "measured": bool(row.measured),
                "source": row.source,
                "source_label": rate_source_label(row.source),
            }
        )
    rates.sort(key=lambda row: (row["course"], row["competency"]))
    totals = dict(summary.totals)
    totals["leavers"] = _leavers(training, unit_ids)
    result = training.result
    totals["status"] = result.status
    totals["status_label"] = planner_status_label(result.status)
    totals["gap_pct"] = None if result.gap is None else round(100.0 * result.gap, 2)
    totals["lp_bound"] = result.lp_bound
    totals["objective"] = result.objective
    tables = PlanTables(
        targets=targets,
        courses=courses,
        units=unit_rows,
        people=people,
        candidates=candidates,
        rates=rates,
        totals=totals,
    )
    tables.notices = notices(training, tables)
    return tables


def _share(training: TrainingPlan, unit_ids: set[int]):
    """The plan's summary narrowed to a manager's units (the targets stay the department's)."""
    needs = training.needs
    return plan_summary(
        needs.demand,
        training.result,
        courses=needs.courses,
        prerequisites=needs.prerequisites,
        staff_hour_cost=needs.assumptions.staff_hour_cost,
        today=bangkok_date(needs.as_of),
        unit_ids=unit_ids,
    )


def _open_courses(training: TrainingPlan):
    """For a candidate and target: the live courses that lift them, with prerequisites they lack."""
    needs = training.needs
    titles = dict(zip(needs.courses["course_id"].astype(int), needs.courses["title"], strict=True))
    rates = needs.demand.lifts
    by_target: dict[int, list[tuple[int, float]]] = {}
    for course_id, target_id, success in zip(
        rates["course_id"], rates["target_id"], rates["success_rate"], strict=True
    ):
        by_target.setdefault(int(target_id), []).append((int(course_id), float(success)))
    taken: dict[int, set[int]] = {}
    data = needs.demand.planner_input
    for employee_id, course_id in zip(data.taken["employee_id"], data.taken["course_id"], strict=True):
        taken.setdefault(int(employee_id), set()).add(int(course_id))
    prerequisites: dict[int, list[int]] = {}
    for course_id, prerequisite_id in zip(
        needs.prerequisites["course_id"], needs.prerequisites["prerequisite_id"], strict=True
    ):
        prerequisites.setdefault(int(course_id), []).append(int(prerequisite_id))

    def open_courses(employee_id: int, target_id: int) -> str:
        done = taken.get(employee_id, set())
        parts = []
        for course_id, success in sorted(by_target.get(target_id, []), key=lambda item: -item[1]):
            if course_id in done:
                continue
            lacking = [titles.get(p, "") for p in prerequisites.get(course_id, []) if p not in done]
            text = f"{titles.get(course_id, '')} ({success * 100:.0f}%)"
            if lacking:
                text += " " + _("after %(courses)s") % {"courses": ", ".join(lacking)}
            parts.append(text)
        return "; ".join(parts)

    return open_courses


def _leavers(training: TrainingPlan, unit_ids: set[int] | None) -> dict:
    staff = training.needs.demand.staff
    if unit_ids is not None:
        staff = staff[staff["org_unit_id"].isin(list(unit_ids))]
    leaving = staff[staff["started"] & ~staff["stays"]]
    return {
        "total": int(len(leaving)),
        "end_date": int((leaving["leaves_because"] == "end_date").sum()),
        "retirement": int((leaving["leaves_because"] == "retirement").sum()),
    }


def notices(training: TrainingPlan, tables: PlanTables) -> list[Notice]:
    """What the reader must be told, in order: the solver's state, targets that cannot be met, the
    ceiling, free courses, targets without a value for the year."""
    result, found = training.result, []
    if result.status == LIMIT:
        found.append(
            Notice(
                "warning",
                _(
                    "The planner stopped at its time limit before proving this plan the best: it is the best "
                    "plan found, within %(gap)s%% of the bound no plan can beat."
                )
                % {"gap": number((result.gap or 0) * 100, 1)},
            )
        )
    elif result.status == NO_SOLUTION:
        found.append(
            Notice(
                "error",
                _(
                    "The planner found no plan within its time limit (%(seconds)s s). Try again, or raise "
                    "TRAINING_SOLVER_SECONDS."
                )
                % {"seconds": number(training.needs.assumptions.solver_seconds)},
            )
        )
    elif result.status == NOTHING_TO_DO and not any(row["shortfall"] > 0 for row in tables.targets):
        found.append(
            Notice(
                "info",
                _("Every target is expected to be met at the end of the year: no training is needed for it."),
            )
        )
    for row in tables.targets:
        if row["shortfall"] <= 0:
            continue
        if result.status == NO_SOLUTION and row["courses"] and not row["cannot_be_met"]:
            continue  # no plan was found: nothing is known to stay short for want of courses
        if row["courses"] == 0:
            found.append(
                Notice(
                    "error",
                    _(
                        "%(target)s cannot be met by training: no live course evidences level %(level)s in "
                        "%(competency)s. It stays short by %(short)s people."
                    )
                    % {
                        "target": row["target"],
                        "level": row["min_level"],
                        "competency": row["competency"],
                        "short": number(row["short_by"], 1),
                    },
                )
            )
        elif row["cannot_be_met"]:
            found.append(
                Notice(
                    "error",
                    _(
                        "%(target)s cannot be met even if every candidate is trained: %(still)s more people "
                        "must "
                        "reach the level, and training all %(candidates)s candidates is expected to bring "
                        "%(most)s. The plan trains as many as it can; the target stays short by %(short)s "
                        "people."
                    )
                    % {
                        "target": row["target"],
                        "still": number(row["shortfall"], 1),
                        "candidates": row["candidates"],
                        "most": number(row["achievable"], 1),
                        "short": number(row["short_by"], 1),
                    },
                )
            )
        elif row["short_by"] > 0 and training.ceiling is not None:
            found.append(
                Notice(
                    "warning",
                    _("Within the ceiling, %(target)s stays short by %(short)s people.")
                    % {"target": row["target"], "short": number(row["short_by"], 1)},
                )
            )
        elif row["short_by"] > 0:
            found.append(
                Notice(
                    "error",
                    _(
                        "%(target)s stays short by %(short)s people: the courses open to its candidates "
                        "cannot close it."
                    )
                    % {"target": row["target"], "short": number(row["short_by"], 1)},
                )
            )
    if (
        training.ceiling is not None
        and training.cheapest is not None
        and training.ceiling < training.cheapest
    ):
        found.append(
            Notice(
                "warning",
                _(
                    "The ceiling (%(ceiling)s baht) is below the cheapest course that could lift a candidate "
                    "(%(cheapest)s baht for one seat, or one run of a class): only free courses can be "
                    "planned."
                )
                % {"ceiling": baht(training.ceiling), "cheapest": baht(training.cheapest)},
            )
        )
    free = [row["title"] for row in tables.courses if row["free"]]
    if free:
        found.append(
            Notice("info", _("Free courses (no cost recorded): %(courses)s.") % {"courses": ", ".join(free)})
        )
    for spec in training.needs.demand.without_value:
        found.append(
            Notice(
                "info",
                _("%(target)s asks nothing for FY%(year)s and is left out.")
                % {"target": spec.label, "year": training.fiscal_year},
            )
        )
    return found
