"""Lesson content blocks as a learner sees them, including the link to an assessment."""

import pytest

from courses.factories import course_create, lesson_data
from courses.models import Enrolment


@pytest.mark.django_db
def test_lesson_shows_text_callout_and_assessment_link(client_for, alice, catalogue, competencies):
    from assessments.factories import assessment_page_create

    assessment = assessment_page_create(competencies=[competencies["A1.1"]], title="แบบทดสอบ Excel")
    course = course_create(
        catalogue=catalogue,
        lessons=[
            lesson_data(
                "สูตรพื้นฐาน",
                ("text", "<p>ใช้ SUMIFS รวมตามเงื่อนไข</p>"),
                ("callout", {"kind": "warning", "text": "<p>อย่าผสานเซลล์</p>"}),
                ("assessment", {"assessment": assessment.pk, "text": "10 ข้อ"}),
            )
        ],
    )
    Enrolment.objects.create(employee=alice, course=course)
    html = client_for(alice).get(course.lesson_url(1)).content.decode()
    assert "ใช้ SUMIFS รวมตามเงื่อนไข" in html
    assert 'class="callout callout-warning"' in html and "อย่าผสานเซลล์" in html
    assert f'href="{assessment.url}"' in html and "แบบทดสอบ Excel" in html


@pytest.mark.django_db
def test_course_page_lists_lessons_and_competencies_for_a_visitor(client_for, bob, excel_course):
    html = client_for(bob).get(excel_course.url).content.decode()
    assert "ตารางและสูตร" in html and "PivotTable" in html
    assert "A1.1" in html and "/enrol/" in html
    assert "/assign/" in html  # Bob heads a unit, so he may assign it


@pytest.mark.django_db
def test_course_page_queries_do_not_grow_with_lessons(
    client_for, alice, catalogue, django_assert_max_num_queries
):
    client = client_for(alice)
    small = course_create(catalogue=catalogue, lessons=2)
    big = course_create(catalogue=catalogue, lessons=12)
    for course in (small, big):
        Enrolment.objects.create(employee=alice, course=course)
    client.get(small.url)
    with django_assert_max_num_queries(30) as few:
        client.get(small.url)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(big.url)
