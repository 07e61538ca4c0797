"""Demo content for ``seed_demo`` (see profiles/demo_contract.py).

``seed_content`` builds the course catalogue: nine digital-literacy courses, each in Thai and in
English, mapped to OCSC 2561 areas and DigComp 2.2 competences. ``link_evidence`` creates the
completed enrolments behind the history's course evidence, then gives today's staff some
current assignments (mandatory courses, some overdue) and courses in progress.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from profiles.demo.build import DEMO_DOMAIN
from profiles.models import Competency, Employee, LevelEvidence
from skills_site.thai_calendar import bangkok_date

from .factories import home_page
from .models import CourseCataloguePage, CourseCompetency, CoursePage, Enrolment, LessonProgress
from .roles import course_authors_ensure
from .services import certificate_code_new

CONTENT = json.loads((Path(__file__).parent / "demo_content" / "courses.json").read_text(encoding="utf-8"))
CATALOGUE, COURSES = CONTENT["catalogue"], CONTENT["courses"]
OCSC = "OCSC-2561"
DIGCOMP = "DigComp-2.2"
CATALOGUE_SLUG = "courses"

# How each demo course is delivered and what it costs (baht), as a department would record them: the
# cyber-hygiene module is free, PDPA and leadership are bought from outside providers by the seat, and the
# classes are priced by the run (trainer, room and catering) plus materials per seat. The English version of
# a course is the same course: the same delivery and cost.
DELIVERY = {
    "cyber-hygiene": {"delivery_mode": "self_paced"},
    "pdpa": {"delivery_mode": "external", "cost_per_seat": 1_500, "learning_hours": 6},
    "spreadsheets-for-data": {"delivery_mode": "classroom", "cost_per_seat": 350, "cost_per_run": 48_000,
                              "seats_per_run": 30, "learning_hours": 12},
    "e-documents-signatures": {"delivery_mode": "online_class", "cost_per_run": 18_000, "seats_per_run": 50,
                               "learning_hours": 6},
    "cloud-collaboration": {"delivery_mode": "self_paced", "cost_per_seat": 300},
    "data-visualisation": {"delivery_mode": "classroom", "cost_per_seat": 500, "cost_per_run": 60_000,
                           "seats_per_run": 25, "learning_hours": 12},
    "ai-at-work": {"delivery_mode": "online_class", "cost_per_run": 25_000, "seats_per_run": 60,
                   "learning_hours": 6},
    "digital-service-design": {"delivery_mode": "classroom", "cost_per_seat": 800, "cost_per_run": 85_000,
                               "seats_per_run": 24, "learning_hours": 18},
    "digital-leadership": {"delivery_mode": "external", "cost_per_seat": 12_000, "learning_hours": 18},
}  # fmt: skip


def _lessons(lessons: list[dict]) -> list[dict]:
    data = []
    for lesson in lessons:
        title, minutes, html, tip = lesson["title"], lesson["minutes"], lesson["html"], lesson["tip"]
        content = [{"type": "text", "value": html, "id": str(uuid.uuid4())}]
        if tip:
            content.append(
                {
                    "type": "callout",
                    "value": {"kind": "tip", "text": f"<p>{tip}</p>"},
                    "id": str(uuid.uuid4()),
                }
            )
        data.append(
            {
                "type": "lesson",
                "id": str(uuid.uuid4()),
                "value": {"title": title, "minutes": minutes, "content": content},
            }
        )
    return data


def catalogue_ensure() -> CourseCataloguePage:
    catalogue = CourseCataloguePage.objects.filter(slug=CATALOGUE_SLUG).first()
    if catalogue is None:
        catalogue = CourseCataloguePage(
            title=CATALOGUE["th"]["title"], slug=CATALOGUE_SLUG, intro=CATALOGUE["th"]["intro"]
        )
        home_page().add_child(instance=catalogue)
        catalogue.save_revision().publish()
    return catalogue


@transaction.atomic
def seed_content(*, stdout: Callable[[str], None], rng: random.Random) -> None:
    """The catalogue and its courses; courses that already exist (by slug) are kept as they are."""
    catalogue = catalogue_ensure()
    competencies = {
        (c.framework.code, c.code): c
        for c in Competency.objects.select_related("framework").filter(framework__code__in=[OCSC, DIGCOMP])
    }
    created = 0
    pages: dict[str, CoursePage] = {}
    for spec in COURSES:
        for language in ("th", "en"):
            slug = spec["slug"] if language == "th" else f"{spec['slug']}-en"
            existing = CoursePage.objects.child_of(catalogue).filter(slug=slug).first()
            if existing is not None:
                pages[slug] = existing
                continue
            text = spec[language]
            course = CoursePage(
                title=text["title"],
                slug=slug,
                summary=text["summary"],
                keywords=text["keywords"],
                level=spec["level"],
                language=language,
                duration_minutes=sum(lesson["minutes"] for lesson in text["lessons"]),
                is_mandatory=spec["mandatory"],
                lessons=_lessons(text["lessons"]),
                **DELIVERY.get(spec["slug"], {}),
            )
            mapping = [(OCSC, code, level) for code, level in spec["ocsc"]] + [
                (DIGCOMP, code, level) for code, level in spec["digcomp"]
            ]
            course.competencies = [
                CourseCompetency(competency=competencies[(fw, code)], level=level, sort_order=order)
                for order, (fw, code, level) in enumerate(mapping)
                if (fw, code) in competencies
            ]
            catalogue.add_child(instance=course)
            pages[slug] = course
            created += 1
    # Prerequisites point at the course in the same language; then publish with a revision.
    for spec in COURSES:
        for suffix in ("", "-en"):
            course = pages[spec["slug"] + suffix]
            wanted = [pages[p + suffix] for p in spec["prerequisites"]]
            if wanted and not course.prerequisites.exists():
                course.prerequisites.set(wanted)
            if course.live_revision_id is None:
                course.save_revision().publish()
    authors = course_authors_ensure()
    # The demo's HR officer records the courses' delivery and cost, so may edit course pages too.
    authors.user_set.add(*get_user_model().objects.filter(email=f"hr@{DEMO_DOMAIN}"))
    stdout(f"Courses: catalogue with {len(pages)} courses ({created} new), in Thai and English")


def _course_choices() -> dict[int, list[tuple[CoursePage, int]]]:
    """For each competency, the live courses that develop it, with the level they evidence."""
    choices: dict[int, list[tuple[CoursePage, int]]] = defaultdict(list)
    for item in (
        CourseCompetency.objects.select_related("course").filter(course__live=True).order_by("course_id")
    ):
        choices[item.competency_id].append((item.course, item.level))
    return choices


def _family(course: CoursePage) -> str:
    return course.slug.removesuffix("-en")


def link_evidence(events: list, *, rng: random.Random, stdout: Callable[[str], None]) -> None:
    """Completed enrolments behind COURSE events, then today's assignments and courses in progress.

    A course event is tied to a course that develops its competency, preferring the course whose
    evidenced level is nearest the event's (Thai before English); each person takes a course, in
    either language, at most once. A linked event then carries the level its course evidences,
    as a real completion records. Events that no free course fits are left alone.
    """
    choices = _course_choices()
    levels = {
        (course.pk, competency_id): level
        for competency_id, items in choices.items()
        for course, level in items
    }
    if not choices:
        stdout("Courses: no courses to link evidence to")
        return
    content_type = ContentType.objects.get_for_model(Enrolment)
    taken: dict[tuple[int, str], Enrolment] = {}  # (employee, course family) -> enrolment
    new: list[Enrolment] = []
    linked_events: list[tuple] = []
    for event in sorted(
        (e for e in events if e.source == LevelEvidence.Source.COURSE), key=lambda e: e.observed_at
    ):
        candidates = choices.get(event.competency_id, [])
        thai_first = sorted(
            candidates, key=lambda c: (abs(c[1] - event.level), c[0].language != "th", rng.random())
        )
        for course, _level in thai_first:
            enrolment = taken.get((event.employee_id, _family(course)))
            if enrolment is not None:
                if enrolment.course_id == course.pk and enrolment.completed_at == event.observed_at:
                    linked_events.append((event, enrolment, course))
                    break
                continue
            started = event.observed_at - dt.timedelta(days=rng.randint(1, 21), hours=rng.randint(0, 6))
            enrolment = Enrolment(
                employee_id=event.employee_id,
                course=course,
                enrolled_at=started,
                started_at=started + dt.timedelta(hours=1),
                completed_at=event.observed_at,
                progress_percent=100,
                certificate_code=certificate_code_new(),
                resume_lesson_id=course.lesson_ids[-1] if course.lesson_ids else "",
            )
            taken[(event.employee_id, _family(course))] = enrolment
            new.append(enrolment)
            linked_events.append((event, enrolment, course))
            break
    Enrolment.objects.bulk_create(new, batch_size=1000)
    progress = [
        LessonProgress(enrolment=e, lesson_id=lesson_id, completed_at=e.completed_at)
        for e in new
        for lesson_id in e.course.lesson_ids
    ]
    LessonProgress.objects.bulk_create(progress, batch_size=2000)
    adjusted = 0
    for event, enrolment, course in linked_events:
        event.source_content_type_id = content_type.id
        event.source_object_id = str(enrolment.pk)
        event.source_label = course.title
        # The evidence says what completing this course evidences, as a real completion would.
        evidenced = levels[(course.pk, event.competency_id)]
        if event.level != evidenced:
            event.level = evidenced
            adjusted += 1
    unlinked = sum(1 for e in events if e.source == LevelEvidence.Source.COURSE) - len(linked_events)
    stdout(
        f"Courses: {len(new)} completed enrolments behind {len(linked_events)} course evidence records"
        + (f" ({unlinked} left without a course)" if unlinked else "")
        + (f"; {adjusted} set to the level their course evidences" if adjusted else "")
    )
    _current_learning(taken, rng=rng, stdout=stdout)


def _current_learning(taken: dict, *, rng: random.Random, stdout) -> None:
    """Mandatory courses assigned this fiscal year (some overdue) and courses people are taking now."""
    now = timezone.now()
    today = bangkok_date(now)
    mandatory = list(CoursePage.objects.live().filter(is_mandatory=True, language="th"))
    others = list(CoursePage.objects.live().filter(is_mandatory=False, language="th"))
    hr = Employee.objects.filter(user__groups__name="HR").select_related("user").first()
    assigned_by = hr.user if hr else None
    new: list[Enrolment] = []
    progress: list[LessonProgress] = []
    for employee in Employee.objects.filter(is_active=True).only("id", "user_id"):
        for course in mandatory:
            if (employee.id, _family(course)) in taken or rng.random() < 0.35:
                continue
            due = today + dt.timedelta(days=rng.choice((-20, -5, 3, 6, 14, 30, 45, 60)))
            assigned_at = now - dt.timedelta(days=rng.randint(20, 50))
            done_lessons = rng.choice((0, 0, 1, 2)) if course.lesson_ids else 0
            enrolment = Enrolment(
                employee=employee,
                course=course,
                enrolled_at=assigned_at,
                assigned_at=assigned_at,
                assigned_by=assigned_by,
                due_date=due,
                is_mandatory=True,
                started_at=assigned_at + dt.timedelta(days=2) if done_lessons else None,
                progress_percent=round(100 * done_lessons / len(course.lesson_ids))
                if course.lesson_ids
                else 0,
                resume_lesson_id=course.lesson_ids[done_lessons] if done_lessons else "",
            )
            new.append(enrolment)
            taken[(employee.id, _family(course))] = enrolment
        if others and rng.random() < 0.15:
            course = rng.choice(others)
            if (employee.id, _family(course)) not in taken and len(course.lesson_ids) > 1:
                started = now - dt.timedelta(days=rng.randint(1, 30))
                done_lessons = rng.randint(1, len(course.lesson_ids) - 1)
                enrolment = Enrolment(
                    employee=employee,
                    course=course,
                    enrolled_at=started,
                    started_at=started,
                    progress_percent=round(100 * done_lessons / len(course.lesson_ids)),
                    resume_lesson_id=course.lesson_ids[done_lessons],
                )
                new.append(enrolment)
                taken[(employee.id, _family(course))] = enrolment
    Enrolment.objects.bulk_create(new, batch_size=1000)
    for enrolment in new:
        done = enrolment.course.lesson_ids[
            : round(enrolment.progress_percent * len(enrolment.course.lesson_ids) / 100)
        ]
        progress += [
            LessonProgress(enrolment=enrolment, lesson_id=lesson_id, completed_at=enrolment.started_at or now)
            for lesson_id in done
        ]
    LessonProgress.objects.bulk_create(progress, batch_size=2000)
    overdue = sum(1 for e in new if e.due_date and e.due_date < today)
    stdout(f"Courses: {len(new)} current enrolments ({overdue} overdue assignments)")
