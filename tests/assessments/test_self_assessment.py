"""Self-assessment on the DigComp four-point scale, and the manager's confirmation or adjustment."""

import datetime as dt

import pytest
from django.urls import reverse

from assessments.factories import self_assessment_page_create
from assessments.models import SelfAssessment, SelfAssessmentResult
from assessments.services import AssessmentRefused, self_assessment_submit
from profiles.competencies.levels import current_levels
from profiles.factories import EmployeeFactory, LevelEvidenceFactory
from profiles.models import LevelEvidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def self_page(competencies):
    return self_assessment_page_create(
        title="DigComp self-check",
        statements=[
            (competencies["A1.1"], "ฉันจัดรูปแบบเอกสารได้", "I can format a document"),
            (competencies["A1.1"], "ฉันใช้ตารางคำนวณได้", "I can use a spreadsheet"),
            (competencies["A2.1"], "ฉันตั้งรหัสผ่านที่ปลอดภัยได้", "I can set a safe password"),
        ],
    )


def ratings(page, points):
    return dict(zip(page.statements.order_by("sort_order").values_list("pk", flat=True), points, strict=True))


def post_ratings(page, points):
    return {f"rating-{pk}": str(point) for pk, point in ratings(page, points).items()}


def test_self_rating_maps_the_scale_to_levels_and_records_evidence(client, self_page, alice, competencies):
    client.force_login(alice.user)
    response = client.post(
        reverse("assessments:self_submit", args=[self_page.pk]), post_ratings(self_page, [3, 4, 2])
    )
    assert response.status_code == 302
    submission = SelfAssessment.objects.get(employee=alice)
    levels = {r.competency.code: r.self_level for r in submission.results.all()}
    # A1.1: the mean of "On my own" and "With confidence" rounds down to "On my own" -> level 3;
    # A2.1: "With help" -> level 2.
    assert levels == {"A1.1": 3, "A2.1": 2}
    evidence = LevelEvidence.objects.filter(employee=alice, source=LevelEvidence.Source.SELF_ASSESSMENT)
    assert sorted((e.competency.code, e.level) for e in evidence) == [("A1.1", 3), ("A2.1", 2)]
    assert all(e.source_object == submission and e.recorded_by == alice.user for e in evidence)


def test_a_second_submission_while_one_is_pending_is_refused(self_page, alice, now):
    self_assessment_submit(page=self_page, employee=alice, ratings=ratings(self_page, [1, 1, 1]), now=now)
    with pytest.raises(AssessmentRefused, match="waiting"):
        self_assessment_submit(page=self_page, employee=alice, ratings=ratings(self_page, [4, 4, 4]), now=now)
    assert SelfAssessment.objects.count() == 1
    assert LevelEvidence.objects.count() == 2


@pytest.mark.parametrize(
    "data",
    [
        {"rating-999999": "3"},
        {"rating-x": "3"},
        "missing-one",
        "point-five",
    ],
)
def test_bad_ratings_are_refused_and_nothing_stored(client, self_page, alice, data):
    good = post_ratings(self_page, [3, 3, 3])
    if data == "missing-one":
        data = dict(list(good.items())[:2])
    elif data == "point-five":
        data = {**good, next(iter(good)): "5"}
    else:
        data = {**good, **data}
    client.force_login(alice.user)
    response = client.post(reverse("assessments:self_submit", args=[self_page.pk]), data, follow=True)
    assert response.status_code == 200
    assert not SelfAssessment.objects.exists()
    assert not LevelEvidence.objects.exists()


