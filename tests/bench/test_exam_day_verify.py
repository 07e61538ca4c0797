"""The exam-day load test's database check: it must notice a lost, duplicated or mis-scored
submission, or it would prove nothing on the day it matters."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from assessments.models import AssessmentPage, Attempt, AttemptQuestion
from assessments.services import attempt_start, attempt_submit
from profiles.models import Employee

exam_day_data = pytest.importorskip("bench.exam_day_data")


def take(employee: Employee, page: AssessmentPage, right: int) -> dict:
    """Submit the test answering the first ``right`` questions right; the outcome the client would log."""
    now = timezone.now()
    attempt = attempt_start(page=page, employee=employee, now=now)
    responses, per_competency = {}, {}
    rows = AttemptQuestion.objects.filter(attempt=attempt).select_related("question__competency")
    for index, row in enumerate(rows.order_by("position")):
        choices = {c.pk: c for c in row.question.choices.all()}
        good = index < right
        choice = next(pk for pk in row.choice_order if (choices[pk].weight > 0) == good)
        responses[row.pk] = {"choice": choice}
        tally = per_competency.setdefault(row.question.competency.code, [0, 0])
        tally[0] += int(good)
        tally[1] += 1
    attempt_submit(attempt=attempt, employee=employee, now=now, responses=responses)
    return {
        "user": employee.user.email,
        "cohort": "normal",
        "page": page.slug,
        "submit_confirmed": True,
        "per_competency": per_competency,
    }


def verify(tmp_path, outcomes: list[dict]) -> dict:
    path = tmp_path / "outcomes.jsonl"
    path.write_text("".join(json.dumps(o) + "\n" for o in outcomes))
    return exam_day_data.verify(path)


@pytest.fixture
def exam(db):
    exam_day_data.seed(employees=4)
    page = AssessmentPage.objects.get(slug=exam_day_data.MAIN_SLUG)
    staff = list(Employee.objects.filter(user__username__startswith="bench").order_by("employee_number"))
    return page, staff


def test_correct_submissions_are_stored_once_with_their_score_and_evidence(exam, tmp_path):
    page, staff = exam
    assert page.time_limit_minutes == 30 and page.draw_rules.count() == 3
    outcomes = [take(employee, page, right) for employee, right in zip(staff[:3], (0, 17, 30), strict=True)]
    checked = verify(tmp_path, outcomes)
    assert checked["stored"] == 3
    assert checked["submitted_attempts"] == 3
    assert checked["assessment_evidence"] == 9  # three competencies, each with a level (band from 0 %)
    assert [checked[k] for k in ("lost", "duplicated", "wrong_score", "wrong_results", "wrong_evidence")] == [
        0,
        0,
        0,
        0,
        0,
    ]
    assert Attempt.objects.get(employee=staff[2]).score_percent == 100


def test_a_lost_duplicated_or_misscored_submission_is_reported(exam, tmp_path):
    page, staff = exam
    good = take(staff[0], page, 20)
    misscored = take(staff[1], page, 10)
    misscored["per_competency"] = {
        code: [total, total] for code, (_c, total) in misscored["per_competency"].items()
    }
    duplicated = take(staff[2], page, 5)
    first = Attempt.objects.get(employee=staff[2])
    Attempt.objects.create(
        page=page, employee=staff[2], number=2, status=Attempt.Status.SUBMITTED, started_at=first.started_at
    )
    lost = {"user": staff[3].user.email, "cohort": "normal", "page": page.slug, "submit_confirmed": True}
    checked = verify(tmp_path, [good, misscored, duplicated, lost])
    assert checked["lost"] == 1
    assert checked["duplicated"] == 1
    assert checked["wrong_score"] == 1
    assert checked["wrong_results"] == 1  # its levels do not match what all-right answers earn
    assert len(checked["problems"]) >= 4


def test_a_user_who_never_saw_the_submission_accepted_is_not_counted_as_lost(exam, tmp_path):
    page, staff = exam
    attempt_start(page=page, employee=staff[0], now=timezone.now())
    unfinished = {
        "user": staff[0].user.email,
        "cohort": "normal",
        "page": page.slug,
        "submit_confirmed": False,
    }
    checked = verify(tmp_path, [unfinished])
    assert (checked["lost"], checked["not_completed"], checked["left_in_progress"]) == (0, 1, 1)
