"""Where the courses and assessments apps meet the reports: gaps to courses, completion and pass rates."""

import datetime as dt

import pandas as pd
import pytest
from django.urls import reverse
from django.utils import timezone

from courses.factories import EnrolmentFactory, catalogue_create, course_create
from profiles.factories import LevelEvidenceFactory
from profiles.reports.learning import learning_by_fiscal_year
from skills_site.thai_calendar import BANGKOK


@pytest.fixture
def courses(competencies):
    catalogue = catalogue_create(title="คลังหลักสูตร", slug="courses")
    return {
        "cyber": course_create(
            catalogue=catalogue, title="ไซเบอร์ขั้นต้น", competencies=[(competencies["A2.1"], 2)]
        ),
        "too_low": course_create(
            catalogue=catalogue, title="Data basics", competencies=[(competencies["A1.2"], 1)]
        ),
        "data": course_create(
            catalogue=catalogue, title="Data for analysts", competencies=[(competencies["A1.2"], 3)]
        ),
        "draft": course_create(
            catalogue=catalogue, title="Unpublished", live=False, competencies=[(competencies["A2.1"], 4)]
        ),
    }


@pytest.fixture
def gaps(alice, competencies, targets):
    when = timezone.now() - dt.timedelta(days=30)
    LevelEvidenceFactory(employee=alice, competency=competencies["A1.1"], level=3, observed_at=when)
    LevelEvidenceFactory(employee=alice, competency=competencies["A2.1"], level=1, observed_at=when)


def test_team_page_lists_live_courses_that_close_each_gap_with_assign_links(
    client, bob, alice, gaps, courses
):
    client.force_login(bob.user)
    response = client.get(reverse("profiles:my_team"))
    needs = {n["competency"].code: [c.title for c in n["courses"]] for n in response.context["team"].needs}
    assert needs == {"A2.1": ["ไซเบอร์ขั้นต้น"], "A1.2": ["Data for analysts"]}
    assert reverse("courses:assign", args=[courses["cyber"].pk]) in response.content.decode()


def test_my_skills_recommends_courses_for_gaps_but_not_completed_ones(client, alice, gaps, courses):
    EnrolmentFactory(employee=alice, course=courses["data"], completed_at=timezone.now())
    client.force_login(alice.user)
    recommended = client.get(reverse("profiles:my_skills")).context["recommended"]
    assert [item["title"] for item in recommended] == ["ไซเบอร์ขั้นต้น"]


def at(year, month, day):
    return dt.datetime(year, month, day, 12, tzinfo=BANGKOK)


def test_completion_and_pass_rates_per_fiscal_year_by_hand():
    enrolments = pd.DataFrame(
        {
            "enrolled_at": [at(2024, 9, 30), at(2024, 10, 1), at(2024, 11, 5), at(2025, 2, 1)],
            "completed_at": [at(2024, 10, 3), at(2024, 12, 1), pd.NaT, at(2025, 10, 2)],
        }
    )
    attempts = pd.DataFrame(
        {"submitted_at": [at(2024, 9, 30), at(2025, 1, 1), at(2025, 3, 1)], "passed": [True, False, True]}
    )
    table = learning_by_fiscal_year(enrolments, attempts, [2567, 2568, 2569]).set_index("fiscal_year")
    # FY2567 ends 30 Sep 2024: one enrolment (completed since), one passed attempt
    assert table.loc[2567].tolist() == [1, 1, 100.0, 0, 1, 1, 100.0]
    # FY2568: enrolled 1 Oct (done 1 Dec), 5 Nov (open), 1 Feb (done 2 Oct 2025, in FY2569)
    assert table.loc[2568, ["enrolments", "completed_of_those", "completions_in_year"]].tolist() == [3, 2, 2]
    assert table.loc[2568, "completion_pct"] == pytest.approx(66.7)
    assert table.loc[2568, ["attempts", "passed", "pass_pct"]].tolist() == [2, 1, 50.0]
    assert table.loc[2569, ["enrolments", "completions_in_year", "attempts"]].tolist() == [0, 1, 0]


def test_learning_tab_shows_and_exports_the_rates(client, hana, plan, alice, courses):
    EnrolmentFactory(
        employee=alice, course=courses["cyber"], enrolled_at=at(2024, 11, 1), completed_at=at(2024, 12, 1)
    )
    client.force_login(hana)
    response = client.get(reverse("capability_report:learning") + f"?plan={plan.pk}")
    rows = {r["fiscal_year"]: r for r in response.context["object_list"]}
    assert rows[2568]["enrolments"] == 1 and rows[2568]["completion_pct"] == 100.0
    export = client.get(reverse("capability_report:learning") + f"?plan={plan.pk}&export=csv")
    assert "2568,1,1,100.0,1,0,0," in b"".join(export.streaming_content).decode()
