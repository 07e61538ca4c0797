"""The manager's review of a self-assessment: one item per competency, in the page's language, with
the employee's answers and levels beside the choice, and forged fields refused."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from assessments.factories import self_assessment_page_create
from assessments.models import SelfAssessment
from assessments.services import self_assessment_submit
from profiles.factories import CompetencyFactory, LevelEvidenceFactory
from profiles.models import LevelEvidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def unnamed(framework):
    """A competency with no Thai name, as DigComp's are: its Thai statement names it on a Thai page."""
    area = framework.areas.get(code="A1")
    return CompetencyFactory(area=area, code="A1.3", name_en="Browsing data", name_th="")


@pytest.fixture
def self_page(competencies, unnamed):
    return self_assessment_page_create(
        title="Self-check",
        statements=[
            (competencies["A1.1"], "ฉันจัดรูปแบบเอกสารได้", "I can format a document"),
            (competencies["A2.1"], "ฉันตั้งรหัสผ่านที่ปลอดภัยได้", "I can set a safe password"),
            (unnamed, "ฉันค้นหาข้อมูลออนไลน์ได้", "I can search for information online"),
        ],
    )


@pytest.fixture
def submission(self_page, alice, now):
    points = dict(
        zip(self_page.statements.order_by("sort_order").values_list("pk", flat=True), [3, 2, 4], strict=True)
    )
    return self_assessment_submit(page=self_page, employee=alice, ratings=points, now=now)


def review_url(submission):
    return reverse("assessments:review", args=[submission.pk])


def items(response) -> dict[str, BeautifulSoup]:
    """The review's items by competency code."""
    soup = BeautifulSoup(response.content, "html.parser")
    return {
        item.select_one(".review-label .badge").get_text(strip=True): item
        for item in soup.select(".review-item")
    }


def test_the_thai_page_names_competencies_and_levels_in_thai(client, submission, bob):
    client.force_login(bob.user)
    response = client.get(review_url(submission))
    html = response.content.decode()
    found = items(response)
    assert set(found) == {"A1.1", "A2.1", "A1.3"}
    assert "โปรแกรมสำนักงาน" in found["A1.1"].select_one(".review-label").get_text()
    # no Thai name: the employee's Thai statement is the label, never the English name
    assert "ฉันค้นหาข้อมูลออนไลน์ได้" in found["A1.3"].select_one(".review-label").get_text()
    assert "Browsing data" not in html and "Office tools" not in html
    options = [o.get_text() for o in found["A1.1"].select("select option")]
    assert options[:2] == ["1 · ระดับ 1", "2 · ระดับ 2"] and len(options) == 5
    assert "Level 1" not in html


def test_the_english_page_names_them_in_english(client, submission, bob):
    client.force_login(bob.user)
    client.cookies["skills_language"] = "en"
    found = items(client.get(review_url(submission)))
    assert "Office tools" in found["A1.1"].select_one(".review-label").get_text()
    assert "Browsing data" in found["A1.3"].select_one(".review-label").get_text()
    assert [o.get_text() for o in found["A2.1"].select("option")][0].startswith("1 · Level 1")


def test_each_competency_shows_the_self_rating_and_the_confirmed_level_beside_its_choice(
    client, submission, alice, bob, competencies, now
):
    LevelEvidenceFactory(
        employee=alice,
        competency=competencies["A2.1"],
        level=4,
        source=LevelEvidence.Source.ASSESSMENT,
        observed_at=now - dt.timedelta(days=9),
    )
    client.force_login(bob.user)
    found = items(client.get(review_url(submission)))
    a11, a21 = found["A1.1"], found["A2.1"]
    # A1.1 "On my own" -> level 3; A2.1 "With help" -> level 2, confirmed at 4 by a test
    assert "ทำได้ด้วยตนเอง" in a11.select_one(".review-answers").get_text()
    assert a11.select_one(".self-rated").get_text(" ", strip=True) == "3 ระดับ 3"
    assert "ยังไม่มี" in a11.select_one(".confirmed").get_text()
    assert a11.select_one("option[selected]").get_text() == "3 · ระดับ 3 (ประเมินตนเอง)"
    assert a21.select_one(".self-rated").get_text(" ", strip=True) == "2 ระดับ 2"
    assert a21.select_one(".confirmed").get_text(" ", strip=True).startswith("4 ระดับ 4")
    assert a21.select_one("option[value='4']").get_text() == "4 · ระดับ 4 (ระดับที่ยืนยันแล้ว)"


