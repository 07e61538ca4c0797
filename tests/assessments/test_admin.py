"""Authors keep the question bank and publish assessments in the Wagtail admin."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from assessments.factories import home_page
from assessments.models import AssessmentPage, Question
from tests.access.test_audit_and_exports import admin_menu_urls

pytestmark = pytest.mark.django_db


def question_data(category, competency, options, kind="single"):
    return nested_form_data(
        {
            "category": category.pk,
            "competency": competency.pk,
            "kind": kind,
            "difficulty": 2,
            "is_active": "on",
            "name": "Q-admin",
            "idnumber": "",
            "text_format": "moodle",
            "general_feedback_format": "moodle",
            "text_th": "ข้อใดถูก",
            "text_en": "Which is right?",
            "general_feedback_th": "",
            "general_feedback_en": "",
            "choices": inline_formset(
                [
                    {"text_th": text, "text_en": "", "match_th": "", "match_en": "", "weight": weight,
                     "number": "", "tolerance": "0", "feedback_th": "", "feedback_en": "",
                     "text_format": "moodle", "feedback_format": "moodle"}
                    for text, weight in options
                ]
            ),
        }
    )  # fmt: skip


def test_a_content_editor_alone_does_not_reach_the_question_bank(client, eddie, ada):
    """Pages only: the bank holds the answer keys."""
    client.force_login(eddie)
    for name in ("question:index", "question:add", "questioncategory:index"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert reverse("question:index") not in admin_menu_urls(eddie)
    assert reverse("question:index") in admin_menu_urls(ada)


def test_course_author_adds_a_question_and_the_options_are_checked(client, ada, category, competencies):
    client.force_login(ada)
    url = reverse("question:add")
    assert client.get(url).status_code == 200
    bad = question_data(category, competencies["A1.1"], [("ก", "50"), ("ข", "0")])
    response = client.post(url, bad)
    assert response.status_code == 200
    assert "100%" in response.content.decode()
    assert not Question.objects.exists()
    good = question_data(category, competencies["A1.1"], [("ก", "100"), ("ข", "0")])
    response = client.post(url, good)
    assert response.status_code == 302
    question = Question.objects.get()
    assert [(c.text_th, c.weight) for c in question.choices.all()] == [("ก", 100), ("ข", 0)]


def test_multiple_response_weights_must_add_up(client, ada, category, competencies):
    client.force_login(ada)
    data = question_data(
        category, competencies["A1.1"], [("ก", "50"), ("ข", "30"), ("ค", "-100")], "multiple"
    )
    response = client.post(reverse("question:add"), data)
    assert response.status_code == 200 and not Question.objects.exists()


def page_data(category, competencies, level):
    data = nested_form_data(
        {
            "title": "แบบทดสอบใหม่",
            "slug": "new-test",
            "intro": rich_text("<p>ทดสอบ</p>"),
            "draw_rules": inline_formset([{"category": category.pk, "competency": "", "count": 3}]),
            "shuffle_questions": "on",
            "shuffle_choices": "on",
            "time_limit_minutes": "20",
            "max_attempts": "1",
            "pass_mark_percent": "60",
            "opens_at": "",
            "closes_at": "",
            "review_after": "immediately",
            "review_shows": "answers",
            "bands": inline_formset([{"competency": "", "min_percent": "80", "level": level}]),
        }
    )
    data["competencies"] = [competencies["A1.1"].pk]
    return data


def test_editor_and_author_publishes_an_assessment_and_bands_stay_on_the_scale(
    client, ada, eddie, bank, category, competencies
):
    client.force_login(ada)
    url = reverse("wagtailadmin_pages:add", args=["assessments", "assessmentpage", home_page().pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {**page_data(category, competencies, "9"), "action-publish": "publish"})
    assert response.status_code == 200
    bands = response.context["form"].formsets["bands"]
    assert "Level 9 is not on the scale" in str(bands.errors) or "ระดับ 9" in str(bands.errors)
    assert not AssessmentPage.objects.exists()
    response = client.post(url, {**page_data(category, competencies, "3"), "action-publish": "publish"})
    assert response.status_code == 302
    page = AssessmentPage.objects.get()
    # Editors may create and submit pages; publishing is for moderators, as Wagtail sets it up.
    assert page.max_attempts == 1 and page.bands.get().level == 3
    listing = client.get(reverse("wagtailadmin_explore", args=[home_page().pk])).content.decode()
    assert reverse("assessments:statistics", args=[page.pk]) in listing
    # A content editor alone edits the same page but is not offered its item statistics.
    client.force_login(eddie)
    listing = client.get(reverse("wagtailadmin_explore", args=[home_page().pk])).content.decode()
    assert f"/pages/{page.pk}/edit/" in listing
    assert reverse("assessments:statistics", args=[page.pk]) not in listing


def test_outsider_cannot_reach_the_question_bank(client, oscar, alice):
    for user in (oscar, alice.user):
        client.force_login(user)
        assert client.get(reverse("question:index")).status_code in (302, 403)
        assert client.get(reverse("assessments_gift:index")).status_code in (302, 403)
