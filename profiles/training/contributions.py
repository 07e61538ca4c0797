"""What the courses app contributes to training planning (registered in ``CoursesConfig.ready``).

profiles imports no course code: the courses app hands over, as plain frames, each live course's
delivery and cost, the competencies and levels it evidences, its prerequisites and the enrolments, and
the function that turns a plan into assignments. Without it, no course can be planned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from django.db.models import QuerySet

from ..organisation.models import Employee

COURSE_COLUMNS = [
    "course_id",
    "title",
    "language",
    "mode",
    "run_based",
    "cost_per_seat",
    "cost_per_run",
    "seats_per_run",
    "hours",
]
COURSE_LEVEL_COLUMNS = ["course_id", "competency_id", "level"]
PREREQUISITE_COLUMNS = ["course_id", "prerequisite_id"]
ENROLMENT_COLUMNS = ["employee_id", "course_id", "completed_at"]


@dataclass
class CourseCatalogue:
    """Live courses as the planner sees them."""

    courses: pd.DataFrame  # COURSE_COLUMNS; costs in baht, hours of learning per person
    levels: pd.DataFrame  # COURSE_LEVEL_COLUMNS: the level a completion evidences
    prerequisites: pd.DataFrame  # PREREQUISITE_COLUMNS: published prerequisites of live courses


@dataclass
class AssignOutcome:
    """How one assignment call went: people newly assigned, updated, left as they were, already done."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    already_completed: int = 0


@dataclass
class TrainingContributions:
    # () -> the live courses with delivery and cost
    catalogue: Callable[[], CourseCatalogue] | None = None
    # (staff or None for everyone) -> one row per enrolment: employee_id, course_id, completed_at (None: open)
    enrolments: Callable[[QuerySet[Employee] | None], pd.DataFrame] | None = None
    # () -> a short text that changes whenever a course, its delivery or an enrolment changes
    version: Callable[[], str] | None = None
    # (course_id, employees, assigned_by, due_date, now) -> AssignOutcome, through the assignment service
    assign: Callable[..., AssignOutcome] | None = None


contributions = TrainingContributions()


def register(**providers) -> None:
    """Called from the courses app's ``AppConfig.ready`` with the providers it offers."""
    for name, provider in providers.items():
        if not hasattr(contributions, name):
            raise TypeError(f"unknown training contribution {name!r}")
        setattr(contributions, name, provider)


def course_catalogue() -> CourseCatalogue:
    if contributions.catalogue is None:
        return CourseCatalogue(
            courses=pd.DataFrame(columns=COURSE_COLUMNS),
            levels=pd.DataFrame(columns=COURSE_LEVEL_COLUMNS),
            prerequisites=pd.DataFrame(columns=PREREQUISITE_COLUMNS),
        )
    return contributions.catalogue()


def enrolments_of(staff: QuerySet[Employee] | None) -> pd.DataFrame:
    if contributions.enrolments is None:
        return pd.DataFrame(columns=ENROLMENT_COLUMNS)
    return contributions.enrolments(staff)


def catalogue_version() -> str:
    return contributions.version() if contributions.version is not None else ""


def assign_course(
    *, course_id: int, employees: list[Employee], assigned_by, due_date: dt.date, now: dt.datetime
) -> AssignOutcome:
    if contributions.assign is None:
        raise RuntimeError("No app offers course assignment.")
    return contributions.assign(
        course_id=course_id, employees=employees, assigned_by=assigned_by, due_date=due_date, now=now
    )
