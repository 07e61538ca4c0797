"""Completion records the course's evidence exactly once, even when two completions race."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from courses.models import Enrolment
from courses.services import course_complete
from profiles.models import LevelEvidence


@pytest.mark.django_db
def test_completion_records_evidence_once_when_repeated(alice, excel_course):
    enrolment = Enrolment.objects.create(employee=alice, course=excel_course)
    assert course_complete(enrolment=enrolment) is True
    code = enrolment.certificate_code
    assert course_complete(enrolment=Enrolment.objects.get(pk=enrolment.pk)) is False
    enrolment.refresh_from_db()
    assert enrolment.certificate_code == code
    assert LevelEvidence.objects.filter(employee=alice, source=LevelEvidence.Source.COURSE).count() == 2


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite serialises every write, so there is no race to test; CI runs this on PostgreSQL.",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_completions_record_evidence_once(alice, excel_course):
    enrolment = Enrolment.objects.create(employee=alice, course=excel_course)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def complete():
        try:
            stale = Enrolment.objects.get(pk=enrolment.pk)  # both see it not yet completed
            barrier.wait(timeout=10)
            results.append(course_complete(enrolment=stale, now=timezone.now()))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=complete) for _i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(results) == [False, True]
    evidence = LevelEvidence.objects.filter(employee=alice, source=LevelEvidence.Source.COURSE)
    assert sorted(evidence.values_list("competency__code", flat=True)) == ["A1.1", "A1.2"]
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None and enrolment.certificate_code
