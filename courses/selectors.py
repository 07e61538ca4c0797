"""Reads for the catalogue, course pages, My learning and certificates. Query counts are fixed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone, translation
from wagtail.models import Page

from profiles.models import CompetencyArea, Employee, LevelEvidence, OrgUnit
from profiles.organisation.access import is_hr, managed_unit_ids
from profiles.organisation.selectors import employee_for_user, subtree, unit_tree
from skills_site.thai_calendar import bangkok_date

from .records import CourseCompetency, Enrolment, LessonProgress

THAI_CHARACTERS = re.compile(r"[\u0E00-\u0E7F]")

LENGTH_BUCKETS = {
    # name: (more than, at most) minutes
    "short": (0, 60),
    "medium": (60, 240),
    "long": (240, None),
}


def _today() -> dt.date:
    return bangkok_date(timezone.now())


def competencies_prefetch() -> Prefetch:
    return Prefetch(
        "competencies",
        queryset=CourseCompetency.objects.select_related("competency__area__framework").order_by(
            "sort_order", "id"
        ),
    )


def course_search_ids(queryset: QuerySet[Page], query: str) -> list[int]:
    """Ids of the courses matching ``query``, best first.

    Wagtail's full-text search finds words; Thai is written without spaces between words, so a
    Thai word inside a longer run of Thai text is not a word to the index. For those queries the
    title, summary and keywords are also matched as substrings, after the ranked results.
    """
    query = query.strip()
    if not query:
        return list(queryset.values_list("id", flat=True))
    ranked = [page.pk for page in queryset.search(query)]
    if THAI_CHARACTERS.search(query) or not ranked:
        substring = Q()
        for word in query.split():
            substring &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(keywords__icontains=word)
        extra = queryset.filter(substring).exclude(id__in=ranked).values_list("id", flat=True)
        ranked += list(extra)
    return ranked


@dataclass
class CourseCard:
    course: Page
    url: str
    areas: list[CompetencyArea]
    competencies: list[CourseCompetency]
    enrolment: Enrolment | None

    @property
    def status(self) -> str | None:
        return self.enrolment.status if self.enrolment else None


def area_label(area: CompetencyArea) -> str:
    """Short enough for a badge: "OCSC DLit"; numbered areas keep their name ("DigComp 4 Safety")."""
    framework = area.framework.code.split("-")[0]
    if area.code.isdigit():
        return f"{framework} {area.code} {area.name}"
    return f"{framework} {area.code}"


def course_areas(course: Page) -> list[CompetencyArea]:
    """Distinct areas of the (prefetched) competencies, in order, each with a ``label``."""
    seen: dict[int, CompetencyArea] = {}
    for item in course.competencies.all():
        area = item.competency.area
        if area.pk not in seen:
            area.label = area_label(area)
            seen[area.pk] = area
    return list(seen.values())


def catalogue_courses(*, courses: QuerySet[Page], filters: dict) -> QuerySet[Page]:
    """The given courses (the catalogue page's live courses) with every filter applied; all combine."""
    if filters.get("area"):
        courses = courses.filter(
            id__in=CourseCompetency.objects.filter(competency__area=filters["area"]).values("course_id")
        )
    if filters.get("level"):
        courses = courses.filter(level=filters["level"])
    if filters.get("language"):
        courses = courses.filter(language=filters["language"])
    if filters.get("mandatory"):
        courses = courses.filter(is_mandatory=True)
    if filters.get("length") in LENGTH_BUCKETS:
        above, at_most = LENGTH_BUCKETS[filters["length"]]
        courses = courses.filter(duration_minutes__gt=above)
        if at_most is not None:
            courses = courses.filter(duration_minutes__lte=at_most)
    return courses


def catalogue_cards(
    *, courses: QuerySet[Page], employee: Employee | None, filters: dict, request=None
) -> list[CourseCard]:
    """Cards for the catalogue's ``courses`` (a queryset of course pages) matching ``filters``."""
    courses = catalogue_courses(courses=courses, filters=filters)
    query = (filters.get("q") or "").strip()
    if query:
        ids = course_search_ids(courses, query)
        found = {
            c.pk: c
            for c in courses.model.objects.filter(id__in=ids).prefetch_related(competencies_prefetch())
        }
        ordered = [found[pk] for pk in ids if pk in found]
    else:
        # Mandatory courses first, then those in the reader's language, then by title.
        language = (translation.get_language() or "th")[:2]
        ordered = sorted(
            courses.prefetch_related(competencies_prefetch()),
            key=lambda c: (not c.is_mandatory, c.language != language, c.title),
        )
    enrolments = {}
    if employee is not None and ordered:
        enrolments = {
            e.course_id: e
            for e in Enrolment.objects.filter(employee=employee, course_id__in=[c.pk for c in ordered])
        }
    return [
        CourseCard(
            course=course,
            url=course.get_url(request),
            areas=course_areas(course),
            competencies=list(course.competencies.all()),
            enrolment=enrolments.get(course.pk),
        )
        for course in ordered
    ]


@dataclass
class LessonRow:
    number: int
    id: str
    title: str
    minutes: int | None
    done: bool
    url: str


def _lesson_rows(course: Page, done: set[str]) -> list[LessonRow]:
    base = course.url
    return [
        LessonRow(
            number=number,
            id=child.id,
            title=child.value["title"],
            minutes=child.value.get("minutes"),
            done=child.id in done,
            url=base + course.reverse_subpage("lesson", kwargs={"number": number}),
        )
        for number, child in enumerate(course.lessons, start=1)
    ]


def _enrolment_of(course: Page, employee: Employee | None) -> Enrolment | None:
    if employee is None:
        return None
    return Enrolment.objects.filter(employee=employee, course=course).first()


def _done_lessons(enrolment: Enrolment | None) -> set[str]:
    if enrolment is None:
        return set()
    return set(LessonProgress.objects.filter(enrolment=enrolment).values_list("lesson_id", flat=True))


def can_assign(user) -> bool:
    return bool(user.is_authenticated and (is_hr(user) or managed_unit_ids(user)))


def published_prerequisites(course: Page) -> list[Page]:
    """The courses this one builds on that are published, in the catalogue's order (as stored)."""
    return list(type(course).objects.live().filter(required_by=course.pk).order_by("path"))


def prerequisites_missing(
    course: Page, employee_ids: list[int], *, prerequisites: list[Page] | None = None
) -> dict[int, list[Page]]:
    """The course's published prerequisites each person has not completed, keyed by employee id.

    People with nothing missing are left out. Unpublished prerequisites are not asked for: the
    learner could neither see nor take them. ``prerequisites``: the course's, when already read.
    """
    if prerequisites is None:
        prerequisites = published_prerequisites(course)
    if not prerequisites or not employee_ids:
        return {}
    done: set[tuple[int, int]] = set(
        Enrolment.objects.filter(
            employee_id__in=employee_ids, course__in=prerequisites, completed_at__isnull=False
        ).values_list("employee_id", "course_id")
    )
    missing = {}
    for employee_id in employee_ids:
        lacking = [p for p in prerequisites if (employee_id, p.pk) not in done]
        if lacking:
            missing[employee_id] = lacking
    return missing


def course_page_state(*, course: Page, user) -> dict:
    """What the course page shows the reader: their enrolment, lessons, prerequisites, evidence."""
    employee = employee_for_user(user)
    enrolment = _enrolment_of(course, employee)
    lessons = _lesson_rows(course, _done_lessons(enrolment))
    resume = None
    if enrolment is not None and lessons:
        resume = next((row for row in lessons if row.id == enrolment.resume_lesson_id), None)
        if resume is None or (resume.done and not enrolment.is_completed):
            resume = next((row for row in lessons if not row.done), lessons[0])
    prerequisites = published_prerequisites(course)
    if employee is None:
        lacking = {p.pk for p in prerequisites}
    else:
        missing = prerequisites_missing(course, [employee.pk], prerequisites=prerequisites)
        lacking = {p.pk for p in missing.get(employee.pk, [])}
    return {
        "employee": employee,
        "enrolment": enrolment,
        "lesson_rows": lessons,
        "resume": resume,
        "prerequisites": [(p, p.pk not in lacking) for p in prerequisites],
        "prerequisites_met": not lacking,
        "course_competencies": list(course.competencies.select_related("competency__area__framework")),
        "evidence": enrolment_evidence([enrolment]).get(enrolment.pk, []) if enrolment else [],
        "can_assign": can_assign(user),
    }


def lesson_state(*, course: Page, user, number: int) -> dict:
    employee = employee_for_user(user)
    enrolment = _enrolment_of(course, employee)
    lessons = _lesson_rows(course, _done_lessons(enrolment))
    current = lessons[number - 1]
    return {
        "employee": employee,
        "enrolment": enrolment,
        "lesson_rows": lessons,
        "current": current,
        "previous": lessons[number - 2] if number > 1 else None,
        "next": lessons[number] if number < len(lessons) else None,
        "is_last": number == len(lessons),
    }


def enrolment_evidence(enrolments: list[Enrolment]) -> dict[int, list[LevelEvidence]]:
    """The course evidence each enrolment gave, in one query."""
    done = [e for e in enrolments if e is not None and e.completed_at]
    if not done:
        return {}
    content_type = ContentType.objects.get_for_model(Enrolment)
    found: dict[int, list[LevelEvidence]] = {}
    for evidence in (
        LevelEvidence.objects.filter(
            employee_id__in={e.employee_id for e in done},  # the learners' own records: their index
            source=LevelEvidence.Source.COURSE,
            source_content_type=content_type,
            source_object_id__in=[str(e.pk) for e in done],
            corrects__isnull=True,
        )
        .select_related("competency__framework")
        .order_by("competency__framework__code", "competency__sort_order")
    ):
        found.setdefault(int(evidence.source_object_id), []).append(evidence)
    return found


@dataclass
class MyLearning:
    overdue: list[Enrolment] = field(default_factory=list)
    assigned: list[Enrolment] = field(default_factory=list)
    in_progress: list[Enrolment] = field(default_factory=list)
    completed: list[Enrolment] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.overdue or self.assigned or self.in_progress or self.completed)


