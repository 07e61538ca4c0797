"""The demo content and the history linked to real attempts and self-assessments."""

import datetime as dt
import random

import pytest
from django.core.management import call_command

from assessments import demo
from assessments.models import AssessmentPage, Attempt, CompetencyResult, Question, SelfAssessment
from assessments.services import attempt_start, attempt_submit
from profiles.demo.contract import DemoEvent
from profiles.models import Competency, LevelEvidence
from skills_site.thai_calendar import BANGKOK

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(alice, bob):
    call_command("load_frameworks", verbosity=0)
    demo.seed_content(stdout=lambda line: None, rng=random.Random(1))
    return AssessmentPage.objects.get(slug=demo.PLACEMENT_SLUG)


def event(employee, code, framework, level, source, when, **extra):
    competency = Competency.objects.get(framework__code=framework, code=code)
    return DemoEvent(
        employee_id=employee.pk, user_id=employee.user_id, competency_id=competency.pk,
        framework_code=framework, competency_code=code, level=level, source=source, observed_at=when,
        org_unit_id=employee.org_unit_id, personnel_group_id=employee.personnel_group_id, **extra,
    )  # fmt: skip


def test_placement_test_has_thirty_bilingual_questions_over_three_areas(content, alice, now):
    questions = Question.objects.filter(category__name=demo.BANK_CATEGORY)
    assert questions.count() >= 30
    assert set(questions.values_list("competency__code", flat=True)) == {"DLit", "DG", "DT"}
    assert all(q.text_th and q.text_en for q in questions)
    assert len(set(questions.values_list("kind", flat=True))) == 6
    attempt = attempt_start(page=content, employee=alice, now=dt.datetime.now(BANGKOK))
    assert attempt.questions.count() == 30
    demo.seed_content(stdout=lambda line: None, rng=random.Random(2))  # a second run adds nothing
    assert AssessmentPage.objects.count() == 1 and questions.count() == 33


def test_link_evidence_ties_history_to_attempts_and_self_assessments(content, alice, bob):
    when = dt.datetime(2025, 5, 1, 10, tzinfo=BANGKOK)
    A, S, M = (
        LevelEvidence.Source.ASSESSMENT,
        LevelEvidence.Source.SELF_ASSESSMENT,
        LevelEvidence.Source.MANAGER_REVIEW,
    )
    events = [
        event(alice, "DLit", "OCSC-2561", 3, A, when),
        event(alice, "DG", "OCSC-2561", 2, A, when),
        event(alice, "DT", "OCSC-2561", 4, A, when + dt.timedelta(days=200)),
        event(alice, "DS", "OCSC-2561", 2, A, when),  # not measured by the placement test: left alone
        event(alice, "DLit", "OCSC-2561", 4, S, when + dt.timedelta(days=10)),
        event(alice, "DLit", "OCSC-2561", 3, M, when + dt.timedelta(days=15), recorded_by_id=bob.user_id),
        event(alice, "DG", "OCSC-2561", 2, S, when + dt.timedelta(days=400)),
        event(alice, "DG", "OCSC-2561", 3, S, when + dt.timedelta(days=800)),
        event(bob, "1.1", "DigComp-2.2", 5, S, when),
        event(bob, "4.2", "DigComp-2.2", 2, S, when),
    ]
    demo.link_evidence(events, rng=random.Random(3), stdout=lambda line: None)
    attempts = list(Attempt.objects.filter(employee=alice).order_by("number"))
    assert [a.number for a in attempts] == [1, 2]
    first_results = {r.competency.code: r for r in CompetencyResult.objects.filter(attempt=attempts[0])}
    # Each score lies in the band that evidences the recorded level.
    assert content.level_for(first_results["DLit"].competency_id, first_results["DLit"].score_percent) == 3
    assert content.level_for(first_results["DG"].competency_id, first_results["DG"].score_percent) == 2
    assert attempts[0].questions.count() == 20
    assert events[0].source_object_id == events[1].source_object_id == str(attempts[0].pk)
    assert events[3].source_object_id == ""
    review = SelfAssessment.objects.get(pk=events[4].source_object_id)
    assert events[5].source_object_id == str(review.pk)
    assert review.status == "reviewed" and review.reviewed_by == bob.user
    assert review.results.get().manager_level == 3
    statuses = SelfAssessment.objects.filter(employee=alice, page=review.page).order_by("submitted_at")
    assert [s.status for s in statuses] == ["reviewed", "closed", "pending"]
    digcomp = SelfAssessment.objects.get(employee=bob)
    assert sorted(digcomp.results.values_list("self_level", flat=True)) == [2, 5]
    assert events[8].source_object_id == events[9].source_object_id == str(digcomp.pk)


def test_demo_attempts_feed_item_statistics(content, alice, bob, client, hana):
    from django.urls import reverse

    when = dt.datetime(2025, 5, 1, 10, tzinfo=BANGKOK)
    events = [
        event(
            person,
            code,
            "OCSC-2561",
            level,
            LevelEvidence.Source.ASSESSMENT,
            when + dt.timedelta(days=offset),
        )
        for offset, (person, level) in enumerate([(alice, 1), (bob, 4), (alice, 3), (bob, 5)])
        for code in ("DLit", "DG", "DT")
    ]
    demo.link_evidence(events, rng=random.Random(5), stdout=lambda line: None)
    client.force_login(hana)
    html = client.get(reverse("assessments:statistics", args=[content.pk])).content.decode()
    assert "4 " in html or "4<" in html
    new = attempt_start(page=content, employee=alice, now=dt.datetime.now(BANGKOK))
    assert new.number == 3
    attempt_submit(attempt=new, employee=alice, now=dt.datetime.now(BANGKOK), responses={})
