"""Writes for training plans: turning a plan (or a unit head's share of it) into course assignments.

Through the courses app's assignment service (``contributions.assign_course``): assigning again never
duplicates an enrolment, a completed course is left alone, and everything is in the audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from ..hr_data.audit import audit_log
from ..organisation.models import Employee
from ..reports.models import CapabilityPlan
from .contributions import assign_course
from .selectors import TrainingPlan

ASSIGNED_KEY = "profiles:training:assigned:{fingerprint}"
ASSIGNED_SECONDS = 24 * 60 * 60


@dataclass
class AssignmentLine:
    course_id: int
    title: str
    due_date: dt.date
    employee_ids: list[int]


@dataclass
class AssignmentPreview:
    """What assigning would do: one line per course and due date."""

    lines: list[AssignmentLine]
    fingerprint: str
    people: int

    @property
    def seats(self) -> int:
        return sum(len(line.employee_ids) for line in self.lines)


@dataclass
class AssignmentReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    already_completed: int = 0
    courses: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "already_completed": self.already_completed,
            "courses": self.courses,
        }


class PlanChanged(Exception):
    """The plan is no longer the one the dry run showed; nothing was assigned."""


def assignment_preview(training: TrainingPlan, *, unit_ids: set[int] | None, exclude_employee_id: int | None):
    """The plan's assignments within ``unit_ids`` (None: everyone), without the assigner themselves."""
    people = training.summary.people
    if unit_ids is not None:
        people = people[people["org_unit_id"].isin(list(unit_ids))]
    if exclude_employee_id is not None:
        people = people[people["employee_id"] != exclude_employee_id]
    titles = dict(
        zip(training.needs.courses["course_id"].astype(int), training.needs.courses["title"], strict=True)
    )
    grouped: dict[tuple[int, dt.date], list[int]] = defaultdict(list)
    for employee_id, course_id, due in zip(
        people["employee_id"], people["course_id"], people["due_date"], strict=True
    ):
        grouped[(int(course_id), due)].append(int(employee_id))
    lines = [
        AssignmentLine(course_id, titles.get(course_id, str(course_id)), due, sorted(ids))
        for (course_id, due), ids in sorted(
            grouped.items(), key=lambda item: (item[0][1], titles.get(item[0][0], ""))
        )
    ]
    digest = hashlib.sha256(
        repr(
            (
                training.needs.plan_id,
                training.fiscal_year,
                training.ceiling,
                [(line.course_id, line.due_date.isoformat(), line.employee_ids) for line in lines],
            )
        ).encode()
    ).hexdigest()[:32]
    return AssignmentPreview(lines=lines, fingerprint=digest, people=int(people["employee_id"].nunique()))


def already_assigned(fingerprint: str) -> dict | None:
    """The outcome of assigning this very dry run, if it has been assigned (a double click, a reload)."""
    return cache.get(ASSIGNED_KEY.format(fingerprint=fingerprint))


def training_plan_assign(
    *,
    plan: CapabilityPlan,
    training: TrainingPlan,
    preview: AssignmentPreview,
    expected_fingerprint: str,
    user,
    scope_label: str,
    now: dt.datetime | None = None,
) -> AssignmentReport:
    """Assign the dry run the user saw, all of it or nothing; refused if the plan has changed since."""
    if preview.fingerprint != expected_fingerprint:
        raise PlanChanged
    now = now or timezone.now()
    report = AssignmentReport()
    employees = {
        e.pk: e
        for e in Employee.objects.filter(
            id__in=sorted({i for line in preview.lines for i in line.employee_ids})
        )
    }
    with transaction.atomic():
        for line in preview.lines:
            outcome = assign_course(
                course_id=line.course_id,
                employees=[employees[i] for i in line.employee_ids if i in employees],
                assigned_by=user,
                due_date=line.due_date,
                now=now,
            )
            report.created += outcome.created
            report.updated += outcome.updated
            report.unchanged += outcome.unchanged
            report.already_completed += outcome.already_completed
            report.courses.append(
                {
                    "course_id": line.course_id,
                    "due_date": line.due_date.isoformat(),
                    "people": len(line.employee_ids),
                    "created": outcome.created,
                }
            )
        audit_log(
            instance=plan,
            action="profiles.training_plan_assign",
            user=user,
            data={
                "fiscal_year": training.fiscal_year,
                "ceiling": training.ceiling,
                "scope": scope_label,
                "fingerprint": preview.fingerprint,
                **report.as_dict(),
            },
        )
        summary = {**report.as_dict(), "at": now.isoformat(), "by": user.get_username()}
        transaction.on_commit(
            lambda: cache.set(ASSIGNED_KEY.format(fingerprint=preview.fingerprint), summary, ASSIGNED_SECONDS)
        )
    return report
