import datetime as dt

import pytest

from profiles.competencies.levels import current_levels, current_levels_bulk
from profiles.factories import LevelEvidenceFactory
from profiles.models import LevelEvidence
from skills_site.thai_calendar import BANGKOK

Source = LevelEvidence.Source


def at(year, month, day, hour=12):
    return dt.datetime(year, month, day, hour, tzinfo=BANGKOK)


@pytest.fixture
def office(competencies):
    return competencies["A1.1"]


def record(employee, competency, level, source, when, **extra):
    return LevelEvidenceFactory(
        employee=employee, competency=competency, level=level, source=source, observed_at=when, **extra
    )


def test_no_evidence_means_no_level(alice, office):
    assert current_levels(alice) == {}


def test_self_rating_never_outranks_assessment_even_when_newer_and_higher(alice, office):
    assessed = record(alice, office, 2, Source.ASSESSMENT, at(2025, 1, 10))
    record(alice, office, 5, Source.SELF_ASSESSMENT, at(2025, 6, 1))
    level = current_levels(alice, as_of=dt.date(2025, 7, 1))[office.id]
    assert level.level == 2
    assert level.deciding.id == assessed.id
    assert len(level.counted) == 2


def test_self_rating_counts_when_nothing_better_exists(alice, office):
    record(alice, office, 4, Source.SELF_ASSESSMENT, at(2025, 6, 1))
    level = current_levels(alice, as_of=dt.date(2025, 7, 1))[office.id]
    assert level.level == 4 and level.is_self_rated


def test_manager_review_ranks_with_assessment_latest_wins(alice, office):
    record(alice, office, 2, Source.ASSESSMENT, at(2025, 1, 10))
    review = record(alice, office, 3, Source.MANAGER_REVIEW, at(2025, 3, 1))
    assert current_levels(alice, as_of=dt.date(2025, 4, 1))[office.id].deciding.id == review.id


def test_a_poorer_assessment_does_not_erase_a_demonstrated_level(alice, office):
    shown = record(alice, office, 4, Source.ASSESSMENT, at(2024, 1, 10))
    record(alice, office, 1, Source.ASSESSMENT, at(2025, 1, 10))  # a rushed attempt
    level = current_levels(alice, as_of=dt.date(2025, 2, 1))[office.id]
    assert (level.level, level.deciding.id, level.method) == (4, shown.id, "highest")


def test_most_recent_lets_a_newer_assessment_replace_an_older_one_downwards(alice, office, settings):
    settings.LEVEL_COMBINATION_METHODS = {**settings.LEVEL_COMBINATION_METHODS, "assessment": "most_recent"}
    record(alice, office, 4, Source.ASSESSMENT, at(2024, 1, 10))
    record(alice, office, 3, Source.ASSESSMENT, at(2025, 1, 10))
    assert current_levels(alice, as_of=dt.date(2025, 2, 1))[office.id].level == 3


def test_course_does_not_override_assessment_but_beats_self_rating(alice, office):
    record(alice, office, 5, Source.SELF_ASSESSMENT, at(2025, 1, 1))
    record(alice, office, 3, Source.COURSE, at(2025, 2, 1))
    assert current_levels(alice, as_of=dt.date(2025, 3, 1))[office.id].level == 3
    record(alice, office, 2, Source.ASSESSMENT, at(2025, 1, 15))
    assert current_levels(alice, as_of=dt.date(2025, 3, 1))[office.id].level == 2


def test_tie_goes_to_the_record_entered_last(alice, office):
    when = at(2025, 5, 5)
    record(alice, office, 2, Source.ASSESSMENT, when)
    last = record(alice, office, 4, Source.MANAGER_REVIEW, when)
    assert current_levels(alice, as_of=dt.date(2025, 6, 1))[office.id].deciding.id == last.id


def test_as_of_ignores_later_evidence(alice, office):
    record(alice, office, 2, Source.ASSESSMENT, at(2024, 3, 1))
    record(alice, office, 4, Source.ASSESSMENT, at(2025, 3, 1))
    assert current_levels(alice, as_of=dt.date(2024, 9, 30))[office.id].level == 2
    assert current_levels(alice, as_of=dt.date(2025, 9, 30))[office.id].level == 4


def test_as_of_a_date_includes_the_whole_bangkok_day(alice, office):
    record(alice, office, 3, Source.ASSESSMENT, at(2025, 9, 30, hour=23))
    assert current_levels(alice, as_of=dt.date(2025, 9, 30))[office.id].level == 3
    assert current_levels(alice, as_of=dt.date(2025, 9, 29)) == {}


