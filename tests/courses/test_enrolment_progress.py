"""Enrolling, working through lessons, resuming, completing; bad input records nothing."""

import pytest
from django.utils import timezone

from courses.factories import course_create
from courses.models import Enrolment, LessonProgress
from profiles.models import LevelEvidence


def enrol(client, course):
    return client.post(f"/learning/courses/{course.pk}/enrol/")


def complete(client, course, number):
    lesson_id = course.lesson_ids[number - 1]
    return client.post(f"/learning/courses/{course.pk}/lessons/{lesson_id}/complete/")


@pytest.mark.django_db
def test_enrol_twice_makes_one_enrolment(client_for, alice, excel_course):
    client = client_for(alice)
    assert enrol(client, excel_course).status_code == 302
    assert enrol(client, excel_course).status_code == 302
    assert Enrolment.objects.filter(employee=alice, course=excel_course).count() == 1
    page = client.get(excel_course.url).content.decode()
    assert "ตารางและสูตร" in page


@pytest.mark.django_db
def test_cannot_enrol_in_unpublished_or_missing_course(client_for, alice, catalogue):
    draft = course_create(catalogue=catalogue, live=False)
    client = client_for(alice)
    assert enrol(client, draft).status_code == 404
    assert client.post("/learning/courses/999999/enrol/").status_code == 404
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_enrol_needs_a_staff_profile(client_for, oscar, excel_course):
    assert enrol(client_for(oscar), excel_course).status_code == 403
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_prerequisites_come_first(client_for, alice, catalogue, excel_course):
    advanced = course_create(catalogue=catalogue, title="Advanced")
    advanced.prerequisites.add(excel_course)
    advanced.save_revision().publish()
    client = client_for(alice)
    response = enrol(client, advanced)
    assert response.status_code == 302
    assert not Enrolment.objects.filter(course=advanced).exists()
    messages = [str(m) for m in client.get(response.url).context["messages"]]
    assert any("prerequisite" in m or "หลักสูตรที่ต้องผ่านก่อน" in m for m in messages)


@pytest.mark.django_db
def test_lessons_need_an_enrolment(client_for, alice, excel_course):
    client = client_for(alice)
    response = client.get(excel_course.lesson_url(1))
    assert response.status_code == 302 and response.url == excel_course.url
    assert complete(client, excel_course, 1).status_code == 403
    assert not LessonProgress.objects.exists()


@pytest.mark.django_db
def test_progress_resume_and_completion(client_for, alice, excel_course):
    client = client_for(alice)
    enrol(client, excel_course)
    enrolment = Enrolment.objects.get(employee=alice)

    assert client.get(excel_course.lesson_url(1)).status_code == 200
    response = complete(client, excel_course, 1)
    assert response.url == excel_course.lesson_url(2)
    client.get(excel_course.lesson_url(2))  # opened the second lesson, then left
    enrolment.refresh_from_db()
    assert enrolment.progress_percent == 33 and enrolment.started_at is not None
    assert enrolment.resume_lesson_id == excel_course.lesson_ids[1]

    course_page = client.get(excel_course.url)
    assert course_page.context["resume"].number == 2  # comes back where they stopped

    complete(client, excel_course, 1)  # a double submit counts once
    assert LessonProgress.objects.filter(enrolment=enrolment).count() == 1

    complete(client, excel_course, 3)
    enrolment.refresh_from_db()
    assert enrolment.progress_percent == 67 and enrolment.completed_at is None
    complete(client, excel_course, 2)  # the last open lesson completes the course
    enrolment.refresh_from_db()
    assert enrolment.progress_percent == 100
    assert enrolment.completed_at is not None and enrolment.certificate_code
    evidence = LevelEvidence.objects.filter(employee=alice, source=LevelEvidence.Source.COURSE)
    assert sorted(evidence.values_list("competency__code", "level")) == [("A1.1", 3), ("A1.2", 2)]
    assert {e.source_object for e in evidence} == {enrolment}
    assert f"/learning/certificates/{enrolment.pk}/" in client.get(excel_course.url).content.decode()


