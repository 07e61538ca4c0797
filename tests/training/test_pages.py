"""Training demand pages: what HR and heads of units see and assign, the annexes, bad input.

The world (conftest): 13 staff, none at any level; two targets for next year (NEXT); three priced courses,
none completed yet, so every success rate is the default 70%. Worked out by hand:

- T1 (A1.1 >= 3, whole department, 50% of 13): 7 must reach it: 10 seats at 70% (7.0 expected).
- T2 (A2.1 >= 2, Data section, 50% of 8): 4 must reach it: 6 seats (4.2).
- "Office and cyber" (1,500) counts for both for the 8 Data people. Six of them on it (9,000) meet T2 and
  give T1 4.2; four more T1 seats on "Office basics" (4 x 800 = 3,200) bring T1 to 7.0: 12,200 baht.
  Alternatives cost more: six "Cyber workshop" seats need two runs (2 x 5,000 + 6 x 200 = 11,200) plus
  ten "Office basics" seats (8,000); seven "Office and cyber" (10,500) plus three "Office basics"
  (2,400) is 12,900.
"""

from __future__ import annotations

import io
import re
from html import unescape

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from wagtail.models import ModelLogEntry

from courses.models import Enrolment
from profiles.competencies.services import evidence_record
from profiles.factories import CapabilityPlanFactory, EmployeeFactory, UserFactory
from profiles.models import HROfficerScope, LevelEvidence
from profiles.training import selectors as training_selectors
from profiles.training.solver import LIMIT, NO_SOLUTION, plan_training

from .conftest import NEXT

INDEX = reverse("training_demand:index")


@pytest.fixture
def hr_client(client, hana):
    client.force_login(hana)
    return client


@pytest.fixture
def english(client):
    """Pages (and messages built in the test) in English; Thai is the site's default."""
    from django.utils import translation

    client.cookies["skills_language"] = "en"
    with translation.override("en"):
        yield


