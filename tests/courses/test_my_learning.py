"""My learning: assigned, in progress, completed and overdue, with certificates and evidence."""

import datetime as dt

import pytest
from django.utils import timezone

from courses.factories import course_create
from courses.models import Enrolment
from courses.services import course_complete


@pytest.mark.django_db
def test_my_learning_sorts_enrolments_by_state(
    client_for, alice, bob, excel_course, cyber_course, english_course
):
    today = dt.date.today()
    now = timezone.now()
    Enrolment.objects.create(
        employee=alice,
        course=cyber_course,
        assigned_by=bob.user,
        assigned_at=now,
        due_date=today + dt.timedelta(days=9),
    )
    Enrolment.objects.create(
        employee=alice, course=english_course, assigned_at=now, due_date=today - dt.timedelta(days=3)
    )
    done = Enrolment.objects.create(employee=alice, course=excel_course)
    course_complete(enrolment=done)

    response = client_for(alice).get("/learning/")
    learning = response.context["learning"]
    assert [e.course for e in learning.assigned] == [cyber_course]
    assert [e.course for e in learning.overdue] == [english_course]
    assert [e.course for e in learning.completed] == [excel_course]
    html = response.content.decode()
    assert f"/learning/certificates/{done.pk}/" in html
    assert "A1.1" in html and "A1.2" in html  # the evidence the course gave
    assert "บ๊อบ ขยัน" in html  # who assigned it, by their staff name


@pytest.mark.django_db
def test_started_course_is_in_progress(client_for, alice, excel_course):
    Enrolment.objects.create(
        employee=alice, course=excel_course, started_at=timezone.now(), progress_percent=33
    )
    learning = client_for(alice).get("/learning/").context["learning"]
    assert [e.course for e in learning.in_progress] == [excel_course]


@pytest.mark.django_db
def test_my_learning_without_a_staff_profile(client_for, oscar):
    response = client_for(oscar).get("/learning/")
    assert response.status_code == 200 and response.context["learning"] is None


@pytest.mark.django_db
def test_my_learning_needs_a_login(client):
    assert client.get("/learning/").status_code == 302


@pytest.mark.django_db
def test_my_learning_queries_do_not_grow_with_enrolments(
    client_for, alice, catalogue, competencies, django_assert_max_num_queries
):
    client = client_for(alice)

    def add(count):
        for i in range(count):
            course = course_create(catalogue=catalogue, competencies=[(competencies["A1.1"], 2)])
            enrolment = Enrolment.objects.create(
                employee=alice, course=course, assigned_at=timezone.now(), due_date=dt.date.today()
            )
            if i % 2:
                course_complete(enrolment=enrolment)

    add(2)
    client.get("/learning/")
    with django_assert_max_num_queries(12) as few:
        client.get("/learning/")
    add(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/learning/")
    assert len(response.context["learning"].completed) == 6
