"""Writes for learning: enrol, assign, progress, completion (which records evidence), reminders."""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from smtplib import SMTPException

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Page

from profiles.competencies.services import evidence_record
from profiles.models import Employee, LevelEvidence, OrgUnit
from skills_site.thai_calendar import bangkok_date, format_be_date

from .records import Enrolment, LessonProgress, ReminderSent, is_course_page
from .selectors import prerequisites_missing

CERTIFICATE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed


class EnrolmentRefused(ValidationError):
    """An enrolment the learner may not make; the message says why."""


def certificate_code_new() -> str:
    raw = "".join(secrets.choice(CERTIFICATE_ALPHABET) for _i in range(12))
    return f"{raw[0:4]}-{raw[4:8]}-{raw[8:12]}"


def _check_course_open(course) -> Page:
    if not is_course_page(course) or not course.live:
        raise EnrolmentRefused(_("This course is not open for enrolment."))
    return course


def enrolment_create(
    *, employee: Employee, course: Page, now: dt.datetime | None = None
) -> tuple[Enrolment, bool]:
    """Self-enrolment; a second click returns the existing enrolment. Prerequisites come first."""
    _check_course_open(course)
    existing = Enrolment.objects.filter(employee=employee, course=course).first()
    if existing is not None:
        return existing, False
    if prerequisites_missing(course, [employee.pk]):
        raise EnrolmentRefused(_("Complete the prerequisite courses first."))
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                employee=employee, course=course, enrolled_at=now or timezone.now()
            )
    except IntegrityError:
        # A double click: the other request enrolled first.
        return Enrolment.objects.get(employee=employee, course=course), False
    return enrolment, True


@dataclass
class AssignmentResult:
    created: list[Employee] = field(default_factory=list)
    updated: list[Employee] = field(default_factory=list)
    unchanged: list[Employee] = field(default_factory=list)
    already_completed: list[Employee] = field(default_factory=list)
    # People assigned the course (new, updated or already) who have not completed all of its
    # published prerequisites: employee id -> those prerequisites.
    missing_prerequisites: dict[int, list[Page]] = field(default_factory=dict)
    # With ``with_prerequisites``: each missing prerequisite assigned as well, and how it went.
    prerequisites_assigned: list[tuple[Page, AssignmentResult]] = field(default_factory=list)


@transaction.atomic
def course_assign(
    *,
    course: Page,
    employees: list[Employee],
    assigned_by,
    due_date: dt.date | None,
    mandatory: bool,
    now: dt.datetime | None = None,
    with_prerequisites: bool = False,
    _visited: set[int] | None = None,
) -> AssignmentResult:
    """Assign a course to people already checked to be in the assigner's scope.

    Assigning again updates the due date and flag of the open enrolment; it never creates a
    second one, and leaves completed enrolments alone. The result names who has not completed
    the course's prerequisites; ``with_prerequisites`` assigns those prerequisites to them as
    well (with the same due date and flag, and their own prerequisites in turn), so that the
    learner can take the courses in order.
    """
    _check_course_open(course)
    now = now or timezone.now()
    result = AssignmentResult()
    people = {e.pk: e for e in employees}
    existing = {
        e.employee_id: e
        for e in Enrolment.objects.select_for_update().filter(course=course, employee_id__in=list(people))
    }
    new = []
    for employee_id, employee in people.items():
        enrolment = existing.get(employee_id)
        if enrolment is None:
            new.append(
                Enrolment(
                    employee=employee,
                    course=course,
                    enrolled_at=now,
                    assigned_by=assigned_by,
                    assigned_at=now,
                    due_date=due_date,
                    is_mandatory=mandatory,
                )
            )
            result.created.append(employee)
        elif enrolment.completed_at is not None:
            result.already_completed.append(employee)
        elif enrolment.due_date == due_date and enrolment.is_mandatory == mandatory and enrolment.assigned_at:
            result.unchanged.append(employee)
        else:
            enrolment.due_date = due_date
            enrolment.is_mandatory = mandatory
            enrolment.assigned_by = assigned_by
            enrolment.assigned_at = now
            enrolment.save(update_fields=["due_date", "is_mandatory", "assigned_by", "assigned_at"])
            result.updated.append(employee)
    # ignore_conflicts: an enrolment made by a concurrent request in the meantime stands.
    Enrolment.objects.bulk_create(new, ignore_conflicts=True)
    assigned = [e.pk for e in (*result.created, *result.updated, *result.unchanged)]
    result.missing_prerequisites = prerequisites_missing(course, assigned)
    if with_prerequisites and result.missing_prerequisites:
        visited = _visited if _visited is not None else set()
        visited.add(course.pk)
        lacking_by_course: dict[int, list[Employee]] = defaultdict(list)
        courses = {}
        for employee_id, lacking in result.missing_prerequisites.items():
            for prerequisite in lacking:
                courses[prerequisite.pk] = prerequisite
                lacking_by_course[prerequisite.pk].append(people[employee_id])
        for course_id, lacking_people in lacking_by_course.items():
            if course_id in visited:
                continue  # prerequisites that loop back: each course is assigned once
            prerequisite = courses[course_id]
            visited.add(course_id)
            result.prerequisites_assigned.append(
                (
                    prerequisite,
                    course_assign(
                        course=prerequisite,
                        employees=lacking_people,
                        assigned_by=assigned_by,
                        due_date=due_date,
                        mandatory=mandatory,
                        now=now,
                        with_prerequisites=True,
                        _visited=visited,
                    ),
                )
            )
    return result


