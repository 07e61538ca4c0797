"""How results combine (the level policy's methods) against hand-worked histories, and the open
questions the policy answers: the validity boundary, ties, and what one more result can change."""

import datetime as dt

import pytest

from profiles.competencies.levels import current_levels, decide, level_timeline, what_a_result_can_change
from profiles.factories import LevelEvidenceFactory
from profiles.models import LevelEvidence
from skills_site.thai_calendar import BANGKOK

Source = LevelEvidence.Source


def day(n, hour=10):
    """Day n of a history starting on 1 Jan 2025 (day 1), Bangkok time."""
    return dt.datetime(2025, 1, 1, hour, tzinfo=BANGKOK) + dt.timedelta(days=n - 1)


@pytest.fixture
def office(competencies):
    return competencies["A1.1"]


@pytest.fixture
def thirty_days(settings):
    settings.LEVEL_EVIDENCE_VALID_DAYS = {key: 30 for key in settings.LEVEL_EVIDENCE_VALID_DAYS}


def record(employee, competency, level, source, when):
    return LevelEvidenceFactory(
        employee=employee, competency=competency, level=level, source=source, observed_at=when
    )


def level_on(employee, competency, moment):
    found = current_levels(employee, as_of=moment).get(competency.id)
    return (found.level, found.method) if found else None


def test_highest_within_validity(alice, office, thirty_days):
    record(alice, office, 3, Source.ASSESSMENT, day(1))
    record(alice, office, 5, Source.ASSESSMENT, day(10))
    record(alice, office, 2, Source.ASSESSMENT, day(20))
    assert level_on(alice, office, day(25)) == (5, "highest")  # the 2 does not erase the 5
    # day 10 + 30 days: the 5 no longer counts from 00:00 on day 40; the 3 expired on day 31
    assert level_on(alice, office, day(39, hour=23)) == (5, "highest")
    assert level_on(alice, office, day(40, hour=0)) == (2, "highest")
    assert level_on(alice, office, day(50, hour=0)) is None


def test_a_manager_review_can_lower_and_later_tests_raise_but_never_lower(alice, office):
    record(alice, office, 5, Source.ASSESSMENT, day(1))
    review = record(alice, office, 3, Source.MANAGER_REVIEW, day(5))
    assert level_on(alice, office, day(6)) == (3, "most_recent")
    record(alice, office, 2, Source.ASSESSMENT, day(10))  # a bad day after the review
    level = current_levels(alice, as_of=day(11))[office.id]
    assert (level.level, level.deciding.id) == (3, review.id)
    shown = record(alice, office, 4, Source.ASSESSMENT, day(20))
    level = current_levels(alice, as_of=day(21))[office.id]
    assert (level.level, level.deciding.id, level.method) == (4, shown.id, "highest")


def test_decaying_average_as_canvas_defines_it(alice, office, settings):
    settings.LEVEL_COMBINATION_METHODS = {
        **settings.LEVEL_COMBINATION_METHODS,
        "assessment": "decaying_average",
    }
    settings.LEVEL_DECAYING_AVERAGE_WEIGHT = 65
    record(alice, office, 4, Source.ASSESSMENT, day(1))
    assert level_on(alice, office, day(2)) == (4, "decaying_average")
    record(alice, office, 2, Source.ASSESSMENT, day(3))
    assert level_on(alice, office, day(4))[0] == 3  # 0.65 x 2 + 0.35 x 4 = 2.7 -> 3
    record(alice, office, 5, Source.ASSESSMENT, day(5))
    assert level_on(alice, office, day(6))[0] == 4  # 0.65 x 5 + 0.35 x 2.7 = 4.195 -> 4
    record(alice, office, 1, Source.ASSESSMENT, day(7))
    assert level_on(alice, office, day(8))[0] == 2  # 0.65 x 1 + 0.35 x 4.195 = 2.118 -> 2


def test_most_recent_for_every_source(alice, office, settings):
    settings.LEVEL_COMBINATION_METHODS = {key: "most_recent" for key in settings.LEVEL_COMBINATION_METHODS}
    record(alice, office, 5, Source.ASSESSMENT, day(1))
    record(alice, office, 2, Source.ASSESSMENT, day(2))
    assert level_on(alice, office, day(3)) == (2, "most_recent")


def test_the_last_day_of_validity_counts_whole_in_bangkok(alice, office):
    # observed 1 Oct 2024 at 10:00; 365 days of validity: through 30 Sep 2025, not on 1 Oct 2025
    record(alice, office, 2, Source.SELF_ASSESSMENT, dt.datetime(2024, 10, 1, 10, tzinfo=BANGKOK))
    assert level_on(alice, office, dt.date(2025, 9, 30)) == (2, "most_recent")
    assert level_on(alice, office, dt.datetime(2025, 10, 1, 0, 0, tzinfo=BANGKOK)) is None


def test_ties_follow_the_recording_time_then_the_id(alice, office):
    when = day(3)
    first = record(alice, office, 4, Source.MANAGER_REVIEW, when)
    second = record(alice, office, 2, Source.MANAGER_REVIEW, when)
    assert second.recorded_at >= first.recorded_at
    level = current_levels(alice, as_of=day(4))[office.id]
    assert (level.level, level.deciding.id) == (2, second.id)


def test_the_timeline_splits_only_where_the_outcome_changes(alice, office, thirty_days):
    a = record(alice, office, 3, Source.ASSESSMENT, day(1))
    record(alice, office, 2, Source.ASSESSMENT, day(5))  # changes nothing: one interval goes on
    b = record(alice, office, 4, Source.ASSESSMENT, day(8))
    rows = list(LevelEvidence.objects.filter(employee=alice))
    intervals = level_timeline(rows)
    # the 2 expires (day 35) before the 4 does (day 38): neither it nor the 3's expiry changes anything
    assert [(i.level, i.deciding.id) for i in intervals] == [(3, a.id), (4, b.id)]
    assert intervals[0].valid_until == intervals[1].valid_from == b.observed_at
    assert intervals[-1].valid_until == dt.datetime(2025, 2, 7, 0, 0, tzinfo=BANGKOK)  # day 8 + 30 days
    assert decide(rows, intervals[-1].valid_until) is None


def test_the_page_before_an_attempt_says_what_a_result_can_change(settings, english):
    assert "weaker result does not lower" in what_a_result_can_change(Source.ASSESSMENT)
    assert "replaces the earlier ones" in what_a_result_can_change(Source.MANAGER_REVIEW)
    settings.LEVEL_COMBINATION_METHODS = {
        **settings.LEVEL_COMBINATION_METHODS,
        "assessment": "decaying_average",
    }
    assert "65%" in what_a_result_can_change(Source.ASSESSMENT)


def test_the_assessment_page_says_it_before_the_attempt_in_thai(client, alice, competencies):
    from assessments.factories import assessment_page_create

    page = assessment_page_create(
        title="Placement", competencies=[competencies["A1.1"]], bands=[(40, 1), (70, 3)]
    )
    client.force_login(alice.user)
    html = client.get(page.url).content.decode()
    assert 'id="what-it-changes"' in html
    assert "ผลที่ต่ำกว่าจึงไม่ลดระดับ" in html and "คะแนนต่ำกว่า 40%" in html
