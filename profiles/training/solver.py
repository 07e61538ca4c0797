"""The training planner: who takes which course, so that the plan's targets are met at the least cost,
or so that as much of their shortfall is closed as a budget ceiling allows.

A mixed-integer model solved by HiGHS through SciPy's ``milp`` (frames in, frames out; no database):

- ``x[person, course]``: the person takes the course (with the prerequisites they have not completed,
  which are planned with it: a *package*). Only candidates, and only courses that lift them towards at
  least one target with a shortfall, get a variable.
- ``runs[course]`` (integer) for courses given in runs: the seats taken, prerequisites included, fit in
  ``seats_per_run x runs``.
- A person counts at most once towards each target: of the packages that lift them towards one target
  they take at most one. One package counts towards every target it lifts them in.
- Coverage per target: the expected successes, each seat weighted by the course's measured success
  rate, reach the target's shortfall.
- Cost: seats x cost per seat + runs x cost per run, plus learning hours x the staff hour cost.
- Without a ceiling: minimise the cost. With a ceiling on the cash cost: maximise the shortfall
  closed, the sum over targets of min(expected successes, shortfall), with the cost as a tie-break.

People the model cannot tell apart (the same targets to reach, the same courses open to them) are
merged into one class with a count, and the problem splits into independent parts (targets joined by
a course or a prerequisite); see ``_classes``. The counts are given back to named people, nearest to
the level first; a class whose counts cannot be handed out that way is solved again person by person.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

OPTIMAL = "optimal"
LIMIT = "limit"  # time or node limit: the best plan found, with its gap to the bound
NO_SOLUTION = "no_solution"  # the limit came before any plan was found
NOTHING_TO_DO = "nothing_to_do"  # no target has a shortfall that a course can close

ASSIGNMENT_COLUMNS = ["employee_id", "course_id", "for_course_id"]
COUNTED_COLUMNS = ["employee_id", "target_id", "course_id", "success_rate"]


@dataclass(frozen=True)
class PlannerInput:
    """What the planner needs, as plain frames (``demand.planner_input`` builds them)."""

    targets: pd.DataFrame  # target_id, shortfall (expected people still needed, >= 0)
    candidates: pd.DataFrame  # employee_id, target_id, gap (levels below the target's, for the order)
    lifts: pd.DataFrame  # course_id, target_id, success_rate: the course evidences the target's level
    # course_id, cost_per_seat, cost_per_run, seats_per_run (0: no runs), hours; optionally preference:
    # a few satang a seat that break ties between equal courses (not counted as cost)
    courses: pd.DataFrame
    prerequisites: pd.DataFrame  # course_id, prerequisite_id (published prerequisites only)
    taken: pd.DataFrame  # employee_id, course_id: completed or in progress, never planned again
    staff_hour_cost: float = 0.0


@dataclass
class PlannerResult:
    status: str
    assignments: pd.DataFrame  # employee_id, course_id, for_course_id (a prerequisite: the course it opens)
    counted: pd.DataFrame  # employee_id, target_id, course_id, success_rate: what counts for which target
    runs: dict[int, int] = field(default_factory=dict)
    objective: float | None = None  # the model's objective (cost, or shortfall closed with a ceiling)
    lp_bound: float | None = None  # the LP relaxation's optimum: a bound no plan can beat
    mip_bound: float | None = None  # the solver's own bound when it stopped
    gap: float | None = None  # (objective - LP bound) / LP bound, relative, >= 0
    ceiling: float | None = None
    short: dict[int, float] = field(default_factory=dict)  # expected people a target stays short
    seconds: float = 0.0
    size: dict = field(default_factory=dict)
    message: str = ""


# --- Packages: a course with the prerequisites a person still lacks ------------------------------------


def _package(course_id: int, done: frozenset[int], prerequisites: dict[int, list[int]]) -> frozenset[int]:
    """The course and, recursively, its prerequisites not yet completed (a loop is followed once)."""
    found, stack = {course_id}, [course_id]
    while stack:
        for prerequisite in prerequisites.get(stack.pop(), ()):
            if prerequisite in done or prerequisite in found:
                continue
            found.add(prerequisite)
            stack.append(prerequisite)
    return frozenset(found)


class _UnionFind:
    def __init__(self):
        self.parent: dict = {}

    def find(self, item):
        self.parent.setdefault(item, item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a, b) -> None:
        self.parent[self.find(a)] = self.find(b)


@dataclass
class _Class:
    """People the model treats alike: the same targets in one part of the problem, the same courses done."""

    targets: tuple[int, ...]
    done: frozenset[int]
    members: list[int]  # employee ids, nearest to the level first

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass
class _Data:
    shortfall: dict[int, float]
    rate: dict[int, dict[int, float]]  # course -> target -> success rate
    prerequisites: dict[int, list[int]]
    seat_cost: dict[int, float]  # cash per seat
    run_cost: dict[int, float]
    seats_per_run: dict[int, int]
    hours: dict[int, float]
    preference: dict[int, float]  # tie-break per seat, not a cost (see PlannerInput.courses)
    staff_hour_cost: float
    component_of_target: dict[int, object]
    component_courses: dict[object, set[int]]
    dominated_by: dict[int, list[int]] = field(default_factory=dict)


def _data(data: PlannerInput) -> _Data:
    shortfall = {
        int(t): float(s) for t, s in zip(data.targets["target_id"], data.targets["shortfall"], strict=True)
    }
    rate: dict[int, dict[int, float]] = defaultdict(dict)
    for course_id, target_id, success in zip(
        data.lifts["course_id"], data.lifts["target_id"], data.lifts["success_rate"], strict=True
    ):
        if int(target_id) in shortfall and success > 0:
            rate[int(course_id)][int(target_id)] = float(success)
    prerequisites: dict[int, list[int]] = defaultdict(list)
    for course_id, prerequisite_id in zip(
        data.prerequisites["course_id"], data.prerequisites["prerequisite_id"], strict=True
    ):
        if int(course_id) != int(prerequisite_id):
            prerequisites[int(course_id)].append(int(prerequisite_id))
    courses = data.courses
    ids = [int(c) for c in courses["course_id"]]
    seat_cost = dict(zip(ids, courses["cost_per_seat"].astype(float), strict=True))
    run_cost = dict(zip(ids, courses["cost_per_run"].astype(float), strict=True))
    seats_per_run = dict(zip(ids, courses["seats_per_run"].fillna(0).astype(int), strict=True))
    hours = dict(zip(ids, courses["hours"].astype(float), strict=True))
    if "preference" in courses:
        preference = dict(zip(ids, courses["preference"].astype(float), strict=True))
    else:
        preference = dict.fromkeys(ids, 0.0)
    # a lifting course (or a prerequisite) not in the course list cannot be planned
    known = set(ids)
    rate = defaultdict(dict, {c: r for c, r in rate.items() if c in known})
    prerequisites = defaultdict(list, {c: [p for p in ps if p in known] for c, ps in prerequisites.items()})
    # the independent parts: targets joined through a course that lifts both, or through prerequisites
    union = _UnionFind()
    for course_id, targets in rate.items():
        for target_id in targets:
            union.union(("c", course_id), ("t", target_id))
        for prerequisite in _package(course_id, frozenset(), prerequisites):
            union.union(("c", course_id), ("c", prerequisite))
    component_of_target = {t: union.find(("t", t)) for t in shortfall if ("t", t) in union.parent}
    component_courses: dict[object, set[int]] = defaultdict(set)
    for node in list(union.parent):
        if node[0] == "c":
            component_courses[union.find(node)].add(node[1])
    d = _Data(
        shortfall,
        rate,
        prerequisites,
        seat_cost,
        run_cost,
        seats_per_run,
        hours,
        preference,
        float(data.staff_hour_cost),
        component_of_target,
        component_courses,
    )
    d.dominated_by = _dominance(d)
    return d


def _no_worse(d: _Data, b: int, a: int) -> bool:
    """Course ``b`` is, for anyone, at least as good a choice as course ``a``: it lifts towards every
    target ``a`` does at least as often, costs no more (by the seat and by the run), takes no longer and
    asks for no more prerequisites."""
    lifts_a, lifts_b = d.rate.get(a, {}), d.rate.get(b, {})
    if any(lifts_b.get(t, 0.0) < r for t, r in lifts_a.items()):
        return False
    if d.seat_cost[b] > d.seat_cost[a] or d.hours[b] > d.hours[a]:
        return False
    runs_a, runs_b = d.seats_per_run.get(a, 0), d.seats_per_run.get(b, 0)
    if runs_b and (not runs_a or runs_b < runs_a or d.run_cost[b] > d.run_cost[a]):
        return False
    return set(d.prerequisites.get(b, ())) <= set(d.prerequisites.get(a, ()))


def _dominance(d: _Data) -> dict[int, list[int]]:
    """For each course, the courses at least as good (see ``_no_worse``); among equals, the one with the
    smaller preference (then id) wins. A person is offered a dominated course only when every course
    better than it is already behind them (the Thai and English versions of one course, say)."""
    dominated: dict[int, list[int]] = defaultdict(list)
    for courses in d.component_courses.values():
        lifting = sorted(c for c in courses if c in d.rate)
        for a in lifting:
            for b in lifting:
                if a == b or not _no_worse(d, b, a):
                    continue
                if _no_worse(d, a, b) and (d.preference[b], b) > (d.preference[a], a):
                    continue  # the two are equal: only the preferred one dominates
                dominated[a].append(b)
    return dominated


def _classes(data: PlannerInput, d: _Data, split: set | None = None) -> dict[tuple, _Class]:
    """Group each candidate's targets by independent part, then merge people alike in that part.

    ``split``: class keys whose members are to be kept apart (one class per person).
    """
    wanted = {t for t, s in d.shortfall.items() if s > 0 and t in d.component_of_target}
    cand = data.candidates
    mask = cand["target_id"].isin(list(wanted)).to_numpy()
    cand = cand[mask]
    done_by: dict[int, set[int]] = defaultdict(set)
    for employee_id, course_id in zip(data.taken["employee_id"], data.taken["course_id"], strict=True):
        done_by[int(employee_id)].add(int(course_id))
    per_person: dict[tuple[int, object], list[tuple[int, int]]] = defaultdict(list)
    for employee_id, target_id, gap in zip(
        cand["employee_id"].to_numpy(), cand["target_id"].to_numpy(), cand["gap"].to_numpy(), strict=True
    ):
        target_id = int(target_id)
        per_person[(int(employee_id), d.component_of_target[target_id])].append((target_id, int(gap)))
    grouped: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
    for (employee_id, component), items in per_person.items():
        targets = tuple(sorted(t for t, _gap in items))
        done = frozenset(done_by.get(employee_id, set()) & d.component_courses[component])
        key = (component, targets, done)
        if split and key in split:
            key = (*key, employee_id)
        grouped[key].append((sum(gap for _t, gap in items), employee_id))
    return {
        key: _Class(targets=key[1], done=key[2], members=[e for _gap, e in sorted(members)])
        for key, members in grouped.items()
    }


@dataclass
class _Column:
    key: tuple
    root: int
    courses: frozenset[int]
    lifts: dict[int, float]  # target -> success rate counted
    cost: float  # per seat: cash and staff time of every course in the package
    cash: float


def _columns(classes: dict[tuple, _Class], d: _Data) -> list[_Column]:
    columns = []
    for key, klass in classes.items():
        component = key[0]
        wanted = set(klass.targets)
        for root in sorted(d.component_courses[component]):
            if root in klass.done or not wanted & set(d.rate.get(root, ())):
                continue
            if any(better not in klass.done for better in d.dominated_by.get(root, ())):
                continue
            package = _package(root, klass.done, d.prerequisites)
            lifts: dict[int, float] = {}
            for course_id in package:
                for target_id, success in d.rate.get(course_id, {}).items():
                    if target_id in wanted:
                        lifts[target_id] = max(lifts.get(target_id, 0.0), success)
            cash = sum(d.seat_cost[c] for c in package)
            staff = d.staff_hour_cost * sum(d.hours[c] for c in package)
            tie = sum(d.preference[c] for c in package)
            columns.append(_Column(key, root, package, lifts, cash + staff + tie, cash))
    return columns


# --- The model ---------------------------------------------------------------------------------------


@dataclass
class _Model:
    c: np.ndarray
    integrality: np.ndarray
    bounds: Bounds
    constraints: list[LinearConstraint]
    columns: list[_Column]
    run_courses: list[int]
    slack_targets: list[int]
    closure_targets: list[int]
    penalty: float
    cost: np.ndarray  # per variable: cash and staff time (0 for the closed and slack variables)


def _model(classes: dict[tuple, _Class], d: _Data, *, ceiling: float | None) -> _Model:
    columns = _columns(classes, d)
    n_x = len(columns)
    seats_of: dict[int, list[int]] = defaultdict(list)  # course -> columns that take a seat in it
    for j, column in enumerate(columns):
        for course_id in column.courses:
            seats_of[course_id].append(j)
    run_courses = sorted(c for c in seats_of if d.seats_per_run.get(c, 0) > 0)
    targets = sorted(t for t, s in d.shortfall.items() if s > 0)
    n_y = len(run_courses)
    # with a ceiling: one "closed" variable per target; without: one slack per target (never silent:
    # a slack left in the plan is reported as the target staying short)
    n_t = len(targets)
    n = n_x + n_y + n_t
    upper_x = np.array([classes[col.key].size for col in columns], dtype=float)
    upper_y = np.array(
        [math.ceil(sum(upper_x[j] for j in seats_of[c]) / d.seats_per_run[c]) for c in run_courses],
        dtype=float,
    )
    max_seat_cost = max([col.cost for col in columns] + [1.0])
    max_run_cost = max([d.run_cost[c] for c in run_courses] + [0.0])
    penalty = 1000.0 * (max_seat_cost + max_run_cost + 1.0)
    rows, cols, vals, lower, upper = [], [], [], [], []
    row = 0

    def add(entries: list[tuple[int, float]], lo: float, hi: float) -> None:
        nonlocal row
        for j, value in entries:
            rows.append(row)
            cols.append(j)
            vals.append(value)
        lower.append(lo)
        upper.append(hi)
        row += 1

    # at most one package per person and target
    by_class_target: dict[tuple, list[int]] = defaultdict(list)
    for j, column in enumerate(columns):
        for target_id in column.lifts:
            by_class_target[(column.key, target_id)].append(j)
    for (key, _target_id), js in by_class_target.items():
        if len(js) > 1:
            add([(j, 1.0) for j in js], -np.inf, float(classes[key].size))
    # seats fit in the runs
    for i, course_id in enumerate(run_courses):
        add(
            [(j, 1.0) for j in seats_of[course_id]] + [(n_x + i, -float(d.seats_per_run[course_id]))],
            -np.inf,
            0,
        )
    # coverage
    coverage: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for j, column in enumerate(columns):
        for target_id, success in column.lifts.items():
            coverage[target_id].append((j, success))
    for i, target_id in enumerate(targets):
        if ceiling is None:  # expected + slack >= shortfall
            add(coverage[target_id] + [(n_x + n_y + i, 1.0)], d.shortfall[target_id], np.inf)
        else:  # closed <= expected
            add([(j, -s) for j, s in coverage[target_id]] + [(n_x + n_y + i, 1.0)], -np.inf, 0.0)
    cost = np.zeros(n)
    cash = np.zeros(n)
    for j, column in enumerate(columns):
        cost[j] = column.cost
        cash[j] = column.cash
    for i, course_id in enumerate(run_courses):
        cost[n_x + i] = cash[n_x + i] = d.run_cost[course_id]
    if ceiling is not None:
        add([(j, cash[j]) for j in range(n_x + n_y) if cash[j]], -np.inf, float(ceiling))
    matrix = sparse.csr_array((vals, (rows, cols)), shape=(row, n))
    constraints = [LinearConstraint(matrix, np.array(lower), np.array(upper))] if row else []
    upper_t = np.array([d.shortfall[t] for t in targets], dtype=float)
    if ceiling is None:
        c = cost.copy()
        c[n_x + n_y :] = penalty
        upper_t = np.full(n_t, np.inf)
    else:
        # maximise the shortfall closed; the cost breaks ties (worth less than a thousandth of a person)
        c = cost * (1e-3 / max(float(ceiling), 1.0) / max(n_x, 1))
        c[n_x + n_y :] = -1.0
    integrality = np.concatenate([np.ones(n_x + n_y), np.zeros(n_t)])
    bounds = Bounds(np.zeros(n), np.concatenate([upper_x, upper_y, upper_t]))
    return _Model(c, integrality, bounds, constraints, columns, run_courses, targets, targets, penalty, cost)


MIP_REL_GAP = 5e-3  # the solver stops once its plan is proven within 0.5% of the best possible


def _cheapest_closing(model: _Model, found, *, time_limit: float):
    """With a ceiling, the second step: of the plans that close as much as the first step's, the
    cheapest (the first step's cost tie-break is too small for the solver's tolerance to honour).
    Keeps the first step's plan if this one finds none in time; the result carries the first step's
    status when that one stopped at its limit."""
    n = len(model.c)
    n_t = len(model.closure_targets)
    closed = float(found.x[n - n_t :].sum())
    if closed <= 0:
        return found
    row = np.zeros((1, n))
    row[0, n - n_t :] = 1.0
    floor = closed - 1e-6 * max(closed, 1.0)
    constraints = [*model.constraints, LinearConstraint(row, [floor], [np.inf])]
    options = {"time_limit": max(time_limit, 0.01), "mip_rel_gap": MIP_REL_GAP, "presolve": True}
    cheapest = milp(
        model.cost,
        integrality=model.integrality,
        bounds=model.bounds,
        constraints=constraints,
        options=options,
    )
    if cheapest.x is None:
        return found
    cheapest.status = max(found.status, cheapest.status)
    cheapest.mip_dual_bound = found.get("mip_dual_bound")
    return cheapest


def _solve(
    model: _Model,
    *,
    time_limit: float,
    node_limit: int | None,
    relaxed: bool,
    mip_rel_gap: float = MIP_REL_GAP,
):
    options = {"time_limit": max(time_limit, 0.01), "mip_rel_gap": mip_rel_gap, "presolve": True}
    if node_limit is not None:
        options["node_limit"] = node_limit
    integrality = np.zeros_like(model.integrality) if relaxed else model.integrality
    return milp(
        model.c, integrality=integrality, bounds=model.bounds, constraints=model.constraints, options=options
    )


# --- Handing the counts to people ----------------------------------------------------------------------


def _hand_out(classes: dict[tuple, _Class], columns: list[_Column], counts: np.ndarray):
    """Give each class's seats to its members, nearest to the level first; a person takes at most one
    package per target. Returns (assignments, counted, keys of classes that could not be handed out)."""
    by_class: dict[tuple, list[tuple[_Column, int]]] = defaultdict(list)
    for column, count in zip(columns, counts, strict=True):
        if count > 0:
            by_class[column.key].append((column, int(count)))
    assignments: list[tuple[int, int, int]] = []
    counted: list[tuple[int, int, int, float]] = []
    failed: set[tuple] = set()
    for key, items in by_class.items():
        members = classes[key].members
        used: list[set[int]] = [set() for _ in members]
        courses_of: list[set[int]] = [set() for _ in members]
        # how far each kind of package has looked: people it passed over stay unsuitable for it
        pointer: dict[tuple[frozenset[int], int], int] = {}
        # packages that count for more targets first, then dearer ones: they go to the nearest people
        for column, count in sorted(
            items, key=lambda item: (-len(item[0].lifts), -item[0].cost, item[0].root)
        ):
            signature = frozenset(column.lifts)
            position = pointer.get((signature, column.root), 0)
            for _seat in range(count):
                while position < len(members) and (
                    used[position] & signature or column.root in courses_of[position]
                ):
                    position += 1
                if position == len(members):
                    failed.add(key)
                    break
                used[position] |= signature
                employee_id = members[position]
                for course_id in sorted(column.courses - courses_of[position]):
                    assignments.append((employee_id, course_id, column.root))
                courses_of[position] |= column.courses
                for target_id, success in column.lifts.items():
                    counted.append((employee_id, target_id, column.root, success))
                position += 1
            pointer[(signature, column.root)] = position
    return assignments, counted, failed


# --- Entry points ----------------------------------------------------------------------------------------


def achievable(data: PlannerInput) -> dict[int, float]:
    """Per target, the expected successes if every candidate took the best course open to them."""
    rates = defaultdict(dict)
    for course_id, target_id, success in zip(
        data.lifts["course_id"], data.lifts["target_id"], data.lifts["success_rate"], strict=True
    ):
        rates[int(target_id)][int(course_id)] = float(success)
    done_by: dict[int, set[int]] = defaultdict(set)
    for employee_id, course_id in zip(data.taken["employee_id"], data.taken["course_id"], strict=True):
        done_by[int(employee_id)].add(int(course_id))
    known = {int(c) for c in data.courses["course_id"]}
    total: dict[int, float] = defaultdict(float)
    for employee_id, target_id in zip(
        data.candidates["employee_id"], data.candidates["target_id"], strict=True
    ):
        done = done_by.get(int(employee_id), set())
        best = max(
            (s for c, s in rates.get(int(target_id), {}).items() if c in known and c not in done), default=0.0
        )
        total[int(target_id)] += best
    return {int(t): total.get(int(t), 0.0) for t in data.targets["target_id"]}


def relaxation_bound(data: PlannerInput, *, time_limit: float = 20.0) -> float | None:
    """The least cost (cash and staff time) of meeting the targets with fractions of seats and runs
    allowed: a lower bound no plan can beat, from the LP relaxation of the same model."""
    d = _data(data)
    model = _model(_classes(data, d), d, ceiling=None)
    if not model.columns:
        return 0.0
    relaxed = _solve(model, time_limit=time_limit, node_limit=None, relaxed=True)
    if relaxed.x is None:
        return None
    return float(relaxed.fun - model.penalty * relaxed.x[len(model.columns) + len(model.run_courses) :].sum())


def plan_training(
    data: PlannerInput,
    *,
    ceiling: float | None = None,
    time_limit: float = 20.0,
    node_limit: int | None = None,
    mip_rel_gap: float = MIP_REL_GAP,
) -> PlannerResult:
    """Solve the planning model; see the module docstring. ``ceiling``: the most cash to spend (baht)."""
    started = time.perf_counter()
    d = _data(data)
    empty = PlannerResult(
        status=NOTHING_TO_DO,
        assignments=pd.DataFrame(columns=ASSIGNMENT_COLUMNS, dtype="int64"),
        counted=pd.DataFrame(columns=COUNTED_COLUMNS),
        ceiling=ceiling,
    )
    split: set = set()
    while True:  # each round keeps at least one more class apart, so this ends
        classes = _classes(data, d, split)
        model = _model(classes, d, ceiling=ceiling)
        if not model.columns:
            empty.seconds = time.perf_counter() - started
            empty.short = {t: s for t, s in d.shortfall.items() if s > 0}
            return empty
        remaining = time_limit - (time.perf_counter() - started)
        relaxed = _solve(model, time_limit=remaining, node_limit=None, relaxed=True)
        remaining = time_limit - (time.perf_counter() - started)
        result = _solve(
            model, time_limit=remaining, node_limit=node_limit, relaxed=False, mip_rel_gap=mip_rel_gap
        )
        if result.x is None:
            return PlannerResult(
                status=NO_SOLUTION,
                assignments=empty.assignments,
                counted=empty.counted,
                lp_bound=None if relaxed.x is None else float(relaxed.fun),
                ceiling=ceiling,
                seconds=time.perf_counter() - started,
                size=_size(model, classes),
                message=str(result.message),
            )
        if ceiling is not None:
            result = _cheapest_closing(model, result, time_limit=time_limit - (time.perf_counter() - started))
        n_x = len(model.columns)
        counts = np.rint(result.x[:n_x]).astype(int)
        assignments, counted, failed = _hand_out(classes, model.columns, counts)
        if not failed:
            break
        split |= failed
    n_x, n_y = len(model.columns), len(model.run_courses)
    runs = {
        course_id: int(round(result.x[n_x + i]))
        for i, course_id in enumerate(model.run_courses)
        if round(result.x[n_x + i]) > 0
    }
    tail = result.x[n_x + n_y :]
    # what each target is short of, from the seats handed out (exact, whatever the solver's tolerances)
    expected: dict[int, float] = defaultdict(float)
    for _employee, target_id, _course, success in counted:
        expected[target_id] += success
    short = {
        t: s - expected[t] for t, s in d.shortfall.items() if s > 0 and s - expected[t] > 1e-6
    }
    if ceiling is None:
        objective = float(result.fun - model.penalty * tail.sum())
        lp = None if relaxed.x is None else float(relaxed.fun - model.penalty * relaxed.x[n_x + n_y :].sum())
        gap = None if lp is None else max(objective - lp, 0.0) / max(lp, 1e-9)
        bound = result.get("mip_dual_bound")
        mip = float(bound) if bound is not None and np.isfinite(bound) else None
    else:
        # the documented objective: the sum over targets of min(expected successes, shortfall)
        objective = float(sum(min(expected[t], s) for t, s in d.shortfall.items() if s > 0))
        lp = None if relaxed.x is None else float(relaxed.x[n_x + n_y :].sum())
        gap = None if lp is None else max(lp - objective, 0.0) / max(lp, 1e-9)
        mip = None if result.get("mip_dual_bound") is None else -float(result.mip_dual_bound)
    status = OPTIMAL if result.status == 0 else LIMIT
    return PlannerResult(
        status=status,
        assignments=pd.DataFrame(assignments, columns=ASSIGNMENT_COLUMNS).drop_duplicates(
            ["employee_id", "course_id"]
        ),
        counted=pd.DataFrame(counted, columns=COUNTED_COLUMNS),
        runs=runs,
        objective=objective,
        lp_bound=lp,
        mip_bound=mip,
        gap=gap,
        ceiling=ceiling,
        short=short,
        seconds=time.perf_counter() - started,
        size=_size(model, classes),
        message=str(result.message),
    )


def _size(model: _Model, classes: dict[tuple, _Class]) -> dict:
    return {
        "variables": int(len(model.c)),
        "integer_variables": int(model.integrality.sum()),
        "constraints": int(model.constraints[0].A.shape[0]) if model.constraints else 0,
        "classes": len(classes),
        "people": len({member for klass in classes.values() for member in klass.members}),
    }
