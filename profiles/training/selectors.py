"""Reads for training demand: the database and the courses app's contributions turned into the frames
``demand`` and ``solver`` take, and the solved plan, cached until evidence, courses, enrolments or the
plan's targets change (or the day does).

Every function runs a fixed number of queries whatever the headcount: reading today's levels one per
target competency, measuring success rates one per month of measurement and competency of the courses
completed (cached apart, for the month).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from skills_site.page_cache import data_changed
from skills_site.thai_calendar import BANGKOK, bangkok_date, fiscal_year_of

from ..competencies.levels import SOURCE_RANK, as_of_moment, current_levels_bulk, levels_at_moments
from ..competencies.selectors import evidence_cache_version
from ..organisation.models import Employee, OrgUnit
from ..reports.cache import cached, report_cache_key
from ..reports.capability import CONFIRMED_RANK, TargetSpec
from ..reports.models import CapabilityPlan
from ..reports.selectors import capability_report
from .contributions import catalogue_version, course_catalogue, enrolments_of
from .demand import MIN_COMPLETIONS, STAFF_COLUMNS, SUCCESS_AFTER_MONTHS, Demand, success_rates, target_demand
from .solver import PlannerResult, plan_training
from .summary import PlanSummary, plan_summary

# the shares of the cheapest plan's cost at which the chart shows what a ceiling buys
CURVE_SHARES = (0.25, 0.5, 0.75)
CURVE_SECONDS = 5.0


def plan_years(plan: CapabilityPlan, *, now: dt.datetime) -> list[int]:
    """The plan's fiscal years a training plan can still be made for: the running one and those ahead."""
    current = fiscal_year_of(now)
    return [year for year in plan.fiscal_years if year >= current]


def default_year(plan: CapabilityPlan, *, now: dt.datetime) -> int | None:
    """The next fiscal year when the plan has it, else the latest one still ahead (None: none left)."""
    years = plan_years(plan, now=now)
    if not years:
        return None
    following = fiscal_year_of(now) + 1
    return following if following in years else years[-1]


def staff_frame(queryset: QuerySet[Employee]) -> pd.DataFrame:
    rows = queryset.values_list(
        "id", "org_unit_id", "personnel_group_id", "start_date", "end_date", "birth_date"
    )
    return pd.DataFrame(list(rows), columns=STAFF_COLUMNS)


def confirmed_levels(
    staff: QuerySet[Employee], competency_ids: set[int], *, now: dt.datetime
) -> pd.DataFrame:
    """Today's levels in these competencies that count towards a plan (not resting on a self-assessment
    alone). One query per competency: the number of the plan's competencies, whatever the headcount,
    and only one competency's evidence in memory at a time (20,000 staff: 0.3 GiB instead of 1.1)."""
    rows = []
    for competency_id in sorted(competency_ids):
        levels = current_levels_bulk(staff, as_of=now, competency_ids=[competency_id])
        rows += [
            (employee_id, competency_id, current.level)
            for employee_id, by_competency in levels.items()
            for current in (by_competency.get(competency_id),)
            if current is not None and SOURCE_RANK[current.source] >= CONFIRMED_RANK
        ]
    return pd.DataFrame(rows, columns=["employee_id", "competency_id", "level"])


