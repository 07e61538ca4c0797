"""The personal-data download follows an assessment's review policy for question-by-question
details, and still gives the attempt, its dates, its scores and the evidence it recorded."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import AssessmentPage
from assessments.services import attempt_start, attempt_submit
from profiles.models import LevelEvidence
from tests.assessments.conftest import all_right

pytestmark = pytest.mark.django_db


def _submitted(page, employee, now):
    attempt = attempt_start(page=page, employee=employee, now=now)
    rows = list(attempt.questions.select_related("question"))
    attempt_submit(attempt=attempt, employee=employee, now=now, responses=all_right(rows))
    attempt.refresh_from_db()
    return attempt


def _download(client, user, file_format="json"):
    client.force_login(user)
    client.cookies["skills_language"] = "en"
    response = client.get(reverse("profiles:my_data_download", args=[file_format]))
    assert response.status_code == 200
    return response.content


def test_review_never_withholds_each_question_but_keeps_the_attempt_scores_and_evidence(
    client, page, alice, now
):
    page.review_after = AssessmentPage.ReviewAfter.NEVER
    page.save_revision().publish()
    attempt = _submitted(page, alice, now)
    data = json.loads(_download(client, alice.user))
    (row,) = data["assessments.Attempt"]
    assert row["id"] == attempt.pk and row["started_at"] and row["submitted_at"]
    assert float(row["score_percent"]) == 100.0 and row["passed"] is True
    assert "Withheld" in row["question_details"]
    assert "assessments.AttemptQuestion" not in data  # no response, option order or per-question score
    assert {r["competency_id"] for r in data["assessments.CompetencyResult"]} == set(
        page.competencies.values_list("id", flat=True)
    )
    evidence = LevelEvidence.objects.filter(employee=alice, source="assessment")
    assert evidence.exists() and {r["id"] for r in data["profiles.LevelEvidence"]} >= set(
        evidence.values_list("id", flat=True)
    )
    csv_text = _download(client, alice.user, "csv").decode("utf-8-sig")
    assert "assessments.AttemptQuestion" not in csv_text and "assessments.Attempt," in csv_text


def test_review_open_gives_each_question(client, page, alice, now):
    attempt = _submitted(page, alice, now)  # the page's policy: review immediately
    data = json.loads(_download(client, alice.user))
    questions = data["assessments.AttemptQuestion"]
    assert len(questions) == 4 and all(q["attempt_id"] == attempt.pk for q in questions)
    assert all(q["response"] is not None and q["score"] is not None for q in questions)
    assert "Included" in data["assessments.Attempt"][0]["question_details"]


def test_review_after_close_gives_the_questions_once_the_assessment_has_closed(client, page, alice, now):
    page.review_after = AssessmentPage.ReviewAfter.AFTER_CLOSE
    page.closes_at = timezone.now() + dt.timedelta(days=30)  # the download asks about today
    page.save_revision().publish()
    _submitted(page, alice, now)
    assert "assessments.AttemptQuestion" not in json.loads(_download(client, alice.user))
    AssessmentPage.objects.filter(pk=page.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    assert len(json.loads(_download(client, alice.user))["assessments.AttemptQuestion"]) == 4


def test_one_policy_per_assessment(client, page, alice, now, competencies, category):
    """Two assessments, one never reviewed: only that one's questions are withheld."""
    from assessments.factories import assessment_page_create

    hidden = assessment_page_create(
        title="Hidden", slug="hidden", competencies=[competencies["A1.1"]], draw=[(category, 2)],
        bands=[(50, 2)], review_after=AssessmentPage.ReviewAfter.NEVER,
    )  # fmt: skip
    shown_attempt = _submitted(page, alice, now)
    _submitted(hidden, alice, now)
    data = json.loads(_download(client, alice.user))
    assert len(data["assessments.Attempt"]) == 2
    assert {q["attempt_id"] for q in data["assessments.AttemptQuestion"]} == {shown_attempt.pk}
