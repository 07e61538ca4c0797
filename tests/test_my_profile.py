import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from profiles.factories import EmployeeFactory, LevelEvidenceFactory
from profiles.models import LevelEvidence
from skills_site.thai_calendar import BANGKOK, THAI_MONTHS_SHORT

Source = LevelEvidence.Source


def row_text(response, competency):
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(soup.find(id=f"competency-{competency.pk}").get_text(" ").split())


def days_ago(days):
    return timezone.now() - dt.timedelta(days=days)


@pytest.fixture
def evidence(alice, bob, competencies):
    LevelEvidenceFactory(
        employee=alice,
        competency=competencies["A1.1"],
        level=2,
        source=Source.ASSESSMENT,
        observed_at=days_ago(200),
        source_label="แบบทดสอบวัดระดับ 2568",
    )
    LevelEvidenceFactory(
        employee=alice,
        competency=competencies["A1.1"],
        level=5,
        source=Source.SELF_ASSESSMENT,
        observed_at=days_ago(30),
    )
    LevelEvidenceFactory(
        employee=alice,
        competency=competencies["A2.1"],
        level=3,
        source=Source.MANAGER_REVIEW,
        recorded_by=bob.user,
        observed_at=days_ago(60),
    )


def test_profile_shows_levels_targets_and_the_evidence_behind_them(
    client, alice, competencies, targets, evidence, english
):
    client.force_login(alice.user)
    client.cookies["skills_language"] = "en"
    response = client.get(reverse("profiles:my_profile"))
    assert response.status_code == 200
    # A1.1: the assessment (2) decides although the self-rating (5) is newer; target 3 from area A1.
    office = row_text(response, competencies["A1.1"])
    assert "2 Level 2" in office and "3 Level 3" in office and "1 level short" in office
    # A2.1: manager review 3 against a competency target of 2: met.
    assert "Met" in row_text(response, competencies["A2.1"])
    # A1.2: no evidence yet.
    assert "Not yet assessed" in row_text(response, competencies["A1.2"])
    soup = BeautifulSoup(response.content, "html.parser")
    why = soup.find(id=f"competency-{competencies['A1.1'].pk}").find_next_sibling("tr").get_text(" ")
    assert "Why level 2?" in why and "Assessment result" in why and "แบบทดสอบวัดระดับ 2568" in why
    assert "Self-assessment" in why  # counted, but outranked
    review = soup.find(id=f"competency-{competencies['A2.1'].pk}").find_next_sibling("tr").get_text(" ")
    assert "Bob" in review


def test_profile_in_thai_shows_buddhist_era_dates(client, alice, evidence):
    client.force_login(alice.user)
    content = client.get(reverse("profiles:my_profile")).content.decode()
    assessed = days_ago(200).astimezone(BANGKOK).date()
    thai_date = f"{assessed.day} {THAI_MONTHS_SHORT[assessed.month - 1]} {assessed.year + 543}"
    assert thai_date in content


def test_user_without_staff_profile_gets_an_explanation(client, oscar, english):
    client.force_login(oscar)
    client.cookies["skills_language"] = "en"
    response = client.get(reverse("profiles:my_profile"))
    assert response.status_code == 200
    assert b"No staff profile is linked to your account" in response.content


def test_profile_shows_only_my_own_evidence(client, alice, bob, competencies, evidence):
    LevelEvidenceFactory(
        employee=bob, competency=competencies["A1.2"], level=4, source_label="BOB-ONLY-EVIDENCE"
    )
    client.force_login(alice.user)
    assert b"BOB-ONLY-EVIDENCE" not in client.get(reverse("profiles:my_profile")).content


def test_profile_queries_do_not_grow_with_evidence(client, alice, competencies, targets):
    def add_evidence(count):
        for n in range(count):
            for competency in competencies.values():
                LevelEvidenceFactory(
                    employee=alice, competency=competency, level=1 + n % 5, observed_at=days_ago(400 - n)
                )
        # Colleagues' evidence must not be loaded either.
        for _ in range(count // 4):
            LevelEvidenceFactory(
                employee=EmployeeFactory(org_unit=alice.org_unit), competency=competencies["A1.1"]
            )

    def queries_for_page():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("profiles:my_profile")).status_code == 200
        return len(captured)

    client.force_login(alice.user)
    client.get(reverse("profiles:my_profile"))  # a session's first page answers the menu's role questions
    add_evidence(1)
    few = queries_for_page()
    add_evidence(20)
    assert queries_for_page() == few
    assert few <= 20
