"""What a target still needs at the year's end: leavers, confirmed levels, people in training, and
success rates measured from the evidence log."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from django.utils import timezone

from courses.factories import EnrolmentFactory, course_create
from courses.services import course_complete
from profiles.factories import EmployeeFactory, LevelEvidenceFactory, UserFactory
from profiles.models import LevelEvidence
from profiles.reports.capability import TargetSpec
from profiles.training.demand import (
    completes_years,
    retirement_day,
    staff_at_year_end,
    success_rates,
    target_demand,
)
from profiles.training.selectors import training_demand, training_plan
from skills_site.thai_calendar import fiscal_year_period

from .conftest import NEXT

Source = LevelEvidence.Source


def test_a_civil_servant_retires_at_the_end_of_the_fiscal_year_in_which_they_turn_60():
    # born 15 March 1967: 60 on 14 March 2027 (FY2570) -> retires 30 September 2027
    assert retirement_day(dt.date(1967, 3, 15)) == dt.date(2027, 9, 30)
    # born 2 October 1966: completes 60 on 1 October 2026, the first day of FY2570 -> 30 September 2027
    assert retirement_day(dt.date(1966, 10, 2)) == dt.date(2027, 9, 30)
    # born 1 October 1966: completes 60 on 30 September 2026 (Thai counting) -> a year earlier
    assert completes_years(dt.date(1966, 10, 1), 60) == dt.date(2026, 9, 30)
    assert retirement_day(dt.date(1966, 10, 1)) == dt.date(2026, 9, 30)
    # born 29 February 1968: 60th birthday 29 February 2028, completes 60 the day before -> FY2571
    assert retirement_day(dt.date(1968, 2, 29)) == dt.date(2028, 9, 30)
    assert completes_years(dt.date(1964, 2, 29), 60) == dt.date(2024, 2, 28)
    # in a common year a 29 February birthday falls on 1 March
    assert completes_years(dt.date(1964, 2, 29), 61) == dt.date(2025, 2, 28)
    assert completes_years(dt.date(1963, 2, 28), 61) == dt.date(2024, 2, 27)


def spec(**values) -> TargetSpec:
    defaults = dict(
        id=1,
        label="T",
        competency_id=100,
        competency_code="A",
        min_level=3,
        unit_ids=None,
        group_ids=None,
        population_label="All",
        baseline_fiscal_year=2566,
        baseline_value=None,
        values={(2571, None): 80.0},
    )
    defaults.update(values)
    return TargetSpec(**defaults)


def staff(rows) -> pd.DataFrame:
    return pd.DataFrame(
        rows,
        columns=["employee_id", "org_unit_id", "personnel_group_id", "start_date", "end_date", "birth_date"],
    )


def test_known_leavers_leave_the_headcount_and_those_at_the_level_are_counted_out():
    """Ten staff in the population; FY2571 ends on 30 Sep 2028; target 80% at level 3.

    Leaving by then: e9 (contract ends 31 Mar 2028) and e10 (born 10 May 1968: 60 in May 2028, retires
    30 Sep 2028, the year's last day). e8's contract ends on 1 Oct 2028: still there at the year's end.
    e11 starts on 1 Nov 2028, after the year: not counted. Staying: e1-e8, headcount 8, needed
    ceil(0.8 x 8) = 7. At level 3 now: e1, e2 and e9 (a leaver), with confirmed levels; e3 rests on a
    self-assessment, so it is not in the levels. Reached 2, still to reach 5. e4 is enrolled in the course
    (success rate 0.5): in training, 0.5 expected; shortfall 4.5. Candidates: e3, e5, e6, e7, e8 (e10
    leaves), nearest first: e5 at level 2, then the others by id.
    """
    start = dt.date(2020, 1, 1)
    frame = staff(
        [(n, 1, 1, start, None, None) for n in range(1, 8)]
        + [
            (8, 1, 1, start, dt.date(2028, 10, 1), None),
            (9, 1, 1, start, dt.date(2028, 3, 31), None),
            (10, 1, 1, start, None, dt.date(1968, 5, 10)),
            (11, 1, 1, dt.date(2028, 11, 1), None, None),
        ]
    )
    levels = pd.DataFrame(
        [(1, 100, 3), (2, 100, 4), (9, 100, 3), (5, 100, 2)],
        columns=["employee_id", "competency_id", "level"],
    )
    courses = pd.DataFrame(
        [(7, "Course", "th", "self_paced", False, 500.0, 0.0, None, 6.0)],
        columns=[
            "course_id",
            "title",
            "language",
            "mode",
            "run_based",
            "cost_per_seat",
            "cost_per_run",
            "seats_per_run",
            "hours",
        ],
    )
    rates = success_rates(
        pd.DataFrame([(7, 100, 3)], columns=["course_id", "competency_id", "level"]),
        pd.DataFrame(columns=["course_id", "competency_id", "employee_id", "reached"]),
        default_rate=0.5,
    )
    demand = target_demand(
        specs=[spec()],
        fiscal_year=2571,
        staff=frame,
        levels=levels,
        courses=courses,
        course_rates=rates,
        prerequisites=pd.DataFrame(columns=["course_id", "prerequisite_id"]),
        enrolments=pd.DataFrame([(4, 7, None)], columns=["employee_id", "course_id", "completed_at"]),
        staff_hour_cost=0.0,
    )
    row = demand.targets.iloc[0]
    assert (row.headcount, row.leavers, row.needed, row.reached, row.gap) == (8, 2, 7, 2, 5)
    assert (row.in_training, row.in_training_expected, row.shortfall) == (1, 0.5, 4.5)
    assert demand.candidates["employee_id"].tolist() == [5, 3, 6, 7, 8]
    assert row.achievable == pytest.approx(2.5)  # five candidates at 0.5: the target cannot be met
    by_year = staff_at_year_end(frame, 2571).set_index("employee_id")
    assert by_year.loc[10, "leaves_on"] == fiscal_year_period(2571).end
    assert by_year.loc[10, "leaves_because"] == "retirement"
    assert not by_year.loc[10, "stays"] and by_year.loc[8, "stays"] and not by_year.loc[11, "started"]


def test_the_thai_and_english_editions_of_a_course_count_as_one():
    """Someone who completed the Thai edition (same competencies and levels) is not planned on the English."""
    frame = staff([(1, 1, 1, dt.date(2020, 1, 1), None, None)])
    courses = pd.DataFrame(
        [
            (7, "หลักสูตร", "th", "self_paced", False, 500.0, 0.0, None, 6.0),
            (8, "Course", "en", "self_paced", False, 500.0, 0.0, None, 6.0),
        ],
        columns=[
            "course_id",
            "title",
            "language",
            "mode",
            "run_based",
            "cost_per_seat",
            "cost_per_run",
            "seats_per_run",
            "hours",
        ],
    )
    levels = pd.DataFrame([(7, 100, 3), (8, 100, 3)], columns=["course_id", "competency_id", "level"])
    rates = success_rates(
        levels,
        pd.DataFrame(columns=["course_id", "competency_id", "employee_id", "reached"]),
        default_rate=0.7,
    )
    demand = target_demand(
        specs=[spec()],
        fiscal_year=2571,
        staff=frame,
        levels=pd.DataFrame(columns=["employee_id", "competency_id", "level"]),
        courses=courses,
        course_rates=rates,
        prerequisites=pd.DataFrame(columns=["course_id", "prerequisite_id"]),
        enrolments=pd.DataFrame(
            [(1, 7, timezone.now())], columns=["employee_id", "course_id", "completed_at"]
        ),
        staff_hour_cost=0.0,
    )
    assert set(demand.planner_input.taken["course_id"]) == {7, 8}
    assert demand.targets.iloc[0].achievable == 0


def test_an_untried_course_is_assumed_no_better_than_the_worst_tried_one():
    course_levels = pd.DataFrame(
        [(1, 100, 3), (2, 100, 3), (3, 100, 3), (4, 200, 2)], columns=["course_id", "competency_id", "level"]
    )
    outcomes = pd.DataFrame(
        [(1, 100, e, e < 18) for e in range(20)]
        + [(2, 100, e, e < 12) for e in range(20)]
        + [(3, 100, 0, True)],
        columns=["course_id", "competency_id", "employee_id", "reached"],
    )
    rates = success_rates(course_levels, outcomes, default_rate=0.7).set_index("course_id")
    assert rates.loc[1, "success_rate"] == pytest.approx(0.9) and rates.loc[1, "source"] == "measured"
    assert rates.loc[2, "success_rate"] == pytest.approx(0.6)
    assert rates.loc[3, "success_rate"] == pytest.approx(0.6) and rates.loc[3, "source"] == "like_courses"
    assert rates.loc[4, "success_rate"] == pytest.approx(0.7) and rates.loc[4, "source"] == "default"


@pytest.mark.parametrize(
    ("completers", "failing", "expected_rate", "seats"),
    [
        # 25 completers, 5 held at level 2 by a later assessment: 20 / 25 = 80%; 4 more people -> 5 seats
        (25, 5, 0.8, 5),
        # 19 completers is too few to measure: the default 70% -> 4 / 0.7 = 5.7 -> 6 seats
        (19, 4, 0.7, 6),
    ],
)
def test_success_rates_come_from_the_evidence_six_months_after_completion(
    org, academic, competencies, catalogue, training_plan_model, completers, failing, expected_rate, seats
):
    """A course that evidences A1.1 at level 3, completed ten months ago by ``completers`` people (each
    completion records course evidence at level 3). For ``failing`` of them an assessment a week later
    says level 2, and an assessment outranks a course: six months on they are below the level.

    The plan's T1 (A1.1 >= 3, whole department) then asks 50% for next year. Staff: the completers and
    eight newcomers without evidence. Done as the assertions say: the target's need is set so that four
    more people must reach the level, and the plan buys ``seats`` seats of the course for newcomers.
    """
    a11 = competencies["A1.1"]
    course = course_create(catalogue=catalogue, title="Office", competencies=[(a11, 3)], cost_per_seat=500)
    done_at = timezone.now() - dt.timedelta(days=300)
    people = []
    for n in range(completers):
        person = EmployeeFactory(
            user=UserFactory(username=f"c{n}"), org_unit=org["data"], personnel_group=academic
        )
        enrolment = EnrolmentFactory(
            employee=person, course=course, enrolled_at=done_at - dt.timedelta(days=7)
        )
        course_complete(enrolment=enrolment, now=done_at)
        if n < failing:
            LevelEvidenceFactory(
                employee=person,
                competency=a11,
                level=2,
                source=Source.ASSESSMENT,
                observed_at=done_at + dt.timedelta(days=7),
            )
        people.append(person)
    newcomers = [
        EmployeeFactory(user=UserFactory(username=f"n{n}"), org_unit=org["data"], personnel_group=academic)
        for n in range(8)
    ]
    reached = completers - failing
    headcount = completers + len(newcomers)
    # the share that makes ceil(share x headcount) = reached + 4
    target = training_plan_model.targets.get(min_level=3)
    share = round(100 * (reached + 3.5) / headcount, 2)
    target.values.filter(fiscal_year=NEXT).update(value=share)
    needs = training_demand(training_plan_model, fiscal_year=NEXT, now=timezone.now(), use_cache=False)
    rate = needs.rates.set_index("course_id").loc[course.pk]
    assert rate["completions"] == completers and rate["successes"] == reached
    assert rate["success_rate"] == pytest.approx(expected_rate)
    row = needs.demand.targets.set_index("target_id").loc[target.pk]
    assert (row.headcount, row.reached, row.gap) == (headcount, reached, 4)
    plan = training_plan(
        training_plan_model, fiscal_year=NEXT, ceiling=None, now=timezone.now(), use_cache=False
    )
    planned = plan.summary.people
    assert len(planned) == seats
    assert set(planned["employee_id"]) <= {p.pk for p in newcomers}


def test_a_self_rated_level_does_not_count_and_an_open_enrolment_is_in_training(
    staff, competencies, training_plan_model, priced_courses
):
    """T1 (A1.1 >= 3, 50% of 13 staff: 7 needed). d1 rates herself 4: not counted. d2 has an assessment
    at 3: counted. d3 is enrolled in "Office basics" (default rate 70%): in training, not a candidate.
    Still to reach 6; shortfall 6 - 0.7 = 5.3; candidates 13 - 1 (d2) - 1 (d3) = 11."""
    a11 = competencies["A1.1"]
    now = timezone.now()
    LevelEvidenceFactory(
        employee=staff["d1"],
        competency=a11,
        level=4,
        source=Source.SELF_ASSESSMENT,
        observed_at=now - dt.timedelta(days=10),
    )
    LevelEvidenceFactory(
        employee=staff["d2"],
        competency=a11,
        level=3,
        source=Source.ASSESSMENT,
        observed_at=now - dt.timedelta(days=10),
    )
    EnrolmentFactory(employee=staff["d3"], course=priced_courses["office"])
    needs = training_demand(training_plan_model, fiscal_year=NEXT, now=now, use_cache=False)
    row = needs.demand.targets.set_index("target").loc["ทั้งกรมระดับ 3"]
    assert (row.needed, row.reached, row.gap, row.in_training) == (7, 1, 6, 1)
    assert row.shortfall == pytest.approx(5.3)
    assert row.candidates == 11
    candidates = needs.demand.candidates
    assert staff["d1"].pk in set(candidates["employee_id"])
    assert staff["d3"].pk not in set(candidates[candidates["target_id"] == row.target_id]["employee_id"])