def test_evidence_expires(alice, office, settings):
    record(alice, office, 3, Source.ASSESSMENT, at(2022, 1, 1))
    record(alice, office, 2, Source.SELF_ASSESSMENT, at(2024, 6, 1))
    # Three years later the assessment no longer counts; the self-rating then decides.
    level = current_levels(alice, as_of=dt.date(2025, 1, 2))[office.id]
    assert level.level == 2 and level.is_self_rated
    assert current_levels(alice, as_of=dt.date(2024, 12, 30))[office.id].level == 3
    # A self-assessment counts for one year only.
    assert current_levels(alice, as_of=dt.date(2025, 6, 2)) == {}


def test_expiry_follows_settings(alice, office, settings):
    settings.LEVEL_EVIDENCE_VALID_DAYS = {**settings.LEVEL_EVIDENCE_VALID_DAYS, "assessment": 30}
    record(alice, office, 3, Source.ASSESSMENT, at(2025, 1, 1))
    assert current_levels(alice, as_of=dt.date(2025, 1, 30))[office.id].level == 3
    assert current_levels(alice, as_of=dt.date(2025, 2, 5)) == {}


def test_corrected_evidence_never_counts(alice, office):
    wrong = record(alice, office, 5, Source.ASSESSMENT, at(2025, 2, 1))
    record(alice, office, 2, Source.ASSESSMENT, at(2025, 2, 1), corrects=wrong)
    level = current_levels(alice, as_of=dt.date(2025, 3, 1))[office.id]
    assert level.level == 2
    assert wrong.id not in [item.id for item in level.counted]


def test_levels_are_per_competency(alice, competencies):
    record(alice, competencies["A1.1"], 2, Source.ASSESSMENT, at(2025, 1, 1))
    record(alice, competencies["A2.1"], 4, Source.ASSESSMENT, at(2025, 1, 1))
    levels = current_levels(alice, as_of=dt.date(2025, 2, 1))
    assert {c: lv.level for c, lv in levels.items()} == {
        competencies["A1.1"].id: 2,
        competencies["A2.1"].id: 4,
    }


def test_bulk_runs_one_query_whatever_the_headcount(org, academic, competencies, django_assert_num_queries):
    from profiles.factories import EmployeeFactory
    from profiles.models import Employee

    def add_people(count):
        for _ in range(count):
            person = EmployeeFactory(org_unit=org["data"], personnel_group=academic)
            for code, competency in competencies.items():
                record(person, competency, 1 + len(code) % 3, Source.ASSESSMENT, at(2025, 1, 1))
                record(person, competency, 3, Source.SELF_ASSESSMENT, at(2025, 2, 1))

    add_people(3)
    with django_assert_num_queries(1):
        small = current_levels_bulk(Employee.objects.filter(org_unit=org["data"]), as_of=dt.date(2025, 3, 1))
    add_people(12)
    with django_assert_num_queries(1):
        large = current_levels_bulk(Employee.objects.filter(org_unit=org["data"]), as_of=dt.date(2025, 3, 1))
    assert len(small) == 3 and len(large) == 15
    assert all(len(levels) == 3 for levels in large.values())
    assert all(lv.source == Source.ASSESSMENT for levels in large.values() for lv in levels.values())


def test_bulk_matches_single_employee_answers(alice, bob, office):
    record(alice, office, 2, Source.ASSESSMENT, at(2025, 1, 1))
    record(bob, office, 4, Source.COURSE, at(2025, 1, 1))
    bulk = current_levels_bulk([alice.id, bob.id], as_of=dt.date(2025, 2, 1))
    assert (
        bulk[alice.id][office.id].level == current_levels(alice, as_of=dt.date(2025, 2, 1))[office.id].level
    )
    assert bulk[bob.id][office.id].level == 4


def test_details_mode_gives_whole_records_and_the_same_answer(alice, bob, office):
    record(alice, office, 2, Source.ASSESSMENT, at(2025, 1, 1), source_label="Placement test")
    record(alice, office, 4, Source.MANAGER_REVIEW, at(2025, 2, 1), recorded_by=bob.user)
    light = current_levels(alice, as_of=dt.date(2025, 3, 1))[office.id]
    full = current_levels(alice, as_of=dt.date(2025, 3, 1), with_details=True)[office.id]
    assert isinstance(full.deciding, LevelEvidence) and full.deciding.recorded_by == bob.user
    assert (light.level, light.deciding.id) == (full.level, full.deciding.id) == (4, full.deciding.id)
    assert [e.id for e in light.counted] == [e.id for e in full.counted]
