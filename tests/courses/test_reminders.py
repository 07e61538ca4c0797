"""send_learning_reminders: who gets what, and a second run the same day sends nothing new."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from courses.models import Enrolment
from skills_site.thai_calendar import bangkok_date


def run(days=7):
    out = StringIO()
    call_command("send_learning_reminders", "--days", str(days), stdout=out)
    return out.getvalue()


@pytest.fixture
def today():
    return bangkok_date(timezone.now())


@pytest.mark.django_db
def test_reminders_to_learner_and_manager_digest_once_a_day(
    alice, bob, carol, excel_course, cyber_course, english_course, today
):
    now = timezone.now()
    Enrolment.objects.create(
        employee=alice, course=excel_course, assigned_at=now, due_date=today + dt.timedelta(days=3)
    )
    Enrolment.objects.create(
        employee=alice, course=cyber_course, assigned_at=now, due_date=today - dt.timedelta(days=2)
    )
    # Not reminded: due later than the window, or already completed.
    Enrolment.objects.create(
        employee=carol, course=excel_course, assigned_at=now, due_date=today + dt.timedelta(days=30)
    )
    Enrolment.objects.create(
        employee=carol,
        course=cyber_course,
        assigned_at=now,
        due_date=today - dt.timedelta(days=1),
        completed_at=now,
    )

    output = run()
    assert "learner reminder to alice@example.go.th: 2 course(s)" in output
    assert "manager digest to bob@example.go.th: 2 assignment(s)" in output
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.go.th", "bob@example.go.th"]
    learner_mail = next(m for m in mail.outbox if m.to == ["alice@example.go.th"])
    assert excel_course.title in learner_mail.body and cyber_course.title in learner_mail.body
    digest = next(m for m in mail.outbox if m.to == ["bob@example.go.th"])
    assert "อลิส ใจดี" in digest.body

    mail.outbox.clear()
    assert "Sent 0 learner reminder(s) and 0 manager digest(s)." in run()
    assert mail.outbox == []

    # A new assignment the same day: only that one is sent.
    Enrolment.objects.create(employee=alice, course=english_course, assigned_at=now, due_date=today)
    output = run()
    assert "learner reminder to alice@example.go.th: 1 course(s)" in output
    assert len(mail.outbox) == 2 and english_course.title in mail.outbox[0].body
    assert excel_course.title not in mail.outbox[0].body


@pytest.mark.django_db
def test_a_manager_is_reminded_about_their_own_assignment_by_the_unit_above(
    bob, org, excel_course, today, academic
):
    from profiles.factories import EmployeeFactory, UserFactory

    director = EmployeeFactory(
        user=UserFactory(username="dir", email="director@example.go.th"),
        org_unit=org["bureau"],
        personnel_group=academic,
    )
    org["bureau"].head = director
    org["bureau"].save()
    Enrolment.objects.create(employee=bob, course=excel_course, assigned_at=timezone.now(), due_date=today)
    output = run()
    assert "manager digest to director@example.go.th: 1 assignment(s)" in output


@pytest.mark.django_db
def test_negative_days_is_refused():
    with pytest.raises(CommandError):
        run(days=-1)


@pytest.mark.django_db
def test_a_failed_send_is_not_recorded_and_is_retried(alice, excel_course, today, monkeypatch):
    from smtplib import SMTPException

    from courses import services
    from courses.models import ReminderSent

    Enrolment.objects.create(employee=alice, course=excel_course, assigned_at=timezone.now(), due_date=today)

    def broken(*args, **kwargs):
        raise SMTPException("mail server down")

    monkeypatch.setattr(services, "send_mail", broken)
    assert "Sent 0 learner reminder(s)" in run()
    assert not ReminderSent.objects.exists()
    monkeypatch.undo()
    assert "learner reminder to alice@example.go.th: 1 course(s)" in run()
