"""What courses contribute to the capability reports (registered in ``CoursesConfig.ready``)."""

from __future__ import annotations

import pandas as pd
from django.db.models import QuerySet

from profiles.models import Employee
from profiles.reports.contributions import ENROLMENT_COLUMNS

from .models import CourseCompetency, Enrolment


def enrolments_of(staff: QuerySet[Employee]) -> pd.DataFrame:
    """When each of these people enrolled, and completed (None while open)."""
    rows = Enrolment.objects.filter(employee__in=staff).values_list("enrolled_at", "completed_at")
    return pd.DataFrame(list(rows), columns=ENROLMENT_COLUMNS)


def course_offers(
    wanted: dict[int, int], *, exclude_completed_by: Employee | None = None, per_competency: int = 3
) -> dict[int, list[CourseCompetency]]:
    """Live courses whose completion evidences at least the wanted level, per competency id.

    ``wanted`` maps a competency id to the level to reach. One query (two with an exclusion).
    """
    links = (
        CourseCompetency.objects.filter(competency_id__in=list(wanted), course__live=True)
        .select_related("course")
        .order_by("competency_id", "-level", "course__title")
    )
    done: set[int] = set()
    if exclude_completed_by is not None:
        done = set(
            Enrolment.objects.filter(employee=exclude_completed_by, completed_at__isnull=False).values_list(
                "course_id", flat=True
            )
        )
    result: dict[int, list[CourseCompetency]] = {}
    for link in links:
        if link.level < wanted[link.competency_id] or link.course_id in done:
            continue
        bucket = result.setdefault(link.competency_id, [])
        if len(bucket) < per_competency:
            bucket.append(link)
    return result