def enrolment_resume_set(*, enrolment: Enrolment, lesson_id: str, now: dt.datetime | None = None) -> None:
    """Remember the lesson the learner is on; the first lesson opened starts the course."""
    Enrolment.objects.filter(pk=enrolment.pk).update(
        resume_lesson_id=lesson_id, started_at=Coalesce("started_at", now or timezone.now())
    )


@dataclass
class LessonResult:
    progress_percent: int
    course_completed: bool
    next_number: int | None


@transaction.atomic
def lesson_complete(*, enrolment: Enrolment, lesson_id: str, now: dt.datetime | None = None) -> LessonResult:
    """Mark one lesson done; completing the last open lesson completes the course."""
    now = now or timezone.now()
    course = enrolment.course
    lesson_ids = course.lesson_ids
    if lesson_id not in lesson_ids:
        raise ValidationError(_("This lesson is not part of the course."))
    try:
        with transaction.atomic():
            LessonProgress.objects.create(enrolment=enrolment, lesson_id=lesson_id, completed_at=now)
    except IntegrityError:
        pass  # marked complete twice: the first mark stands
    done = set(LessonProgress.objects.filter(enrolment=enrolment).values_list("lesson_id", flat=True))
    done_here = [lid for lid in lesson_ids if lid in done]
    percent = round(100 * len(done_here) / len(lesson_ids))
    position = lesson_ids.index(lesson_id)
    following = [i for i, lid in enumerate(lesson_ids) if lid not in done and i > position]
    remaining = [i for i, lid in enumerate(lesson_ids) if lid not in done]
    next_index = (following or remaining or [None])[0]
    if enrolment.completed_at is not None:
        percent = 100  # a lesson added after completion does not undo it
    Enrolment.objects.filter(pk=enrolment.pk).update(
        progress_percent=percent,
        started_at=Coalesce("started_at", now),
        resume_lesson_id=lesson_ids[next_index] if next_index is not None else lesson_id,
    )
    completed = False
    if len(done_here) == len(lesson_ids):
        completed = course_complete(enrolment=enrolment, now=now)
    return LessonResult(
        progress_percent=percent,
        course_completed=completed,
        next_number=next_index + 1 if next_index is not None else None,
    )


@transaction.atomic
def course_complete(*, enrolment: Enrolment, now: dt.datetime | None = None, recorded_by=None) -> bool:
    """Mark the enrolment completed and record the course's level evidence, exactly once.

    The enrolment row is locked first, so two completions arriving together are serialised:
    the second finds the course already completed and records nothing. Returns whether this
    call completed the course.
    """
    now = now or timezone.now()
    locked = Enrolment.objects.select_for_update().select_related("employee", "course").get(pk=enrolment.pk)
    if locked.completed_at is not None:
        return False
    course = locked.course
    locked.completed_at = now
    locked.progress_percent = 100
    locked.started_at = locked.started_at or now
    locked.certificate_code = certificate_code_new()
    locked.save(update_fields=["completed_at", "progress_percent", "started_at", "certificate_code"])
    for item in course.competencies.select_related("competency"):
        evidence_record(
            employee=locked.employee,
            competency=item.competency,
            level=item.level,
            source=LevelEvidence.Source.COURSE,
            observed_at=now,
            recorded_by=recorded_by,
            source_object=locked,
            source_label=course.title,
        )
    enrolment.completed_at = locked.completed_at
    enrolment.certificate_code = locked.certificate_code
    enrolment.progress_percent = 100
    return True


# Reminders --------------------------------------------------------------------------------


@dataclass
class ReminderReport:
    learner_emails: list[tuple[str, int]] = field(default_factory=list)  # (address, enrolments)
    manager_emails: list[tuple[str, int]] = field(default_factory=list)
    skipped_without_address: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (address, error)


def _unit_managers() -> dict[int, list[Employee]]:
    """For each unit, the heads above it, nearest first (one query for units, one for heads)."""
    units = {u.id: u for u in OrgUnit.objects.filter(is_active=True).only("id", "parent_id", "head_id")}
    heads = {
        e.id: e
        for e in Employee.objects.select_related("user").filter(
            id__in=[u.head_id for u in units.values() if u.head_id], is_active=True
        )
    }
    chains: dict[int, list[Employee]] = {}
    for unit_id in units:
        chain, node, seen = [], units.get(unit_id), set()
        while node is not None and node.id not in seen:
            seen.add(node.id)
            if node.head_id in heads:
                chain.append(heads[node.head_id])
            node = units.get(node.parent_id)
        chains[unit_id] = chain
    return chains


