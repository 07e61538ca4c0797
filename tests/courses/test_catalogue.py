"""The catalogue: search (including Thai), filters that combine, cards with the reader's status."""

import pytest
from django.utils import timezone

from courses.factories import course_create
from courses.models import Enrolment


def cards_for(client, catalogue, **params):
    response = client.get(catalogue.url, params)
    assert response.status_code == 200
    return [card.course.title for card in response.context["cards"]]


@pytest.mark.django_db
def test_search_finds_english_and_thai_words(client_for, alice, catalogue, excel_course, cyber_course):
    client = client_for(alice)
    assert cards_for(client, catalogue, q="Excel") == [excel_course.title]
    # A Thai word inside a longer Thai title: full-text search alone misses it.
    assert cards_for(client, catalogue, q="ไซเบอร์") == [cyber_course.title]
    assert cards_for(client, catalogue, q="ฟิชชิง") == [cyber_course.title]
    assert cards_for(client, catalogue, q="kubernetes") == []


@pytest.mark.django_db
def test_filters_combine(client_for, alice, catalogue, excel_course, cyber_course, english_course, framework):
    client = client_for(alice)
    securing = framework.areas.get(code="A2")
    assert set(cards_for(client, catalogue, area=securing.pk)) == {cyber_course.title, english_course.title}
    assert cards_for(client, catalogue, area=securing.pk, language="en") == [english_course.title]
    assert cards_for(client, catalogue, area=securing.pk, language="th", mandatory="on") == [
        cyber_course.title
    ]
    assert cards_for(client, catalogue, level="intermediate") == [excel_course.title]
    assert cards_for(client, catalogue, length="medium") == [excel_course.title]
    assert set(cards_for(client, catalogue, length="short")) == {cyber_course.title, english_course.title}
    assert cards_for(client, catalogue, length="long") == []
    assert cards_for(client, catalogue, q="Excel", level="introductory") == []


@pytest.mark.django_db
def test_unpublished_courses_are_not_listed(client_for, alice, catalogue, excel_course):
    course_create(catalogue=catalogue, title="Draft course", live=False)
    assert cards_for(client_for(alice), catalogue) == [excel_course.title]


@pytest.mark.django_db
def test_card_shows_duration_level_areas_and_own_status(client_for, alice, catalogue, excel_course):
    Enrolment.objects.create(
        employee=alice, course=excel_course, progress_percent=33, started_at=timezone.now()
    )
    response = client_for(alice).get(catalogue.url)
    html = response.content.decode()
    assert "3 ชั่วโมง" in html or "3 hours" in html
    assert "TEST A1" in html
    assert "33%" in html


@pytest.mark.django_db
def test_nonsense_filters_are_ignored_not_an_error(client_for, alice, catalogue, excel_course):
    assert cards_for(client_for(alice), catalogue, area="not-a-number", level="wizard") == [
        excel_course.title
    ]


@pytest.mark.django_db
def test_catalogue_queries_do_not_grow_with_courses(
    client_for, alice, catalogue, competencies, django_assert_max_num_queries
):
    client = client_for(alice)

    def add_courses(count):
        for _i in range(count):
            course = course_create(catalogue=catalogue, competencies=[(competencies["A1.1"], 2)])
            Enrolment.objects.create(employee=alice, course=course)

    add_courses(2)
    client.get(catalogue.url)  # warm the site-root cache
    with django_assert_max_num_queries(16) as few:
        client.get(catalogue.url)
    add_courses(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(catalogue.url)
    assert len(response.context["cards"]) == 12
    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        client.get(catalogue.url, {"q": "Course", "area": competencies["A1.1"].area_id})


@pytest.mark.django_db
def test_navigation_link_finds_the_catalogue(client, catalogue):
    response = client.get("/learning/catalogue/")
    assert response.status_code == 302 and response.url == catalogue.url


@pytest.mark.django_db
def test_navigation_link_without_a_catalogue(client):
    assert client.get("/learning/catalogue/").status_code == 404
