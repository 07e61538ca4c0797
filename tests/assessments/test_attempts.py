"""Taking an attempt: drawing, resuming, autosave, the server's clock, the attempts limit, evidence."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from assessments.models import Attempt, AttemptQuestion, CompetencyResult
from assessments.services import (
    AlreadySubmitted,
    AssessmentRefused,
    TimeIsUp,
    attempt_save,
    attempt_start,
    attempt_submit,
    attempts_close_expired,
)
from profiles.models import LevelEvidence

from .conftest import all_right

pytestmark = pytest.mark.django_db


def rows_of(attempt):
    return list(AttemptQuestion.objects.filter(attempt=attempt).select_related("question"))


def test_start_stores_the_drawn_questions_and_option_order(page, alice, now):
    attempt = attempt_start(page=page, employee=alice, now=now)
    rows = rows_of(attempt)
    assert len(rows) == 4
    assert attempt.deadline == now + dt.timedelta(minutes=30)
    for row in rows:
        assert sorted(row.choice_order) == sorted(row.question.choices.values_list("pk", flat=True))


def test_coming_back_resumes_the_same_attempt_with_the_clock_still_running(page, alice, now):
    attempt = attempt_start(page=page, employee=alice, now=now)
    rows = rows_of(attempt)
    first = rows[0]
    attempt_save(
        attempt=attempt, employee=alice, responses={first.pk: {"choice": first.choice_order[0]}}, now=now
    )
    later = now + dt.timedelta(minutes=20)
    again = attempt_start(page=page, employee=alice, now=later)
    assert again.pk == attempt.pk
    assert again.remaining_seconds(later) == 10 * 60
    assert [r.choice_order for r in rows_of(again)] == [r.choice_order for r in rows]
    assert AttemptQuestion.objects.get(pk=first.pk).response == {"choice": first.choice_order[0]}


def test_shuffled_option_order_is_kept_on_resume(page, alice, now):
    page.shuffle_choices = True
    page.shuffle_questions = True
    page.save()
    import random

    attempt = attempt_start(page=page, employee=alice, now=now, rng=random.Random(4))
    before = [(r.question_id, r.choice_order) for r in rows_of(attempt)]
    again = attempt_start(page=page, employee=alice, now=now, rng=random.Random(99))
    assert [(r.question_id, r.choice_order) for r in rows_of(again)] == before


def test_submit_scores_per_competency_and_records_evidence_once(page, alice, now, competencies):
    attempt = attempt_start(page=page, employee=alice, now=now)
    rows = rows_of(attempt)
    responses = all_right(rows)
    # Get the A2.1 short-text question wrong: A2.1 scores 50%, A1.1 100%.
    short = next(r for r in rows if r.question.kind == "short_text")
    responses[short.pk] = {"text": "antivirus"}
    submitted = attempt_submit(attempt=attempt, employee=alice, now=now, responses=responses)
    assert submitted.score_percent == Decimal("75.00")
    assert submitted.passed is True
    results = {r.competency.code: r for r in CompetencyResult.objects.filter(attempt=attempt)}
    assert (results["A1.1"].score_percent, results["A1.1"].level) == (Decimal("100.00"), 3)
    assert (results["A2.1"].score_percent, results["A2.1"].level) == (Decimal("50.00"), 2)
    evidence = LevelEvidence.objects.filter(employee=alice, source=LevelEvidence.Source.ASSESSMENT)
    assert sorted((e.competency.code, e.level) for e in evidence) == [("A1.1", 3), ("A2.1", 2)]
    assert all(e.source_object == attempt for e in evidence)
    assert all(e.observed_at == now for e in evidence)
    with pytest.raises(AlreadySubmitted):
        attempt_submit(attempt=attempt, employee=alice, now=now, responses=responses)
    assert evidence.count() == 2
    assert CompetencyResult.objects.filter(attempt=attempt).count() == 2


def test_a_score_below_every_band_records_no_evidence(page, alice, now):
    attempt = attempt_start(page=page, employee=alice, now=now)
    attempt_submit(attempt=attempt, employee=alice, now=now, responses={})
    assert Attempt.objects.get(pk=attempt.pk).score_percent == 0
    assert not LevelEvidence.objects.filter(employee=alice).exists()
    assert set(CompetencyResult.objects.filter(attempt=attempt).values_list("level", flat=True)) == {None}


def test_answers_after_the_deadline_are_refused_and_saved_answers_are_submitted(page, alice, now):
    attempt = attempt_start(page=page, employee=alice, now=now)
    rows = rows_of(attempt)
    responses = all_right(rows)
    first = rows[0]
    attempt_save(attempt=attempt, employee=alice, responses={first.pk: responses[first.pk]}, now=now)
    deadline = attempt.deadline
    with pytest.raises(TimeIsUp):
        attempt_save(attempt=attempt, employee=alice, responses=responses, now=deadline)
    late = attempt_submit(
        attempt=attempt, employee=alice, now=deadline + dt.timedelta(seconds=5), responses=responses
    )
    assert late.timed_out is True
    assert late.submitted_at == deadline
    assert late.score_percent == Decimal("25.00")  # only the answer saved in time counts
    assert AttemptQuestion.objects.filter(attempt=attempt, response__isnull=False).count() == 1


def test_answers_one_second_before_the_deadline_are_accepted(page, alice, now):
    attempt = attempt_start(page=page, employee=alice, now=now)
    responses = all_right(rows_of(attempt))
    done = attempt_submit(
        attempt=attempt, employee=alice, now=attempt.deadline - dt.timedelta(seconds=1), responses=responses
    )
    assert done.score_percent == 100
    assert done.timed_out is False


def test_close_expired_attempts_command_submits_what_was_saved(page, alice, bob, now, capsys):
    expired = attempt_start(page=page, employee=alice, now=now - dt.timedelta(hours=1))
    running = attempt_start(page=page, employee=bob, now=now)
    first = rows_of(expired)[0]
    attempt_save(
        attempt=expired,
        employee=alice,
        responses={first.pk: all_right([first])[first.pk]},
        now=now - dt.timedelta(minutes=50),
    )
    assert attempts_close_expired(now=now) == 1
    expired.refresh_from_db()
    running.refresh_from_db()
    assert (expired.status, expired.timed_out, expired.score_percent) == ("submitted", True, Decimal("25.00"))
    assert running.status == "in_progress"
    assert attempts_close_expired(now=now) == 0
    # The command uses the real clock, by which Bob's attempt of March 2026 has run out too.
    call_command("close_expired_attempts")
    assert "Closed 1" in capsys.readouterr().out
    running.refresh_from_db()
    assert running.status == "submitted" and running.timed_out


def test_an_expired_attempt_is_submitted_when_the_employee_comes_back(page, alice, now):
    attempt = attempt_start(page=page, employee=alice, now=now)
    new = attempt_start(page=page, employee=alice, now=now + dt.timedelta(hours=1))
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.timed_out
    assert new.number == 2


def test_attempts_limit(page, alice, now):
    for _ in range(2):
        attempt = attempt_start(page=page, employee=alice, now=now)
        attempt_submit(attempt=attempt, employee=alice, now=now, responses={})
    with pytest.raises(AssessmentRefused, match="all 2 attempts"):
        attempt_start(page=page, employee=alice, now=now)
    assert Attempt.objects.filter(employee=alice).count() == 2


def test_closed_window_refuses_to_start(page, alice, now):
    page.opens_at = now + dt.timedelta(days=1)
    page.save()
    with pytest.raises(AssessmentRefused, match="not open"):
        attempt_start(page=page, employee=alice, now=now)


def test_time_limit_never_runs_past_the_closing_time(page, alice, now):
    page.closes_at = now + dt.timedelta(minutes=10)
    page.save()
    attempt = attempt_start(page=page, employee=alice, now=now)
    assert attempt.deadline == page.closes_at


def test_answers_to_a_question_not_in_the_attempt_store_nothing(page, alice, now):
    attempt = attempt_start(page=page, employee=alice, now=now)
    rows = rows_of(attempt)
    with pytest.raises(AssessmentRefused):
        attempt_save(
            attempt=attempt,
            employee=alice,
            responses={rows[0].pk: {"choice": rows[0].choice_order[0]}, 999999: {"choice": 1}},
            now=now,
        )
    assert not AttemptQuestion.objects.filter(attempt=attempt, response__isnull=False).exists()


def test_someone_elses_attempt_is_refused(page, alice, bob, now):
    attempt = attempt_start(page=page, employee=alice, now=now)
    rows = rows_of(attempt)
    with pytest.raises(PermissionDenied):
        attempt_save(attempt=attempt, employee=bob, responses=all_right(rows), now=now)
    with pytest.raises(PermissionDenied):
        attempt_submit(attempt=attempt, employee=bob, now=now, responses=all_right(rows))
    attempt.refresh_from_db()
    assert attempt.status == "in_progress"
    assert not AttemptQuestion.objects.filter(attempt=attempt, response__isnull=False).exists()
