"""Two submits of one attempt at the same moment record one submission (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from assessments.models import Attempt, CompetencyResult
from assessments.services import AlreadySubmitted, attempt_start, attempt_submit
from profiles.models import LevelEvidence

from .conftest import all_right


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_submits_record_one_attempt(page, alice, now):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises all writes and has no row locks; CI runs this on PostgreSQL")
    attempt = attempt_start(page=page, employee=alice, now=now)
    responses = all_right(list(attempt.questions.select_related("question")))
    barrier = threading.Barrier(2)
    outcomes = []

    def submit():
        try:
            barrier.wait(timeout=10)
            attempt_submit(attempt=attempt, employee=alice, now=now, responses=responses)
            outcomes.append("submitted")
        except AlreadySubmitted:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "submitted"]
    assert Attempt.objects.get(pk=attempt.pk).status == "submitted"
    assert CompetencyResult.objects.filter(attempt=attempt).count() == 2
    assert LevelEvidence.objects.filter(employee=alice).count() == 2
