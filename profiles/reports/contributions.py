"""What the apps that produce evidence contribute to the reports.

The courses and assessments apps register here in their ``AppConfig.ready``, so that profiles
imports neither: without them, the learning figures are empty and no course is recommended.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from django.db.models import QuerySet

from ..organisation.models import Employee

ENROLMENT_COLUMNS = ["enrolled_at", "completed_at"]
ATTEMPT_COLUMNS = ["submitted_at", "passed"]


@dataclass
class Contributions:
    # staff -> one row per enrolment of theirs: enrolled_at, completed_at (None when open)
    enrolments: Callable[[QuerySet[Employee]], pd.DataFrame] | None = None
    # staff -> one row per submitted assessment attempt of theirs: submitted_at, passed
    attempts: Callable[[QuerySet[Employee]], pd.DataFrame] | None = None
    # (wanted {competency id: level}, employee whose completed courses to leave out, how many per
    # competency) -> {competency id: [links]}; a link has .course (.title, .url), .course_id, .level
    course_offers: Callable[..., dict[int, list]] | None = None
    # user -> may they assign courses to others
    can_assign_courses: Callable[[object], bool] | None = None


contributions = Contributions()


def register(**providers) -> None:
    """Called from an evidence-producing app's ``AppConfig.ready`` with the providers it offers."""
    for name, provider in providers.items():
        if not hasattr(contributions, name):
            raise TypeError(f"unknown report contribution {name!r}")
        setattr(contributions, name, provider)


def enrolments_of(staff: QuerySet[Employee]) -> pd.DataFrame:
    if contributions.enrolments is None:
        return pd.DataFrame(columns=ENROLMENT_COLUMNS)
    return contributions.enrolments(staff)


def attempts_of(staff: QuerySet[Employee]) -> pd.DataFrame:
    if contributions.attempts is None:
        return pd.DataFrame(columns=ATTEMPT_COLUMNS)
    return contributions.attempts(staff)


def courses_for_competencies(
    wanted: dict[int, int], *, exclude_completed_by: Employee | None = None, per_competency: int = 3
) -> dict[int, list]:
    """Live courses whose completion evidences at least the wanted level, per competency id."""
    if not wanted or contributions.course_offers is None:
        return {}
    return contributions.course_offers(
        wanted, exclude_completed_by=exclude_completed_by, per_competency=per_competency
    )


def can_assign_courses(user) -> bool:
    return contributions.can_assign_courses is not None and contributions.can_assign_courses(user)
