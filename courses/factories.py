"""Factories for course pages and enrolments, used by the tests and the demo."""

from __future__ import annotations

import uuid

import factory
from django.utils import timezone
from wagtail.models import Page

from profiles.factories import EmployeeFactory
from skills_site.models import HomePage

from . import models


def home_page() -> Page:
    """The site's root page that catalogues live under."""
    return HomePage.objects.first() or Page.objects.get(depth=1)


def lesson_data(title: str, *blocks, minutes: int | None = 10) -> dict:
    """Raw StreamField data for one lesson; ``blocks`` are (type, value) pairs, HTML for text."""
    content = [{"type": kind, "value": value, "id": str(uuid.uuid4())} for kind, value in blocks] or [
        {"type": "text", "value": f"<p>{title}</p>", "id": str(uuid.uuid4())}
    ]
    return {
        "type": "lesson",
        "id": str(uuid.uuid4()),
        "value": {"title": title, "minutes": minutes, "content": content},
    }


def catalogue_create(*, title: str = "หลักสูตร", slug: str = "courses", parent: Page | None = None):
    parent = parent or home_page()
    catalogue = models.CourseCataloguePage(title=title, slug=slug)
    parent.add_child(instance=catalogue)
    return catalogue


_course_counter = iter(range(1, 1_000_000))


def course_create(
    *,
    catalogue,
    title: str | None = None,
    lessons: int | list[dict] = 3,
    competencies: list[tuple] = (),
    live: bool = True,
    **fields,
) -> models.CoursePage:
    """A course with ``lessons`` simple lessons (or the given lesson data) and competencies."""
    number = next(_course_counter)
    title = title or f"Course {number}"
    fields.setdefault("summary", f"Summary of {title}")
    fields.setdefault("slug", f"course-{number}")
    if isinstance(lessons, int):
        lessons = [lesson_data(f"Lesson {i}") for i in range(1, lessons + 1)]
    course = models.CoursePage(title=title, lessons=lessons, live=live, **fields)
    catalogue.add_child(instance=course)
    for order, (competency, level) in enumerate(competencies):
        models.CourseCompetency.objects.create(
            course=course, competency=competency, level=level, sort_order=order
        )
    return course


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Enrolment

    employee = factory.SubFactory(EmployeeFactory)
    course = None  # pass a course page
    enrolled_at = factory.LazyFunction(timezone.now)