def totals(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-total="(\w+)">([^<]+)<', html))


def page(client, **params) -> str:
    response = client.get(INDEX, params)
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_hr_sees_the_cheapest_plan_that_meets_both_targets(hr_client, world):
    html = page(hr_client)
    figures = totals(html)
    assert figures["cost"] == "12,200"
    assert figures["seats"] == "10"
    assert figures["people"] == "10"
    assert figures["targets_met"] == "2 / 2"
    assert "Office and cyber" in html and "Office basics" in html
    assert f"ปีงบประมาณ พ.ศ. {NEXT}" in html  # Thai by default, the fiscal year in B.E.
    data_people = {
        p.pk for name, p in world["staff"].items() if name in ("alice", "bob") or name.startswith("d")
    }
    assert not Enrolment.objects.exists()  # nothing is assigned by looking
    plan = training_selectors.training_plan(world["plan"], fiscal_year=NEXT, ceiling=None, now=timezone.now())
    people = plan.summary.people
    on_both = set(people[people["course_id"] == world["courses"]["both"].pk]["employee_id"])
    assert len(on_both) == 6 and on_both <= data_people


def test_the_annexes_hold_the_numbers_on_the_screen(hr_client, world, english):
    html = page(hr_client)
    shown = totals(html)
    workbook = openpyxl.load_workbook(io.BytesIO(hr_client.get(reverse("training_demand:xlsx")).content))
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(min_row=2, values_only=True)}
    assert f"{summary['Cost (baht)']:,.0f}" == shown["cost"] == "12,200"
    assert str(summary["Seats"]) == shown["seats"]
    assert str(summary["People to train"]) == shown["people"]
    courses = {row[0]: row for row in workbook["Courses"].iter_rows(min_row=2, values_only=True)}
    assert courses["Office and cyber"][2] == 6 and courses["Office and cyber"][9] == 9000
    assert courses["Office basics"][2] == 4 and courses["Office basics"][9] == 3200
    table = html[html.index('data-table="courses"') :]
    for title, seats, cost in (("Office and cyber", 6, "9,000"), ("Office basics", 4, "3,200")):
        row = re.search(rf"<td>{title}.*?</tr>", table, re.S).group(0)
        assert f">{seats}<" in row and f">{cost}<" in row
    targets = {row[0]: row for row in workbook["Targets"].iter_rows(min_row=2, values_only=True)}
    assert targets["Department at level 3"][8] == 7 and targets["Data section at level 2"][8] == 4
    people = list(workbook["People"].iter_rows(min_row=2, values_only=True))
    assert len(people) == 10
    pdf = hr_client.get(reverse("training_demand:pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "ความต้องการการฝึกอบรมและงบประมาณ" in text  # the annex is in Thai whatever the page's language
    assert f"ปีงบประมาณ พ.ศ. {NEXT}" in text
    assert "12,200" in text and "9,000" in text and "3,200" in text
    assert "กรมตัวอย่าง" in text  # the department
    assert re.search(r"หน้า 1 จาก \d", text)  # page numbers


def test_a_formula_in_a_course_title_stays_text_in_the_workbook(hr_client, world, english):
    course = world["courses"]["office"]
    course.title = "=HYPERLINK(1)"
    course.save()
    workbook = openpyxl.load_workbook(io.BytesIO(hr_client.get(reverse("training_demand:xlsx")).content))
    titles = [row[0] for row in workbook["Courses"].iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(1)" in titles


def test_a_budget_ceiling_closes_what_it_can_and_shows_the_status_with_and_without(hr_client, world, english):
    """5,000 baht: three "Office and cyber" seats (4,500) close 2.1 of T1 and 2.1 of T2; the 500 left
    buys nothing. Both targets stay short: T1 by 4.9, T2 by 1.9."""
    html = page(hr_client, ceiling="5,000")
    figures = totals(html)
    assert figures["cost"] == "4,500"
    assert "Within the ceiling, Department at level 3 stays short by 4.9 people." in html
    assert "Within the ceiling, Data section at level 2 stays short by 1.9 people." in html
    assert "Without the plan" in html and "With the plan" in html
    chart = hr_client.get(reverse("training_demand:chart"), {"ceiling": "5000"})
    assert chart["Content-Type"] == "image/png" and chart.content[:4] == b"\x89PNG"


def test_a_ceiling_below_the_cheapest_course_says_so(hr_client, world, english):
    html = page(hr_client, ceiling="700")
    assert "below the cheapest course that could lift a candidate (800 baht" in html
    assert totals(html)["cost"] == "0"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"ceiling": "-100"}, "A budget ceiling cannot be negative."),
        ({"ceiling": "lots"}, "Enter the ceiling in baht"),
        ({"ceiling": "99999999999"}, "More than ten billion baht"),
        (
            {"fiscal_year": str(NEXT - 5)},
            "A training plan is made for a fiscal year of the plan that is not over",
        ),
        ({"fiscal_year": "abc"}, "Enter a whole number."),
        ({"plan": "99999"}, "There is no such active plan."),
    ],
)
def test_bad_choices_are_refused_with_a_message_and_no_figures(hr_client, world, english, params, message):
    html = page(hr_client, **params)
    assert message in html
    assert 'data-total="cost"' not in html


def test_a_plan_with_no_fiscal_year_ahead_is_refused(hr_client, world, english, framework):
    old = CapabilityPlanFactory(
        code="OLD", name_en="Old plan", framework=framework, first_fiscal_year=2560, last_fiscal_year=2565
    )
    html = page(hr_client, plan=old.pk)
    assert "Old plan has no fiscal year ahead: it ended with FY2565." in html
    assert 'data-total="cost"' not in html


def test_a_target_no_course_can_lift_is_said_per_target(hr_client, world, english, competencies):
    target = world["plan"].targets.get(min_level=2)
    target.competency = competencies["A1.2"]  # no course evidences A1.2
    target.save()
    html = page(hr_client)
    assert (
        "Data section at level 2 cannot be met by training: no live course evidences level 2 in A1.2." in html
    )
    assert "It stays short by 4.0 people." in html


def test_a_time_out_shows_the_best_plan_found_and_its_gap(hr_client, world, english, monkeypatch):
    """The solver's own time-out path is tested in test_solver; here the page's side of it."""

    def stopped(data, **options):
        found = plan_training(data, **options)
        found.status, found.gap = LIMIT, 0.0312
        return found

    monkeypatch.setattr(training_selectors, "plan_training", stopped)
    html = page(hr_client)
    assert "The planner stopped at its time limit before proving this plan the best" in html
    assert "within 3.1% of the bound no plan can beat" in html
    assert totals(html)["cost"] == "12,200"