def test_manager_confirms_or_adjusts_and_records_manager_review_evidence(client, self_page, alice, bob, now):
    submission = self_assessment_submit(
        page=self_page, employee=alice, ratings=ratings(self_page, [3, 3, 2]), now=now
    )
    client.force_login(bob.user)
    assert "DigComp self-check" in client.get(reverse("assessments:team_reviews")).content.decode()
    results = {r.competency.code: r for r in submission.results.all()}
    response = client.post(
        reverse("assessments:review", args=[submission.pk]),
        {
            f"level-{results['A1.1'].competency_id}": "3",  # confirmed
            f"level-{results['A2.1'].competency_id}": "3",  # adjusted up
            "note": "เห็นการทำงานจริงแล้ว",
        },
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "reviewed" and submission.reviewed_by == bob.user
    reviews = LevelEvidence.objects.filter(source=LevelEvidence.Source.MANAGER_REVIEW)
    assert sorted((e.competency.code, e.level) for e in reviews) == [("A1.1", 3), ("A2.1", 3)]
    assert all(e.recorded_by == bob.user and e.source_object == submission for e in reviews)
    assert list(
        SelfAssessmentResult.objects.order_by("competency__code").values_list("self_level", "manager_level")
    ) == [
        (3, 3),
        (2, 3),
    ]
    # A second review (double click) records nothing more.
    client.post(reverse("assessments:review", args=[submission.pk]), {"note": "again"})
    assert reviews.count() == 2


@pytest.mark.parametrize("reviewer", ["carol", "oscar", "alice"])
def test_only_the_manager_or_hr_may_review(client, self_page, alice, carol, oscar, now, reviewer):
    submission = self_assessment_submit(
        page=self_page, employee=alice, ratings=ratings(self_page, [3, 3, 2]), now=now
    )
    user = {"carol": carol.user, "oscar": oscar, "alice": alice.user}[reviewer]
    client.force_login(user)
    url = reverse("assessments:review", args=[submission.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"note": "x"}).status_code == 403
    assert not LevelEvidence.objects.filter(source=LevelEvidence.Source.MANAGER_REVIEW).exists()
    assert (
        str(submission.pk)
        not in client.get(reverse("assessments:home")).content.decode().split("team/")[-1][:5]
    )


def test_hr_may_review(client, self_page, alice, hana, now):
    submission = self_assessment_submit(
        page=self_page, employee=alice, ratings=ratings(self_page, [3, 3, 2]), now=now
    )
    client.force_login(hana)
    assert client.get(reverse("assessments:review", args=[submission.pk])).status_code == 200


def test_team_reviews_list_shows_only_the_team_in_fixed_queries(
    client, self_page, alice, bob, carol, org, academic, now, django_assert_max_num_queries
):
    self_assessment_submit(page=self_page, employee=carol, ratings=ratings(self_page, [2, 2, 2]), now=now)
    client.force_login(bob.user)
    client.get(reverse("profiles:my_profile"))  # a session's first page answers the menu's role questions

    def count_queries():
        with django_assert_max_num_queries(30) as captured:
            response = client.get(reverse("assessments:team_reviews"))
        return response, len(captured.captured_queries)

    for index in range(3):
        member = EmployeeFactory(org_unit=org["data"], personnel_group=academic, first_name_th=f"ทีม{index}")
        self_assessment_submit(
            page=self_page, employee=member, ratings=ratings(self_page, [2, 3, 4]), now=now
        )
    response, few = count_queries()
    html = response.content.decode()
    assert "ทีม0" in html and "ทีม2" in html
    assert carol.full_name not in html  # another unit's self-assessment is not Bob's to review
    for _ in range(3, 8):
        member = EmployeeFactory(org_unit=org["data"], personnel_group=academic)
        self_assessment_submit(
            page=self_page, employee=member, ratings=ratings(self_page, [1, 2, 3]), now=now
        )
    _response, many = count_queries()
    assert many == few


def test_team_reviews_is_forbidden_to_staff_without_a_team(client, alice):
    client.force_login(alice.user)
    assert client.get(reverse("assessments:team_reviews")).status_code == 403


def test_team_reviews_are_paged(client, self_page, bob, org, academic, now, monkeypatch):
    from assessments import views

    monkeypatch.setattr(views, "REVIEWS_PER_PAGE", 2)
    for index in range(3):
        member = EmployeeFactory(
            org_unit=org["data"], personnel_group=academic, first_name_th=f"สมาชิก{index}"
        )
        self_assessment_submit(
            page=self_page, employee=member, ratings=ratings(self_page, [2, 2, 2]), now=now
        )
    client.force_login(bob.user)
    first = client.get(reverse("assessments:team_reviews")).content.decode()
    second = client.get(reverse("assessments:team_reviews") + "?page=2").content.decode()
    assert "สมาชิก0" in first and "สมาชิก2" not in first
    assert "สมาชิก2" in second and "?page=1" in second


def test_a_manager_lowering_a_confirmed_level_must_say_why(client, self_page, alice, bob, now, competencies):
    a11 = competencies["A1.1"]
    LevelEvidenceFactory(employee=alice, competency=a11, level=4, source=LevelEvidence.Source.ASSESSMENT,
                         observed_at=now - dt.timedelta(days=30))  # fmt: skip
    submission = self_assessment_submit(
        page=self_page, employee=alice, ratings=ratings(self_page, [3, 3, 2]), now=now
    )
    client.force_login(bob.user)
    results = {r.competency.code: r for r in submission.results.all()}
    lowered = {
        f"level-{results['A1.1'].competency_id}": "2",  # below the assessed 4
        f"level-{results['A2.1'].competency_id}": "3",
    }
    response = client.post(reverse("assessments:review", args=[submission.pk]), {**lowered, "note": " "})
    assert response.status_code == 200 and "โปรดระบุเหตุผล" in response.content.decode()
    assert not LevelEvidence.objects.filter(source=LevelEvidence.Source.MANAGER_REVIEW).exists()
    reason = {**lowered, "note": "ทำงานจริงยังไม่ถึงระดับ 4"}
    assert client.post(reverse("assessments:review", args=[submission.pk]), reason).status_code == 302
    level = current_levels(alice)[a11.id]
    assert (level.level, level.source) == (2, LevelEvidence.Source.MANAGER_REVIEW)
