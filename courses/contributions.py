"""What courses contribute to the capability reports (registered in ``CoursesConfig.ready``)."""

from __future__ import annotations

import pandas as pd
from django.db.models import QuerySet

from profiles.models import Employee
from profiles.prior_learning.contributions import CourseMatch, match_key
from profiles.reports.contributions import ENROLMENT_COLUMNS

from .models import CourseCompetency, CoursePage, Enrolment


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


def outside_course_lookup(keys: set[str]) -> dict[str, CourseMatch]:
    """Our live courses an outside completion names, by slug (its code) or title, with the levels a
    completion evidences: two queries."""
    courses = {}
    for course in CoursePage.objects.live().only("id", "title", "slug"):
        for key in (match_key(course.slug), match_key(course.title)):
            if key in keys:
                courses[key] = course
    levels: dict[int, list[tuple[int, int]]] = {}
    for link in CourseCompetency.objects.filter(course_id__in={c.pk for c in courses.values()}).order_by(
        "sort_order"
    ):
        levels.setdefault(link.course_id, []).append((link.competency_id, link.level))
    return {
        key: CourseMatch(label=course.title, levels=levels.get(course.pk, []))
        for key, course in courses.items()
    }