def test_assigning_the_plan_is_a_dry_run_first_then_once(
    hr_client, world, english, django_capture_on_commit_callbacks
):
    url = reverse("training_demand:assign")
    dry = hr_client.get(url)
    assert dry.status_code == 200
    body = dry.content.decode()
    assert "Dry run: nothing has been assigned yet." in body
    assert not Enrolment.objects.exists()
    fingerprint = re.search(r'name="fingerprint" value="(\w+)"', body).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        done = hr_client.post(url, {"fingerprint": fingerprint}, follow=True)
    assert "Training plan assigned: 10 new assignments" in done.content.decode()
    enrolments = Enrolment.objects.all()
    assert enrolments.count() == 10
    assert all(e.assigned_by == world["hana"] and e.due_date and not e.completed_at for e in enrolments)
    due = {e.due_date for e in enrolments}
    assert all(d.month in (12, 3, 6, 9) for d in due) and len(due) > 1  # spread over the quarters
    entry = ModelLogEntry.objects.get(action="profiles.training_plan_assign")
    assert entry.data["created"] == 10 and entry.data["fiscal_year"] == NEXT
    # the same dry run posted again (a double click): nothing new, and the user is told
    again = hr_client.post(url, {"fingerprint": fingerprint}, follow=True)
    assert "This dry run had already been assigned" in again.content.decode()
    assert Enrolment.objects.count() == 10
    # the plan now counts them in training: nothing more to assign
    html = page(hr_client)
    assert totals(html)["seats"] == "0"


def test_a_stale_dry_run_assigns_nothing(hr_client, world, english):
    response = hr_client.post(reverse("training_demand:assign"), {"fingerprint": "0" * 32}, follow=True)
    assert "The plan has changed since your dry run" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_a_head_of_unit_sees_and_assigns_only_their_units_share(client, world, bob, carol, english):
    staff = world["staff"]
    data_ids = {staff[n].pk for n in ("alice", "d1", "d2", "d3", "d4", "d5", "d6")}
    client.force_login(bob.user)
    team = client.get(reverse("profiles:my_team"))
    assert "See and assign your units' share" in unescape(team.content.decode())
    url = reverse("profiles:my_team_training")
    body = client.get(url).content.decode()
    assert "Service1" not in body and "Service2" not in body
    fingerprint = re.search(r'name="fingerprint" value="(\w+)"', body).group(1)
    client.post(url, {"fingerprint": fingerprint})
    assigned = set(Enrolment.objects.values_list("employee_id", flat=True))
    assert assigned and assigned <= data_ids  # only Data, and never Bob himself
    assert ModelLogEntry.objects.filter(action="profiles.training_plan_assign", user_id=bob.user_id).exists()
    # Carol's share (Service) is hers to assign: Bob's page never offers it
    client.force_login(carol.user)
    body = client.get(url).content.decode()
    assert "Data1" not in body


def test_my_team_shows_the_share_as_last_worked_out_and_never_works_it_out(
    client, world, bob, competencies, english, monkeypatch, django_capture_on_commit_callbacks
):
    def card() -> str:
        response = client.get(reverse("profiles:my_team"))
        found = BeautifulSoup(response.content, "html.parser").find(attrs={"data-training-share": True})
        return " ".join(found.get_text(" ").split())

    client.force_login(bob.user)
    assert "has not been worked out yet" in card()
    client.get(reverse("profiles:my_team_training"))  # the training page works it out
    plan = training_selectors.training_plan(world["plan"], fiscal_year=NEXT, ceiling=None, now=timezone.now())
    people = plan.summary.people
    mine = people[people["org_unit_id"] == bob.org_unit_id]
    assert len(mine) > 0
    text = card()
    assert (
        f"{mine['employee_id'].nunique()} people in your units are planned for {len(mine)} course places"
        in text
    )
    assert "As worked out on" in text and "recorded since" not in text

    def no_solving(*args, **kwargs):
        raise AssertionError("My team must not solve the training plan")

    monkeypatch.setattr(training_selectors, "solve_plan", no_solving)
    with django_capture_on_commit_callbacks(execute=True):
        evidence_record(
            employee=world["staff"]["alice"],
            competency=competencies["A1.1"],
            level=3,
            source=LevelEvidence.Source.ASSESSMENT,
            observed_at=timezone.now(),
        )
    text = card()
    assert "Evidence has been recorded since" in text and f"{len(mine)} course places" in text


