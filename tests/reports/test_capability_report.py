"""Capability report figures against a small history computed by hand (see conftest.py)."""

import datetime as dt
import math

import pytest

from profiles.reports.capability import AT_RISK, MET, OFF_TRACK, ON_TRACK
from profiles.reports.selectors import capability_report
from skills_site.thai_calendar import fiscal_year_period

from .conftest import NOW


def rows(report, target_index=0):
    spec = report.specs[target_index]
    table = report.table[report.table["target_id"] == spec.id]
    return {
        (r.fiscal_year, r.quarter if r.quarter == r.quarter else None, r.period): r
        for r in table.itertuples()
    }


def years_between(earlier, later):
    return (later - earlier).total_seconds() / 86400 / 365.25


@pytest.fixture
def report(plan, history):
    return capability_report(plan, now=NOW, use_cache=False)


def test_year_end_figures_count_30_september_in_the_old_year_and_1_october_in_the_new(report):
    table = rows(report)
    baseline = table[(2566, None, "baseline")]
    assert (baseline.headcount, baseline.reached, baseline.actual_pct) == (5, 1, 20.0)  # Max only
    fy2567 = table[(2567, None, "year")]
    # Alice (30 Sep 23:30) and Max count; Bob's 1 Oct assessment belongs to FY2568.
    assert (fy2567.headcount, fy2567.reached, fy2567.actual_pct) == (5, 2, 40.0)
    assert (fy2567.target_pct, fy2567.needed, fy2567.gap_headcount) == (50.0, 3, 1)
    assert fy2567.status == OFF_TRACK  # the year is over and was missed
    fy2568 = table[(2568, None, "year")]
    assert (fy2568.reached, fy2568.actual_pct, fy2568.gap_headcount, fy2568.status) == (3, 60.0, 0, MET)


def test_self_rating_does_not_count_towards_a_target(report):
    # Dan rated himself 5 in June 2025 and has nothing else: he is not among those at level 3+.
    assert rows(report)[(2568, None, "year")].reached == 3
    technology = rows(report, 1)  # Dan is the whole population of the second target
    fy2568 = technology[(2568, None, "year")]
    assert (fy2568.headcount, fy2568.reached, fy2568.gap_headcount, fy2568.status) == (1, 0, 1, OFF_TRACK)


def test_running_year_and_future_year_are_forecast_from_the_trend_since_baseline(report):
    table = rows(report)
    running = table[(2569, None, "year")]
    assert running.to_date and running.as_of == NOW.date()
    assert (running.reached, running.actual_pct, running.needed, running.gap_headcount) == (3, 60.0, 4, 1)
    slope = (60.0 - 20.0) / years_between(fiscal_year_period(2566).end_datetime(), NOW)
    projected_2569 = 60.0 + slope * years_between(NOW, fiscal_year_period(2569).end_datetime())
    assert 75 <= projected_2569 < 80  # within 5 points of 80%: at risk
    assert running.status == AT_RISK
    future = table[(2570, None, "year")]
    assert math.isnan(future.actual_pct) and future.headcount != future.headcount
    assert (future.needed, future.gap_headcount) == (5, 2)  # 90% of 5 staff, 3 there now
    assert future.status == ON_TRACK
    quarter = table[(2569, 1, "quarter")]
    assert quarter.to_date and quarter.actual_pct == 60.0 and quarter.target_pct == 80.0


def test_transfer_counts_where_the_person_was_at_the_time_unless_switched_to_today(plan, history, org):
    at_time = capability_report(plan, now=NOW, unit_id=org["data"].pk, use_cache=False)
    fy2567 = rows(at_time)[(2567, None, "year")]
    assert (fy2567.headcount, fy2567.reached) == (3, 2)  # Alice, Bob and Max (then in Data)
    today = capability_report(plan, now=NOW, unit_id=org["data"].pk, structure="today", use_cache=False)
    fy2567_today = rows(today)[(2567, None, "year")]
    assert (fy2567_today.headcount, fy2567_today.reached) == (2, 1)  # Alice and Bob only