def test_recording_the_levels_as_offered_confirms_the_self_rated_ones(client, submission, bob):
    client.force_login(bob.user)
    found = items(client.get(review_url(submission)))
    data = {
        item.select_one("select")["name"]: item.select_one("option[selected]")["value"]
        for item in found.values()
    }
    response = client.post(review_url(submission), {**data, "note": ""})
    assert response.status_code == 302
    reviews = LevelEvidence.objects.filter(source=LevelEvidence.Source.MANAGER_REVIEW)
    assert sorted((e.competency.code, e.level) for e in reviews) == [("A1.1", 3), ("A1.3", 5), ("A2.1", 2)]
    assert all(e.recorded_by == bob.user and e.source_object == submission for e in reviews)


def test_lowering_a_confirmed_level_without_a_reason_is_marked_on_that_competency(
    client, submission, alice, bob, competencies, now
):
    LevelEvidenceFactory(
        employee=alice,
        competency=competencies["A1.1"],
        level=4,
        source=LevelEvidence.Source.COURSE,
        observed_at=now - dt.timedelta(days=9),
    )
    client.force_login(bob.user)
    results = {r.competency.code: r.competency_id for r in submission.results.select_related("competency")}
    data = {f"level-{results['A1.1']}": "2", f"level-{results['A2.1']}": "2", f"level-{results['A1.3']}": "5"}
    response = client.post(review_url(submission), data)
    assert response.status_code == 200
    found = items(response)
    assert "has-error" in found["A1.1"]["class"] and "has-error" not in found["A2.1"]["class"]
    assert "ต่ำกว่าระดับที่ยืนยันแล้ว (ระดับ 4)" in found["A1.1"].select_one(".errorlist").get_text()
    assert (
        "โปรดระบุเหตุผล" in BeautifulSoup(response.content, "html.parser").select_one(".field .errorlist").text
    )
    assert found["A1.1"].select_one("option[selected]")["value"] == "2"  # the manager's choice is kept
    assert not LevelEvidence.objects.filter(source=LevelEvidence.Source.MANAGER_REVIEW).exists()
    assert SelfAssessment.objects.get().status == "pending"


@pytest.mark.parametrize("forgery", ["unknown-competency", "not-a-number", "off-the-scale", "missing"])
def test_forged_competencies_and_levels_are_refused(client, submission, bob, competencies, forgery):
    client.force_login(bob.user)
    results = {r.competency.code: r.competency_id for r in submission.results.select_related("competency")}
    data = {f"level-{pk}": "3" for pk in results.values()}
    if forgery == "unknown-competency":
        data[f"level-{competencies['A1.2'].pk}"] = "3"  # in the framework, not in this self-assessment
    elif forgery == "not-a-number":
        data["level-x"] = "3"
    elif forgery == "off-the-scale":
        data[f"level-{results['A2.1']}"] = "9"
    else:
        del data[f"level-{results['A2.1']}"]
    response = client.post(review_url(submission), {**data, "note": "ok"})
    assert response.status_code == 200
    assert BeautifulSoup(response.content, "html.parser").select_one(".review-errors[role=alert]")
    assert not LevelEvidence.objects.filter(source=LevelEvidence.Source.MANAGER_REVIEW).exists()
    assert SelfAssessment.objects.get().status == "pending"


def test_the_review_page_runs_the_same_queries_whatever_the_number_of_competencies(
    client, framework, alice, bob, now, django_assert_max_num_queries
):
    area = framework.areas.get(code="A2")
    client.force_login(bob.user)
    client.get(reverse("profiles:my_profile"))  # a session's first page answers the menu's role questions

    def queries(count: int) -> int:
        page = self_assessment_page_create(
            title=f"Check {count}",
            statements=[
                (CompetencyFactory(area=area, code=f"N{count}.{i}", name_th=f"ส{i}"), f"ข้อ{i}", f"S{i}")
                for i in range(count)
            ],
        )
        ids = page.statements.values_list("pk", flat=True)
        submission = self_assessment_submit(page=page, employee=alice, ratings=dict.fromkeys(ids, 3), now=now)
        with django_assert_max_num_queries(40) as captured:
            assert client.get(review_url(submission)).status_code == 200
        return len(captured.captured_queries)

    assert queries(2) == queries(6)