def test_an_hr_officer_of_one_section_sees_its_share_only(client, world, org, english):
    from django.contrib.auth.models import Group

    from profiles.organisation.roles import HR_GROUP

    sara = UserFactory(username="sara")
    sara.groups.add(Group.objects.get(name=HR_GROUP))
    HROfficerScope.objects.create(user=sara, org_unit=org["service"])
    client.force_login(sara)
    html = page(client)
    assert "Your units' share" in html
    plan = training_selectors.training_plan(world["plan"], fiscal_year=NEXT, ceiling=None, now=timezone.now())
    service = plan.summary.people[plan.summary.people["org_unit_id"] == org["service"].pk]
    assert totals(html)["seats"] == str(len(service))


@pytest.mark.parametrize("who", ["employee", "committee", "editor"])
def test_others_are_refused(client, world, alice, eddie, who):
    from django.contrib.auth.models import Group

    from profiles.organisation.roles import COMMITTEE_GROUP

    if who == "committee":
        user = UserFactory(username="cora")
        user.groups.add(Group.objects.get(name=COMMITTEE_GROUP))
    else:
        user = alice.user if who == "employee" else eddie
    client.force_login(user)
    for name in ("index", "xlsx", "pdf", "chart", "assign"):
        response = client.get(reverse(f"training_demand:{name}"))
        assert response.status_code in (302, 403), name
        assert (
            response.status_code == 403
            or "/admin/" in response["Location"]
            or "login" in response["Location"]
        )
    assert client.get(reverse("profiles:my_team_training")).status_code == 403


def test_the_page_runs_as_many_queries_for_a_larger_department(
    hr_client, world, org, academic, django_assert_max_num_queries
):
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(200) as small:
        page(hr_client)
    for n in range(20):
        EmployeeFactory(
            user=UserFactory(username=f"more{n}"), org_unit=org["service"], personnel_group=academic
        )
    cache.clear()
    with django_assert_max_num_queries(len(small.captured_queries)):
        page(hr_client)
    with django_assert_max_num_queries(len(small.captured_queries)):
        hr_client.get(reverse("training_demand:xlsx"))


def test_a_target_that_training_every_candidate_cannot_meet_says_how_far_it_falls_short(
    hr_client, world, english
):
    """T2 at 100% of the Data section: 8 must reach level 2; its 8 candidates at a 70% success rate are
    expected to bring 5.6 even if all are trained: the plan trains all 8 and T2 stays 2.4 short."""
    target = world["plan"].targets.get(min_level=2)
    target.values.update(value=100)
    html = page(hr_client)
    assert (
        "Data section at level 2 cannot be met even if every candidate is trained: 8.0 more people must "
        "reach the level, and training all 8 candidates is expected to bring 5.6." in html
    )
    assert "the target stays short by 2.4 people" in html
    plan = training_selectors.training_plan(world["plan"], fiscal_year=NEXT, ceiling=None, now=timezone.now())
    row = plan.summary.by_target.set_index("target_id").loc[target.pk]
    assert row.planned == 8 and row.status_with_plan != "met"


def test_the_team_page_runs_as_many_queries_for_a_larger_team(
    client, world, bob, org, academic, django_assert_max_num_queries
):
    from django.core.cache import cache

    client.force_login(bob.user)
    url = reverse("profiles:my_team_training")
    cache.clear()
    with django_assert_max_num_queries(200) as small:
        assert client.get(url).status_code == 200
    for n in range(15):
        EmployeeFactory(user=UserFactory(username=f"team{n}"), org_unit=org["data"], personnel_group=academic)
    cache.clear()
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_no_plan_within_the_time_limit_is_said_and_nothing_is_offered_to_assign(
    hr_client, world, english, monkeypatch
):
    def nothing_found(data, **options):
        found = plan_training(data, **options)
        found.status = NO_SOLUTION
        found.assignments = found.assignments.iloc[0:0]
        found.counted = found.counted.iloc[0:0]
        return found

    monkeypatch.setattr(training_selectors, "plan_training", nothing_found)
    html = page(hr_client)
    assert "The planner found no plan within its time limit (20 s)." in html
    assert "cannot close it" not in html
    assert reverse("training_demand:assign") not in html