def my_learning(*, employee: Employee, request=None, today: dt.date | None = None) -> MyLearning:
    """The employee's enrolments by state, each with its course URL and the evidence it gave."""
    today = today or _today()
    enrolments = list(
        Enrolment.objects.filter(employee=employee)
        .select_related("course", "assigned_by__employee")
        .order_by("due_date", "-enrolled_at", "id")
    )
    evidence = enrolment_evidence(enrolments)
    result = MyLearning()
    for enrolment in enrolments:
        enrolment.url = enrolment.course.get_url(request)
        enrolment.evidence = evidence.get(enrolment.pk, [])
        if enrolment.completed_at:
            result.completed.append(enrolment)
        elif enrolment.is_overdue(today):
            result.overdue.append(enrolment)
        elif enrolment.assigned_at and not enrolment.started_at:
            result.assigned.append(enrolment)
        else:
            result.in_progress.append(enrolment)
    result.completed.sort(key=lambda e: e.completed_at, reverse=True)
    return result


def overdue_in_team(
    team: QuerySet[Employee], *, today: dt.date, limit: int = 5
) -> tuple[int, list[Enrolment]]:
    """How many courses the team's active staff are late with, and the longest overdue: two queries."""
    overdue = Enrolment.objects.filter(
        Enrolment.overdue_on(today), employee__in=team.filter(is_active=True).values("id")
    )
    first = list(overdue.select_related("employee", "course").order_by("due_date", "id")[:limit])
    return overdue.count(), first


