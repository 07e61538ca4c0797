"""The home page: each role lands on its own next steps, built from the apps' selectors."""

# ruff: noqa: F811  (the reports' plan and history are fixtures imported from their conftest)

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.factories import assessment_page_create, self_assessment_page_create
from assessments.records import Attempt, SelfAssessment
from courses.factories import EnrolmentFactory, catalogue_create, course_create
from courses.records import Enrolment
from profiles.factories import (
    EmployeeFactory,
    LevelEvidenceFactory,
    PriorLearningClaimFactory,
    UserFactory,
)
from profiles.hr_data.models import StaffImport
from profiles.models import LevelEvidence
from profiles.organisation.roles import COMMITTEE_GROUP
from skills_site.thai_calendar import bangkok_date, format_be_date
from tests.reports.conftest import empty_cache, history, plan, staff, technology  # noqa: F401

Source = LevelEvidence.Source


def today():
    return bangkok_date(timezone.now())


def card(response, card_id):
    found = BeautifulSoup(response.content, "html.parser").find(id=card_id)
    return found, " ".join(found.get_text(" ").split()) if found else ""


def home(client, user, language="en"):
    client.force_login(user)
    client.cookies["skills_language"] = language
    response = client.get("/")
    assert response.status_code == 200
    return response


@pytest.fixture
def catalogue(db):
    return catalogue_create()


def assign(employee, course, *, due, by=None, started=False, completed=False):
    now = timezone.now()
    return EnrolmentFactory(
        employee=employee,
        course=course,
        assigned_by=by,
        assigned_at=now - dt.timedelta(days=30),
        due_date=due,
        started_at=now if started else None,
        progress_percent=40 if started else 0,
        completed_at=now if completed else None,
    )


def self_assessment_waiting(page, employee):
    return SelfAssessment.objects.create(page=page, employee=employee, submitted_at=timezone.now())


