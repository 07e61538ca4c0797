"""What courses contribute to the capability reports (registered in ``CoursesConfig.ready``)."""

from __future__ import annotations

import pandas as pd
from django.db.models import Count, Max, Q, QuerySet

from profiles.models import Employee
from profiles.prior_learning.contributions import CourseMatch, match_key
from profiles.reports.contributions import ENROLMENT_COLUMNS
from profiles.training.contributions import (
    COURSE_COLUMNS,
    COURSE_LEVEL_COLUMNS,
    PREREQUISITE_COLUMNS,
    AssignOutcome,
    CourseCatalogue,
)
from profiles.training.contributions import ENROLMENT_COLUMNS as TRAINING_ENROLMENT_COLUMNS

from .models import RUN_BASED_MODES, CourseCompetency, CoursePage, Enrolment
from .services import course_assign


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


# --- Training plans (registered with profiles.training.contributions) ---------------------------------


def training_catalogue() -> CourseCatalogue:
    """Every live course with its delivery, cost, learning hours, competencies and prerequisites."""
    courses = list(
        CoursePage.objects.live()
        .order_by("path")
        .values_list(
            "id", "title", "language", "delivery_mode", "cost_per_seat", "cost_per_run", "seats_per_run",
            "learning_hours", "duration_minutes",
        )
    )  # fmt: skip
    rows = []
    for course_id, title, language, mode, per_seat, per_run, seats, hours, minutes in courses:
        run_based = mode in RUN_BASED_MODES
        rows.append(
            (
                course_id, title, language, mode, run_based, float(per_seat or 0),
                float(per_run or 0) if run_based else 0.0, int(seats or 0) if run_based else None,
                float(hours) if hours is not None else round(minutes / 60, 1),
            )
        )  # fmt: skip
    live = [row[0] for row in rows]
    levels = list(
        CourseCompetency.objects.filter(course_id__in=live).values_list("course_id", "competency_id", "level")
    )
    through = CoursePage.prerequisites.through
    prerequisites = list(
        through.objects.filter(from_coursepage_id__in=live, to_coursepage_id__in=live).values_list(
            "from_coursepage_id", "to_coursepage_id"
        )
    )
    return CourseCatalogue(
        courses=pd.DataFrame(rows, columns=COURSE_COLUMNS),
        levels=pd.DataFrame(levels, columns=COURSE_LEVEL_COLUMNS),
        prerequisites=pd.DataFrame(prerequisites, columns=PREREQUISITE_COLUMNS),
    )


def training_enrolments(staff: QuerySet[Employee] | None) -> pd.DataFrame:
    """One row per enrolment (of ``staff``, or of everyone): employee, course, completion (None: open)."""
    queryset = Enrolment.objects.all() if staff is None else Enrolment.objects.filter(employee__in=staff)
    rows = queryset.values_list("employee_id", "course_id", "completed_at")
    return pd.DataFrame(list(rows), columns=TRAINING_ENROLMENT_COLUMNS)


def training_version() -> str:
    """Changes whenever a course is published or unpublished, or an enrolment is made, changed or
    completed."""
    pages = CoursePage.objects.aggregate(
        count=Count("id", filter=Q(live=True)),
        published=Max("last_published_at"),
        changed=Max("latest_revision_created_at"),
    )
    enrolments = Enrolment.objects.aggregate(
        count=Count("id"), last=Max("id"), assigned=Max("assigned_at"), completed=Max("completed_at"),
        completions=Count("completed_at"),
    )  # fmt: skip
    return repr((sorted(pages.items()), sorted(enrolments.items())))


def training_assign(
    *, course_id: int, employees: list[Employee], assigned_by, due_date, now
) -> AssignOutcome:
    """A plan's seats in one course as assignments, through the assignment service (idempotent)."""
    course = CoursePage.objects.live().get(pk=course_id)
    result = course_assign(
        course=course,
        employees=employees,
        assigned_by=assigned_by,
        due_date=due_date,
        mandatory=False,
        now=now,
    )
    return AssignOutcome(
        created=len(result.created),
        updated=len(result.updated),
        unchanged=len(result.unchanged),
        already_completed=len(result.already_completed),
    )