def test_breakdown_by_unit_gives_the_headcount_gap_per_unit(plan, history, org):
    report = capability_report(plan, now=NOW, use_cache=False)
    first = report.specs[0].id
    by_unit = report.by_unit[report.by_unit["target_id"] == first].set_index("group_id")
    # whole department rolls up by bureau: one bureau holds everybody at FY2569 (to date)
    bureau = by_unit.loc[org["bureau"].pk]
    assert (bureau.headcount, bureau.reached, bureau.needed, bureau.gap_headcount) == (5, 3, 4, 1)
    sections = capability_report(plan, now=NOW, unit_id=org["bureau"].pk, use_cache=False).by_unit
    sections = sections[sections["target_id"] == first].set_index("group_id")
    # Max moved to Service in March 2025, so at FY2569 he counts there.
    assert sections.loc[org["data"].pk, ["headcount", "reached"]].tolist() == [2, 2]
    assert sections.loc[org["service"].pk, ["headcount", "reached", "gap_headcount"]].tolist() == [3, 1, 2]


def test_breakdown_by_group_and_level_distribution(plan, history, academic, technology, competencies):
    report = capability_report(plan, now=NOW, use_cache=False)
    first = report.specs[0].id
    by_group = report.by_group[report.by_group["target_id"] == first].set_index("group_id")
    assert by_group.loc[academic.pk, ["headcount", "reached"]].tolist() == [4, 3]
    assert by_group.loc[technology.pk, ["headcount", "reached"]].tolist() == [1, 0]
    dist = report.distribution
    a11 = dist[(dist["fiscal_year"] == 2568) & (dist["competency"] == "A1.1")].set_index("level")["headcount"]
    # Carol 2 (course), Alice 3, Bob 3, Max 4; Dan self-rated only: no confirmed level.
    assert a11.to_dict() == {1: 0, 2: 1, 3: 2, 4: 1, 5: 0, 0: 1}
    assert dist[dist["fiscal_year"] == 2570].empty  # the future has no distribution


def test_report_is_cached_until_new_evidence_arrives(
    plan, history, competencies, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from profiles.competencies.services import evidence_record

    from .conftest import Source

    first = capability_report(plan, now=NOW)
    with django_assert_num_queries(4):  # the unit tree and target specs, then the cache hit
        again = capability_report(plan, now=NOW)
    assert again.table.equals(first.table)
    carol = history["carol"]
    with django_capture_on_commit_callbacks(execute=True):
        evidence_record(
        employee=carol, competency=competencies["A1.1"], level=3, source=Source.ASSESSMENT,
        observed_at=dt.datetime(2025, 11, 1, 9, tzinfo=NOW.tzinfo),
    )  # fmt: skip
    fresh = capability_report(plan, now=NOW)
    assert rows(fresh)[(2569, None, "year")].reached == 4


def test_a_leaver_counts_in_the_years_they_were_there(plan, history, org, academic, competencies):
    from profiles.factories import EmployeeFactory, LevelEvidenceFactory

    from .conftest import at

    leaver = EmployeeFactory(
        org_unit=org["data"], personnel_group=academic, is_active=False, end_date=dt.date(2025, 3, 31)
    )
    LevelEvidenceFactory(
        employee=leaver, competency=competencies["A1.1"], level=4, observed_at=at(2023, 6, 1)
    )
    EmployeeFactory(org_unit=org["data"], personnel_group=academic, is_active=False)  # no end date: left out
    table = rows(capability_report(plan, now=NOW, use_cache=False))
    assert (table[(2567, None, "year")].headcount, table[(2567, None, "year")].reached) == (6, 3)
    assert (table[(2568, None, "year")].headcount, table[(2568, None, "year")].reached) == (5, 3)