def _months_later(moment: dt.datetime, months: int) -> dt.datetime:
    """The last instant of the ``months``-th calendar month after the one ``moment`` falls in (Bangkok)."""
    day = bangkok_date(moment)
    index = day.year * 12 + day.month - 1 + months + 1
    first_after = dt.date(index // 12, index % 12 + 1, 1)
    return dt.datetime.combine(first_after - dt.timedelta(days=1), dt.time.max, tzinfo=BANGKOK)


def completion_outcomes(
    course_levels: pd.DataFrame, enrolments: pd.DataFrame, *, now: dt.datetime
) -> pd.DataFrame:
    """Each past completion whose six months are over: did the completer's confirmed level in each
    competency the course evidences stand at or above the course's level six months on?

    One read of the level timeline for every completion at once (``levels_at_moments``), of the
    completers and competencies concerned only: the work follows the number of completions.
    """
    columns = ["course_id", "competency_id", "employee_id", "reached"]
    done = enrolments.dropna(subset=["completed_at"])
    if done.empty or course_levels.empty:
        return pd.DataFrame(columns=columns)
    done = done.assign(
        measured_at=[_months_later(moment, SUCCESS_AFTER_MONTHS) for moment in done["completed_at"]]
    )
    done = done[done["measured_at"] <= now]
    pairs = done.merge(course_levels, on="course_id")  # one row per completion and competency
    asked = [
        (int(employee_id), int(competency_id), as_of_moment(measured_at.to_pydatetime()))
        for employee_id, competency_id, measured_at in zip(
            pairs["employee_id"], pairs["competency_id"], pairs["measured_at"], strict=True
        )
    ]
    levels = levels_at_moments(asked)
    rows = []
    for key, course_id, level in zip(asked, pairs["course_id"], pairs["level"], strict=True):
        current = levels.get(key)
        reached = bool(
            current is not None and SOURCE_RANK[current.source] >= CONFIRMED_RANK and current.level >= level
        )
        rows.append((int(course_id), key[1], key[0], reached))
    return pd.DataFrame(rows, columns=columns)


def course_success_rates(
    course_levels: pd.DataFrame, enrolments: pd.DataFrame, *, now: dt.datetime, default_rate: float
) -> pd.DataFrame:
    """Every live course's success rate per competency (``demand.success_rates``), cached on its own:
    it changes with evidence, courses and completions, not with the plan, the year or the ceiling."""
    key = report_cache_key(
        "training-rates", catalogue_version(), default_rate, bangkok_date(now).replace(day=1), MIN_COMPLETIONS
    )
    return cached(
        key,
        lambda: success_rates(
            course_levels, completion_outcomes(course_levels, enrolments, now=now), default_rate=default_rate
        ),
    )


@dataclass
class Assumptions:
    staff_hour_cost: float
    default_success_rate: float
    min_completions: int = MIN_COMPLETIONS
    months_to_success: int = SUCCESS_AFTER_MONTHS
    solver_seconds: float = 20.0


def assumptions() -> Assumptions:
    return Assumptions(
        staff_hour_cost=float(settings.TRAINING_STAFF_HOUR_COST),
        default_success_rate=settings.TRAINING_DEFAULT_SUCCESS_RATE / 100.0,
        solver_seconds=float(settings.TRAINING_SOLVER_SECONDS),
    )


@dataclass
class TrainingDemand:
    """What the plan needs at a fiscal year's end: demand, courses and their measured success rates."""

    plan_id: int
    fiscal_year: int
    as_of: dt.datetime
    demand: Demand
    courses: pd.DataFrame  # the catalogue's courses (contributions.COURSE_COLUMNS)
    prerequisites: pd.DataFrame
    rates: pd.DataFrame  # per course and competency: level, completions, successes, success_rate, measured
    statuses_without: dict[int, str | None]  # the capability report's forecast for the year, per target
    assumptions: Assumptions
    specs: list[TargetSpec] = field(default_factory=list)


def _demand_key(plan: CapabilityPlan, specs, fiscal_year: int, now: dt.datetime, extra=()) -> str:
    a = assumptions()
    return report_cache_key(
        "training",
        plan.pk,
        plan.first_fiscal_year,
        plan.last_fiscal_year,
        specs,
        fiscal_year,
        catalogue_version(),
        a.staff_hour_cost,
        a.default_success_rate,
        bangkok_date(now),
        *extra,
    )


def training_demand(
    plan: CapabilityPlan, *, fiscal_year: int, now: dt.datetime, use_cache: bool = True
) -> TrainingDemand:
    report = capability_report(plan, now=now)
    specs = report.specs

    def build() -> TrainingDemand:
        return build_training_demand(plan, specs, report.table, fiscal_year=fiscal_year, now=now)

    key = _demand_key(plan, specs, fiscal_year, now)
    return cached(key, build) if use_cache else build()


def build_training_demand(
    plan: CapabilityPlan, specs: list[TargetSpec], table: pd.DataFrame, *, fiscal_year: int, now: dt.datetime
) -> TrainingDemand:
    a = assumptions()
    active = Employee.objects.filter(is_active=True)
    staff = staff_frame(active)
    levels = confirmed_levels(active, {spec.competency_id for spec in specs}, now=now)
    catalogue = course_catalogue()
    enrolments = enrolments_of(None)
    rates = course_success_rates(catalogue.levels, enrolments, now=now, default_rate=a.default_success_rate)
    active_ids = set(staff["employee_id"].astype(int))
    mine = enrolments[enrolments["employee_id"].isin(list(active_ids))]
    demand = target_demand(
        specs=specs,
        fiscal_year=fiscal_year,
        staff=staff,
        levels=levels,
        courses=catalogue.courses,
        course_rates=rates,
        prerequisites=catalogue.prerequisites,
        enrolments=mine,
        staff_hour_cost=a.staff_hour_cost,
    )
    year_rows = table[(table["period"] == "year") & (table["fiscal_year"] == fiscal_year)]
    statuses = dict(zip(year_rows["target_id"].astype(int), year_rows["status"], strict=True))
    return TrainingDemand(
        plan_id=plan.pk,
        fiscal_year=fiscal_year,
        as_of=now,
        demand=demand,
        courses=catalogue.courses,
        prerequisites=catalogue.prerequisites,
        rates=rates,
        statuses_without=statuses,
        assumptions=a,
        specs=specs,
    )


@dataclass
class TrainingPlan:
    """A solved training plan for one plan, fiscal year and (optional) budget ceiling."""

    needs: TrainingDemand
    result: PlannerResult
    summary: PlanSummary
    cheapest: float | None  # the cash of the cheapest single seat that lifts someone (None: all free)

    @property
    def fiscal_year(self) -> int:
        return self.needs.fiscal_year

    @property
    def ceiling(self) -> float | None:
        return self.result.ceiling


def cheapest_seat(needs: TrainingDemand) -> float | None:
    """The least cash one seat of a course that lifts a candidate costs (a course in runs: one run)."""
    lifting = set(needs.demand.lifts["course_id"].astype(int))
    courses = needs.courses[needs.courses["course_id"].isin(list(lifting))]
    if courses.empty:
        return None
    cost = courses["cost_per_seat"].astype(float) + courses["cost_per_run"].astype(float).where(
        courses["run_based"].astype(bool), 0.0
    )
    positive = cost[cost > 0]
    return float(positive.min()) if not positive.empty else None


def solve_plan(
    needs: TrainingDemand, *, ceiling: float | None, time_limit: float | None = None
) -> TrainingPlan:
    today = bangkok_date(needs.as_of)
    result = plan_training(
        needs.demand.planner_input,
        ceiling=ceiling,
        time_limit=time_limit if time_limit is not None else needs.assumptions.solver_seconds,
    )
    summary = plan_summary(
        needs.demand,
        result,
        courses=needs.courses,
        prerequisites=needs.prerequisites,
        staff_hour_cost=needs.assumptions.staff_hour_cost,
        today=today,
    )
    return TrainingPlan(needs=needs, result=result, summary=summary, cheapest=cheapest_seat(needs))


def training_plan(
    plan: CapabilityPlan, *, fiscal_year: int, ceiling: float | None, now: dt.datetime, use_cache: bool = True
) -> TrainingPlan:
    """The plan's training plan for a year: the cheapest that meets every target, or with a ceiling the
    one that closes most of the shortfall. Cached like the demand it rests on."""
    needs = training_demand(plan, fiscal_year=fiscal_year, now=now, use_cache=use_cache)

    def build() -> TrainingPlan:
        solved = solve_plan(needs, ceiling=ceiling)
        if ceiling is None and use_cache:
            _keep_latest_share(plan, solved)
        return solved

    key = _demand_key(plan, needs.specs, fiscal_year, now, extra=("plan", ceiling))
    return cached(key, build) if use_cache else build()


# My team's card shows the share of the plan as it was last worked out, and never works it out itself:
# at 20,000 staff that takes 20 s and more, and any new evidence makes it stale.
LATEST_SHARE_KEY = "profiles:training:latest-share:{plan}:{year}"
LATEST_SHARE_SECONDS = 60 * 60 * 24 * 400  # kept past a fiscal year; replaced each time a plan is solved


def _keep_latest_share(plan: CapabilityPlan, training: TrainingPlan) -> None:
    people = training.summary.people
    hours = dict(
        zip(training.needs.courses["course_id"].astype(int), training.needs.courses["hours"], strict=True)
    )
    seats = pd.DataFrame(
        {
            "employee_id": people["employee_id"].astype("int64"),
            "org_unit_id": people["org_unit_id"].astype("int64"),
            "course_id": people["course_id"].astype("int64"),
        }
    )
    seats["hours"] = seats["course_id"].map(hours).fillna(0.0).astype(float)
    cache.set(
        LATEST_SHARE_KEY.format(plan=plan.pk, year=training.fiscal_year),
        {"computed_at": timezone.now(), "evidence_version": evidence_cache_version(), "seats": seats},
        timeout=LATEST_SHARE_SECONDS,
    )
    data_changed()  # kept pages show the share: they are stale now


CURVE_COLUMNS = ["ceiling", "cost", "targets_met", "targets", "closed_pct", "status"]


def ceiling_curve(
    plan: CapabilityPlan, *, fiscal_year: int, now: dt.datetime, extra_ceiling: float | None = None
) -> pd.DataFrame:
    """What a few budget ceilings buy: for shares of the cheapest full plan's cost (and the ceiling asked
    for), the cost of the plan, the targets it meets and the share of the shortfall it closes."""
    full = training_plan(plan, fiscal_year=fiscal_year, ceiling=None, now=now)
    needs = full.needs

    def build() -> pd.DataFrame:
        total_shortfall = float(needs.demand.planner_input.targets["shortfall"].sum())
        points = []
        cost = full.summary.totals["cost"]
        ceilings = sorted(
            {round(cost * share, -2) for share in CURVE_SHARES if cost > 0}
            | ({float(extra_ceiling)} if extra_ceiling is not None and extra_ceiling < cost else set())
        )
        for ceiling in ceilings:
            solved = solve_plan(needs, ceiling=ceiling, time_limit=CURVE_SECONDS)
            points.append(_curve_point(ceiling, solved, total_shortfall))
        points.append(_curve_point(None, full, total_shortfall))
        return pd.DataFrame(points, columns=CURVE_COLUMNS)

    key = _demand_key(plan, needs.specs, fiscal_year, now, extra=("curve", extra_ceiling))
    return cached(key, build)


def _curve_point(ceiling, solved: TrainingPlan, total_shortfall: float) -> dict:
    targets = solved.summary.by_target
    closed = (
        float(targets["planned_expected"].clip(upper=targets["shortfall"]).sum())
        if not targets.empty
        else 0.0
    )
    return {
        "ceiling": ceiling,
        "cost": solved.summary.totals["cost"],
        "targets_met": solved.summary.totals["targets_met"],
        "targets": solved.summary.totals["targets"],
        "closed_pct": round(100.0 * closed / total_shortfall, 1) if total_shortfall else 100.0,
        "status": solved.result.status,
    }


def unit_labels(language: str) -> dict[int, str]:
    field_name = "name_en" if language.startswith("en") else "name_th"
    return {
        pk: (name or other) for pk, name, other in OrgUnit.objects.values_list("id", field_name, "name_th")
    }


def people_labels(employee_ids) -> dict[int, tuple[str, str, str]]:
    """employee id -> (number, Thai name, English name), in one query (all staff when many are asked
    for: one plain read of the table beats a query with thousands of parameters)."""
    wanted = set(employee_ids)
    queryset = (
        Employee.objects.filter(id__in=sorted(wanted)) if len(wanted) <= 500 else Employee.objects.all()
    )
    rows = queryset.values_list(
        "id", "employee_number", "first_name_th", "last_name_th", "first_name_en", "last_name_en"
    )
    return {
        pk: (number, f"{fth} {lth}".strip(), f"{fen} {len_}".strip())
        for pk, number, fth, lth, fen, len_ in rows
    }


# --- A head of unit's share (My team) ---------------------------------------------------------------


def active_plan() -> CapabilityPlan | None:
    """The plan the reports open on: the latest active one."""
    return CapabilityPlan.objects.filter(is_active=True).order_by("-first_fiscal_year", "code").first()


def team_plan(*, now: dt.datetime) -> tuple[CapabilityPlan, TrainingPlan] | None:
    """The active plan's cheapest training plan for its default year (None: no plan, or no year ahead)."""
    plan = active_plan()
    if plan is None:
        return None
    year = default_year(plan, now=now)
    if year is None:
        return None
    return plan, training_plan(plan, fiscal_year=year, ceiling=None, now=now)


@dataclass
class TeamShare:
    plan: CapabilityPlan
    fiscal_year: int
    computed_at: dt.datetime | None  # None: not worked out yet (the other figures are then 0)
    current: bool  # False: evidence has been recorded since it was worked out
    people: int = 0
    seats: int = 0
    hours: float = 0.0
    courses: int = 0


def team_training_share(unit_ids: set[int], *, now: dt.datetime) -> TeamShare | None:
    """How much of the active plan's cheapest training plan falls to these units (My team's card), as it
    was last worked out (on the training pages); None when there is no plan or no year ahead. Reads one
    cached value: the plan is never solved here."""
    if not unit_ids:
        return None
    plan = active_plan()
    if plan is None:
        return None
    year = default_year(plan, now=now)
    if year is None:
        return None
    latest = cache.get(LATEST_SHARE_KEY.format(plan=plan.pk, year=year))
    if latest is None:
        return TeamShare(plan=plan, fiscal_year=year, computed_at=None, current=False)
    seats = latest["seats"]
    mine = seats[seats["org_unit_id"].isin(list(unit_ids))]
    return TeamShare(
        plan=plan,
        fiscal_year=year,
        computed_at=latest["computed_at"],
        current=latest["evidence_version"] == evidence_cache_version(),
        people=int(mine["employee_id"].nunique()),
        seats=len(mine),
        hours=float(mine["hours"].sum()),
        courses=int(mine["course_id"].nunique()),
    )