def test_anonymous_visitors_get_the_sign_in_card(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert reverse("account_login") in response.content.decode()
    assert card(response, "home-learning")[0] is None


def test_an_employee_sees_what_is_due_flagged_overdue_their_gaps_and_the_assessments_open_to_them(
    client, alice, bob, competencies, targets, catalogue
):
    late = course_create(catalogue=catalogue, title="Late course")
    later = course_create(catalogue=catalogue, title="Assigned course")
    going = course_create(catalogue=catalogue, title="Course under way")
    done = course_create(catalogue=catalogue, title="Finished course")
    assign(alice, late, due=today() - dt.timedelta(days=10), by=bob.user)
    assign(alice, later, due=today() + dt.timedelta(days=20), by=bob.user)
    assign(alice, going, due=None, started=True)
    assign(alice, done, due=today() - dt.timedelta(days=40), completed=True)
    # A1.1 (target 3) at 2: one short; A2.1 (target 2) at 2: met; A1.2 (target 3): not assessed.
    for code, level in (("A1.1", 2), ("A2.1", 2)):
        LevelEvidenceFactory(
            employee=alice, competency=competencies[code], level=level, source=Source.ASSESSMENT,
            observed_at=timezone.now() - dt.timedelta(days=5),
        )  # fmt: skip
    open_test = assessment_page_create(competencies=[competencies["A1.1"]], title="Open test")
    assessment_page_create(
        competencies=[competencies["A1.1"]],
        title="Closed test",
        closes_at=timezone.now() - dt.timedelta(days=1),
    )
    used_up = assessment_page_create(
        competencies=[competencies["A1.1"]], title="Used-up test", max_attempts=1
    )
    Attempt.objects.create(
        page=used_up, employee=alice, number=1, status=Attempt.Status.SUBMITTED, started_at=timezone.now()
    )
    self_assessment_page_create(statements=[(competencies["A1.2"], "ข้อมูล", "Data")], title="Rate yourself")
    sent = self_assessment_page_create(
        statements=[(competencies["A2.1"], "ไซเบอร์", "Cyber")], title="Already sent"
    )
    self_assessment_waiting(sent, alice)

    response = home(client, alice.user)
    learning, text = card(response, "home-learning")
    assert "1 course overdue" in text
    overdue = learning.find("li", class_="is-overdue")
    assert "Late course" in overdue.get_text() and "Overdue" in overdue.get_text()
    assert "Assigned course" in text and "Course under way" in text and "Finished course" not in text
    assert [a.get_text() for a in learning.select("li > a")] == [
        "Late course",
        "Assigned course",
        "Course under way",
    ]

    skills, text = card(response, "home-skills")
    assert "1 of 3 targets met." in text
    rows = [" ".join(tr.get_text(" ").split()) for tr in skills.select("tbody tr")]
    assert rows[0].startswith("A1.1") and "2 3 −1" in rows[0]  # the gap comes first
    assert any(row.startswith("A1.2") and "Not yet assessed" in row for row in rows)
    assert skills.find("a", href=reverse("profiles:my_skills"))

    _assessments, text = card(response, "home-assessments")
    assert "Open test" in text and "Rate yourself" in text
    assert "Closed test" not in text and "Used-up test" not in text and "Already sent" not in text
    assert open_test.url in response.content.decode()

    # In Thai the due date is in the Buddhist Era.
    _learning, text = card(home(client, alice.user, "th"), "home-learning")
    due = format_be_date(today() + dt.timedelta(days=20), "th", long=True)
    assert str(today().year + 543) in due and due in text
    assert "เลยกำหนด 1 หลักสูตร" in text


def test_a_manager_sees_the_team_gaps_overdue_work_and_the_reviews_waiting(
    client, alice, bob, carol, academic, org, competencies, targets, catalogue
):
    ben = EmployeeFactory(
        org_unit=org["data"], personnel_group=academic, first_name_en="Ben", last_name_en="B"
    )
    dave = EmployeeFactory(org_unit=org["service"], personnel_group=academic, first_name_en="Dave")
    LevelEvidenceFactory(
        employee=ben, competency=competencies["A2.1"], level=2, source=Source.ASSESSMENT,
        observed_at=timezone.now() - dt.timedelta(days=5),
    )  # fmt: skip
    course = course_create(catalogue=catalogue, title="Mandatory security")
    assign(alice, course, due=today() - dt.timedelta(days=3), by=bob.user)
    assign(ben, course, due=today() + dt.timedelta(days=3), by=bob.user)  # not late yet
    assign(dave, course, due=today() - dt.timedelta(days=3), by=carol.user)  # Carol's team, not Bob's
    page = self_assessment_page_create(statements=[(competencies["A1.1"], "ก", "A")])
    self_assessment_waiting(page, alice)
    self_assessment_waiting(page, ben)
    self_assessment_waiting(page, dave)
    PriorLearningClaimFactory(employee=alice, competency=competencies["A1.1"])

    response = home(client, bob.user)
    _waiting, text = card(response, "home-waiting")
    assert card(response, "home-waiting-reviews")[1].startswith("2 self-assessments to review")
    assert card(response, "home-waiting-claims")[1].startswith("1 outside learning claim to decide")

    gaps, text = card(response, "home-team-gaps")
    # Alice and Ben are both short in A1.1 and A1.2 (target 3, no level); in A2.1 only Alice is.
    items = [" ".join(li.get_text(" ").split()) for li in gaps.select("li")]
    assert items[0].startswith("A1.1") and "2 of 2 people below target" in items[0]
    assert items[1].startswith("A1.2") and "2 of 2 people below target" in items[1]
    assert items[2].startswith("A2.1") and "1 of 2 people below target" in items[2]

    _overdue, text = card(response, "home-team-overdue")
    assert "1 assignment overdue" in text and alice.full_name in text
    assert "Ben" not in text and "Dave" not in text
    assert card(response, "home-plans")[0] is None  # not HR


def test_hr_sees_the_plan_status_the_latest_import_and_what_waits(client, hana, plan, history, competencies):
    PriorLearningClaimFactory(employee=history["dan"], competency=competencies["A1.1"])
    StaffImport.objects.create(
        kind=StaffImport.Kind.STAFF, file_name="old.csv", content=b"x", sha256="0" * 64,
        status=StaffImport.Status.COMMITTED, uploaded_by=hana, committed_at=timezone.now(),
    )  # fmt: skip
    latest = StaffImport.objects.create(
        kind=StaffImport.Kind.STAFF, file_name="staff-dec.csv", content=b"x", sha256="1" * 64,
        status=StaffImport.Status.CHECKED, uploaded_by=hana, summary={"problem_count": 0},
    )  # fmt: skip

    response = home(client, hana)
    plans, text = card(response, "home-plans")
    assert "Digital action plan 2566–2570" in text
    counts = {
        li.find("span").get_text(): int(li.find("strong").get_text())
        for li in plans.select(".home-statuses li")
    }
    assert sum(counts.values()) == 2  # the plan's two targets
    # All staff at level 3 or above: Alice, Bob and Max of five (Carol is at 2, Dan only self-rated).
    worst = [" ".join(tr.get_text(" ").split()) for tr in plans.select("tbody tr")]
    assert any(row.startswith("All staff at level 3 or above 60%") for row in worst)

    _import, text = card(response, "home-import")
    assert "staff-dec.csv" in text and "Checked (dry run)" in text and "old.csv" not in text
    assert reverse("profiles_import:detail", args=[latest.pk]) in response.content.decode()
    assert card(response, "home-waiting-claims")[1].startswith("1 outside learning claim")
    assert "staff-dec.csv is checked but not committed" in card(response, "home-waiting")[1]


def test_a_committee_viewer_lands_on_the_report_and_sees_no_names(client, staff):
    viewer = UserFactory(username="cora")
    viewer.groups.add(Group.objects.get(name=COMMITTEE_GROUP))
    response = home(client, viewer)
    report, _text = card(response, "home-report")
    assert report.find("a", href=reverse("capability_report:index"))
    assert report.find("a", href=reverse("capability_report:pdf"))
    assert all(
        card(response, other)[0] is None for other in ("home-team-gaps", "home-plans", "home-learning")
    )
    body = response.content.decode()
    assert not any(person.full_name in body for person in staff.values())


def test_overdue_as_a_filter_agrees_with_overdue_on_one_enrolment(alice, catalogue):
    made = [
        assign(alice, course_create(catalogue=catalogue), due=due, completed=completed)
        for due, completed in [
            (today() - dt.timedelta(days=1), False),
            (today(), False),
            (None, False),
            (today() - dt.timedelta(days=5), True),
        ]
    ]
    assert (
        {e.pk for e in made if e.is_overdue(today())}
        == set(Enrolment.objects.filter(Enrolment.overdue_on(today())).values_list("pk", flat=True))
        == {made[0].pk}
    )


def queries_for(client, user) -> int:
    client.force_login(user)
    client.get("/")  # the menu's answers and the plan's report are kept after the first page
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def grow_team(org, academic, competencies, course, page, count):
    for _ in range(count):
        member = EmployeeFactory(org_unit=org["data"], personnel_group=academic)
        LevelEvidenceFactory(
            employee=member, competency=competencies["A1.1"], level=1, source=Source.ASSESSMENT,
            observed_at=timezone.now() - dt.timedelta(days=5),
        )  # fmt: skip
        assign(member, course, due=today() - dt.timedelta(days=2))
        self_assessment_waiting(page, member)


def test_the_page_costs_the_same_queries_for_a_small_and_a_larger_team(
    client,
    alice,
    bob,
    hana,
    org,
    academic,
    competencies,
    targets,
    catalogue,
    plan,
    django_assert_max_num_queries,
):
    course = course_create(catalogue=catalogue)
    page = self_assessment_page_create(statements=[(competencies["A1.1"], "ก", "A")])
    assessment_page_create(competencies=[competencies["A1.1"]], title="Open test")
    grow_team(org, academic, competencies, course, page, 2)
    small = {"manager": queries_for(client, bob.user), "hr": queries_for(client, hana)}
    grow_team(org, academic, competencies, course, page, 15)
    for role, user in (("manager", bob.user), ("hr", hana)):
        client.force_login(user)
        client.get("/")
        with django_assert_max_num_queries(small[role]):
            response = client.get("/")
        assert response.status_code == 200
    assert "17 assignments overdue" in card(home(client, bob.user), "home-team-overdue")[1]


def test_an_editor_gets_the_administration_and_an_outsider_is_told_why_there_is_nothing(client, eddie, oscar):
    editor = home(client, eddie)
    assert card(editor, "home-admin")[0] is not None and card(editor, "home-learning")[0] is None
    outsider = home(client, oscar)
    assert "No staff profile is linked to your account yet" in outsider.content.decode()
    assert card(outsider, "home-admin")[0] is None