@pytest.mark.django_db
def test_completing_a_lesson_that_is_not_in_the_course(client_for, alice, excel_course, cyber_course):
    client = client_for(alice)
    enrol(client, excel_course)
    foreign = cyber_course.lesson_ids[0]
    response = client.post(f"/learning/courses/{excel_course.pk}/lessons/{foreign}/complete/")
    assert response.status_code == 404
    assert not LessonProgress.objects.exists()


@pytest.mark.django_db
def test_lesson_out_of_range_is_404(client_for, alice, excel_course):
    client = client_for(alice)
    enrol(client, excel_course)
    assert client.get(excel_course.url + "lesson/9/").status_code == 404


@pytest.mark.django_db
def test_reaching_the_end_of_the_last_lesson_completes_the_course(client_for, alice, cyber_course):
    """The lesson page posts for JSON when the learner scrolls to the end; the last one completes."""
    client = client_for(alice)
    enrol(client, cyber_course)
    html = client.get(cyber_course.lesson_url(1)).content.decode()
    assert 'id="lesson-end"' in html and "IntersectionObserver" in html
    ids = cyber_course.lesson_ids
    url = f"/learning/courses/{cyber_course.pk}/lessons/{{}}/complete/"
    first = client.post(url.format(ids[0]), HTTP_ACCEPT="application/json").json()
    assert first == {"progress": 50, "course_completed": False, "next_url": cyber_course.lesson_url(2)}
    last = client.post(url.format(ids[1]), HTTP_ACCEPT="application/json").json()
    assert last["progress"] == 100 and last["course_completed"] is True
    assert Enrolment.objects.get(employee=alice).completed_at is not None
    again = client.post(url.format(ids[1]), HTTP_ACCEPT="application/json").json()
    assert again["course_completed"] is False  # completed once, not twice
    assert LevelEvidence.objects.filter(employee=alice, source=LevelEvidence.Source.COURSE).count() == 1


@pytest.mark.django_db
def test_anonymous_visitor_is_asked_to_sign_in(client, excel_course):
    html = client.get(excel_course.url).content.decode()
    assert "/accounts/login/" in html and "/enrol/" not in html
    assert client.post(f"/learning/courses/{excel_course.pk}/enrol/").status_code == 302
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_lesson_added_after_completion_does_not_undo_it(alice, excel_course):
    from courses.services import course_complete, lesson_complete

    enrolment = Enrolment.objects.create(employee=alice, course=excel_course)
    course_complete(enrolment=enrolment)
    lesson_complete(enrolment=Enrolment.objects.get(pk=enrolment.pk), lesson_id=excel_course.lesson_ids[0])
    enrolment.refresh_from_db()
    assert enrolment.progress_percent == 100 and enrolment.completed_at is not None


@pytest.mark.django_db
def test_course_page_shows_which_prerequisites_are_done(
    client_for, alice, catalogue, excel_course, cyber_course
):
    advanced = course_create(catalogue=catalogue, title="Advanced")
    advanced.prerequisites.add(excel_course, cyber_course)
    advanced.save_revision().publish()
    client = client_for(alice)
    context = client.get(advanced.url).context
    assert not context["prerequisites_met"]
    assert {p.pk: done for p, done in context["prerequisites"]} == {
        excel_course.pk: False,
        cyber_course.pk: False,
    }
    Enrolment.objects.create(employee=alice, course=excel_course, completed_at=timezone.now())
    context = client.get(advanced.url).context
    assert {p.pk: done for p, done in context["prerequisites"]} == {
        excel_course.pk: True,
        cyber_course.pk: False,
    }
    Enrolment.objects.create(employee=alice, course=cyber_course, completed_at=timezone.now())
    assert client.get(advanced.url).context["prerequisites_met"]
