"""The attempt as the employee sees it: no answer leaks, forged input refused, results shown."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import AssessmentPage, Attempt, AttemptQuestion
from assessments.services import attempt_start
from profiles.models import LevelEvidence

pytestmark = pytest.mark.django_db
FETCH = {"X-Requested-With": "fetch"}

SECRETS = ["SECRET-FEEDBACK-A", "SECRET-GENERAL-FEEDBACK", "เยี่ยม", "firewall", "ไฟร์วอลล์", "weight", "100.0"]


def login(client, employee_or_user):
    user = getattr(employee_or_user, "user", employee_or_user)
    client.force_login(user)
    return client


def started(client, page, employee):
    login(client, employee)
    response = client.post(reverse("assessments:start", args=[page.pk]))
    attempt = Attempt.objects.get(page=page, employee=employee, status="in_progress")
    assert response.url == reverse("assessments:attempt", args=[attempt.pk])
    return attempt


def form_answers(attempt, right=True):
    """What the browser would post: option positions, never ids."""
    data = {}
    for row in AttemptQuestion.objects.filter(attempt=attempt).select_related("question"):
        choices = {c.pk: c for c in row.question.choices.all()}
        shown = [choices[pk] for pk in row.choice_order]
        field = f"answer-{row.question_id}"
        if row.question.kind in ("single", "true_false"):
            data[field] = str(next(i for i, c in enumerate(shown) if (c.weight == 100) == right))
        elif row.question.kind == "multiple":
            data[field] = [str(i) for i, c in enumerate(shown) if (c.weight > 0) == right]
        else:
            data[field] = "Firewall" if right else "nope"
    return data


def test_attempt_page_and_autosave_json_reveal_no_answers_or_feedback(client, page, alice):
    attempt = started(client, page, alice)
    html = client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    for secret in SECRETS:
        assert secret not in html, secret
    # Option values are positions, not ids, so the first-written (often right) option is not given away.
    import re

    values = {int(v) for v in re.findall(r'name="answer-[0-9-]+" value="([0-9]+)"', html)}
    assert values == {0, 1, 2}
    response = client.post(
        reverse("assessments:autosave", args=[attempt.pk]), headers=FETCH, data=form_answers(attempt)
    )
    assert response.status_code == 200
    body = response.content.decode()
    for secret in SECRETS:
        assert secret not in body
    assert set(json.loads(body)) == {"saved", "remaining_seconds"}
    # The saved answers come back on the page when the employee returns.
    html = client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    assert "checked" in html and 'value="Firewall"' in html


def test_submit_shows_scores_per_competency_and_review_after_submission(client, page, alice):
    attempt = started(client, page, alice)
    response = client.post(
        reverse("assessments:submit", args=[attempt.pk]), form_answers(attempt), follow=True
    )
    html = response.content.decode()
    assert "100.00%" in html
    assert "A1.1" in html and "A2.1" in html
    assert "SECRET-GENERAL-FEEDBACK" in html  # review policy: immediately, with answers
    assert LevelEvidence.objects.filter(employee=alice, source="assessment").count() == 2


def test_review_waits_until_the_assessment_closes(client, page, alice):
    page.review_after = AssessmentPage.ReviewAfter.AFTER_CLOSE
    page.closes_at = timezone.now() + dt.timedelta(days=3)
    page.save()
    attempt = started(client, page, alice)
    html = client.post(
        reverse("assessments:submit", args=[attempt.pk]), form_answers(attempt, right=False), follow=True
    ).content.decode()
    for secret in SECRETS[:2]:
        assert secret not in html
    assert "review is not available" in html or "ยังไม่เปิด" in html or "ไม่พร้อม" in html


def test_double_submit_records_one_attempt(client, page, alice):
    attempt = started(client, page, alice)
    url = reverse("assessments:submit", args=[attempt.pk])
    client.post(url, form_answers(attempt))
    second = client.post(url, form_answers(attempt, right=False), follow=True)
    assert second.status_code == 200
    attempt.refresh_from_db()
    assert attempt.score_percent == 100
    assert LevelEvidence.objects.filter(employee=alice).count() == 2


@pytest.mark.parametrize(
    "forge",
    [
        lambda data, attempt: {**data, "answer-999999": "0"},  # forged question id
        lambda data, attempt: {**data, "answer-abc": "0"},
        lambda data, attempt: {
            **data,
            next(k for k in data if isinstance(data[k], str) and data[k].isdigit()): "57",
        },  # an option that was never offered
        lambda data, attempt: {**data, next(k for k in data if not isinstance(data[k], list)): "x" * 501},
    ],
    ids=["unknown-question", "malformed-question", "option-not-offered", "over-long"],
)
def test_forged_or_oversized_answers_are_refused_and_nothing_is_stored(client, page, alice, forge):
    attempt = started(client, page, alice)
    data = forge(form_answers(attempt), attempt)
    response = client.post(reverse("assessments:autosave", args=[attempt.pk]), headers=FETCH, data=data)
    assert response.status_code == 400
    assert json.loads(response.content)["error"]
    response = client.post(reverse("assessments:submit", args=[attempt.pk]), data, follow=True)
    attempt.refresh_from_db()
    assert attempt.status == "in_progress"
    assert not AttemptQuestion.objects.filter(attempt=attempt, response__isnull=False).exists()
    assert not LevelEvidence.objects.exists()


@pytest.mark.parametrize("url_name", ["attempt", "autosave", "submit", "result"])
def test_someone_elses_attempt_is_forbidden(client, page, alice, bob, url_name):
    attempt = attempt_start(page=page, employee=alice, now=timezone.now())
    login(client, bob)
    url = reverse(f"assessments:{url_name}", args=[attempt.pk])
    response = (
        client.post(url, form_answers(attempt), headers=FETCH)
        if url_name in ("autosave", "submit")
        else client.get(url)
    )
    assert response.status_code == 403
    attempt.refresh_from_db()
    assert attempt.status == "in_progress"
    assert not AttemptQuestion.objects.filter(attempt=attempt, response__isnull=False).exists()


def test_an_expired_attempt_opened_again_is_submitted(client, page, alice):
    attempt = attempt_start(page=page, employee=alice, now=timezone.now() - dt.timedelta(hours=2))
    login(client, alice)
    response = client.get(reverse("assessments:attempt", args=[attempt.pk]))
    assert response.url == reverse("assessments:result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.timed_out


def test_assessment_page_and_hub_render(client, page, alice, django_assert_max_num_queries):
    login(client, alice)
    html = client.get(page.url).content.decode()
    assert "Placement test" in html and reverse("assessments:start", args=[page.pk]) in html
    with django_assert_max_num_queries(20):
        response = client.get(reverse("assessments:home"))
    assert "Placement test" in response.content.decode()


def test_save_button_without_script_saves_and_returns_to_the_page(client, page, alice):
    attempt = started(client, page, alice)
    response = client.post(reverse("assessments:autosave", args=[attempt.pk]), form_answers(attempt))
    assert response.url == reverse("assessments:attempt", args=[attempt.pk])
    assert AttemptQuestion.objects.filter(attempt=attempt, response__isnull=False).count() == 4


def test_the_evidence_appears_on_the_employees_profile(client, page, alice):
    attempt = started(client, page, alice)
    client.post(reverse("assessments:submit", args=[attempt.pk]), form_answers(attempt))
    html = client.get(reverse("profiles:my_profile")).content.decode()
    assert "Placement test #1" in html  # the evidence's reference names the attempt


def test_the_attempt_reads_in_english_when_the_employee_switches(client, page, alice):
    attempt = started(client, page, alice)
    client.cookies["skills_language"] = "en"
    html = client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    assert "One" in html and "Right" in html and "ข้อหนึ่ง" not in html
    client.cookies["skills_language"] = "th"
    html = client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    assert "ข้อหนึ่ง" in html


def test_an_option_removed_during_the_attempt_keeps_the_other_options_in_place(client, page, alice):
    attempt = started(client, page, alice)
    row = AttemptQuestion.objects.select_related("question").get(attempt=attempt, question__kind="single")
    removed, kept = row.choice_order[0], row.choice_order[1]
    row.question.choices.filter(pk=removed).delete()
    html = client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    assert f'name="answer-{row.question_id}" value="0"' not in html
    client.post(
        reverse("assessments:autosave", args=[attempt.pk]),
        headers=FETCH,
        data={f"answer-{row.question_id}": "1"},
    )
    row.refresh_from_db()
    assert row.response == {"choice": kept}