def manager_of(employee: Employee, chains: dict[int, list[Employee]]) -> Employee | None:
    """The nearest unit head above the employee who is not the employee."""
    for head in chains.get(employee.org_unit_id, []):
        if head.pk != employee.pk:
            return head
    return None


def _reminder_line(enrolment: Enrolment, today: dt.date) -> str:
    due = format_be_date(enrolment.due_date, "th")
    if enrolment.due_date < today:
        state = _("overdue since %(date)s") % {"date": due}
    else:
        state = _("due %(date)s") % {"date": due}
    return f"- {enrolment.course.title} ({state}, {enrolment.progress_percent}%)"


def reminders_send(*, today: dt.date | None = None, within_days: int = 7) -> ReminderReport:
    """E-mail learners about assignments due within ``within_days`` or overdue, and their managers a digest.

    Every enrolment mentioned is recorded per recipient and day, so a second run the same day
    sends nothing new (and a run after a new assignment sends only that one).
    """
    today = today or bangkok_date(timezone.now())
    report = ReminderReport()
    due = list(
        Enrolment.objects.select_related("employee__user", "course")
        .filter(
            completed_at__isnull=True,
            due_date__isnull=False,
            due_date__lte=today + dt.timedelta(days=within_days),
            employee__is_active=True,
            course__live=True,
        )
        .order_by("due_date", "id")
    )
    if not due:
        return report
    sent_today = set(
        ReminderSent.objects.filter(sent_on=today, enrolment__in=due).values_list(
            "enrolment_id", "kind", "recipient_id"
        )
    )
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        by_learner: dict[int, list[Enrolment]] = defaultdict(list)
        for enrolment in due:
            if (enrolment.id, ReminderSent.Kind.LEARNER, enrolment.employee_id) not in sent_today:
                by_learner[enrolment.employee_id].append(enrolment)
        for items in by_learner.values():
            learner = items[0].employee
            address = learner.user.email
            if not address:
                report.skipped_without_address.append(learner.full_name_th)
                continue
            body = "\n".join(
                [
                    _("Dear %(name)s,") % {"name": learner.full_name_th},
                    "",
                    _("These courses assigned to you are due soon or overdue:"),
                    *[_reminder_line(e, today) for e in items],
                    "",
                    _("Continue on your My learning page: %(url)s") % {"url": base_url + "/learning/"},
                ]
            )
            sent = _send_and_record(
                subject=_("Learning reminder: %(count)s course(s) due") % {"count": len(items)},
                body=body,
                address=address,
                kind=ReminderSent.Kind.LEARNER,
                recipient=learner,
                enrolments=items,
                today=today,
                report=report,
            )
            if sent:
                report.learner_emails.append((address, len(items)))

        chains = _unit_managers()
        by_manager: dict[int, tuple[Employee, list[Enrolment]]] = {}
        for enrolment in due:
            manager = manager_of(enrolment.employee, chains)
            if manager is None or (enrolment.id, ReminderSent.Kind.MANAGER, manager.id) in sent_today:
                continue
            by_manager.setdefault(manager.id, (manager, []))[1].append(enrolment)
        for manager, items in by_manager.values():
            address = manager.user.email
            if not address:
                report.skipped_without_address.append(manager.full_name_th)
                continue
            lines = [f"{e.employee.full_name_th}: {_reminder_line(e, today)[2:]}" for e in items]
            body = "\n".join(
                [
                    _("Dear %(name)s,") % {"name": manager.full_name_th},
                    "",
                    _("Courses assigned to your team that are due soon or overdue:"),
                    *[f"- {line}" for line in lines],
                ]
            )
            sent = _send_and_record(
                subject=_("Team learning digest: %(count)s assignment(s) due") % {"count": len(items)},
                body=body,
                address=address,
                kind=ReminderSent.Kind.MANAGER,
                recipient=manager,
                enrolments=items,
                today=today,
                report=report,
            )
            if sent:
                report.manager_emails.append((address, len(items)))
    return report


def _send_and_record(*, subject, body, address, kind, recipient, enrolments, today, report) -> bool:
    """Record, then send, in one transaction: a failed send records nothing and is retried next run."""
    try:
        with transaction.atomic():
            ReminderSent.objects.bulk_create(
                [
                    ReminderSent(enrolment=e, kind=kind, recipient=recipient, sent_on=today)
                    for e in enrolments
                ],
                ignore_conflicts=True,
            )
            send_mail(subject, body, None, [address])
    except (OSError, SMTPException) as exc:
        report.failed.append((address, str(exc)))
        return False
    return True