def assignable_employees(user) -> QuerySet[Employee]:
    """Whom this user may assign courses to.

    HR: anyone active. A manager: the staff of the units they head, not themselves.
    """
    active = Employee.objects.filter(is_active=True).select_related("org_unit")
    if is_hr(user):
        return active
    unit_ids = managed_unit_ids(user)
    if not unit_ids:
        return Employee.objects.none()
    return active.filter(org_unit_id__in=unit_ids).exclude(user=user)


@dataclass(frozen=True)
class AssignScope:
    """Whom a user may assign a course to, and the units they may pick as a whole."""

    people: list[Employee]
    units: list[OrgUnit]  # each with ``depth``, for an indented list
    subtrees: dict[int, frozenset[int]]  # a choosable unit: itself and every unit below it

    def members_of(self, unit_id: int) -> list[Employee]:
        """Everyone assignable in the unit and the units below it (a manager is not their own member)."""
        ids = self.subtrees.get(unit_id, frozenset())
        return [e for e in self.people if e.org_unit_id in ids]


def assign_scope(user) -> AssignScope:
    """People in order of unit then name, and the units that have someone to assign (fixed queries)."""
    people = list(assignable_employees(user).order_by("org_unit__code", "first_name_th", "pk"))
    children = unit_tree()
    allowed = None if is_hr(user) else managed_unit_ids(user)
    with_people = {e.org_unit_id for e in people}
    units, subtrees = [], {}
    candidates = OrgUnit.objects.filter(is_active=True).order_by("code")
    if allowed is not None:
        candidates = candidates.filter(id__in=allowed)
    parents = {child: parent for parent, kids in children.items() for child in kids}
    for unit in candidates:
        below = frozenset(subtree(children, unit.pk))
        if allowed is not None:
            below &= allowed
        if not below & with_people:
            continue
        depth, current = 0, parents.get(unit.pk)
        while current is not None and (allowed is None or current in allowed):
            depth, current = depth + 1, parents.get(current)
        unit.depth = depth
        units.append(unit)
        subtrees[unit.pk] = below
    if units:
        shallowest = min(u.depth for u in units)
        for unit in units:
            unit.depth -= shallowest
    return AssignScope(people=people, units=units, subtrees=subtrees)


def normalise_certificate_code(raw: str) -> str:
    letters = re.sub(r"[^0-9A-Za-z]", "", raw or "").upper()
    if len(letters) != 12:
        return ""
    return f"{letters[0:4]}-{letters[4:8]}-{letters[8:12]}"


def certificate_by_code(raw_code: str) -> Enrolment | None:
    code = normalise_certificate_code(raw_code)
    if not code:
        return None
    return (
        Enrolment.objects.select_related("employee", "course")
        .filter(certificate_code=code, completed_at__isnull=False)
        .first()
    )
