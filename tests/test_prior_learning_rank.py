"""Recognised prior learning in the level policy: rank 2, with completed courses and imported ratings
(a person reviewed it; no test measured it), in the policy and in its vectorised report form alike."""

import datetime as dt

import pytest
from django.conf import settings

from profiles.competencies.levels import SOURCE_RANK, current_levels, current_levels_bulk
from profiles.competencies.point_in_time import levels_at
from profiles.factories import LevelEvidenceFactory
from profiles.models import Employee, LevelEvidence
from profiles.reports.selectors import timeline_frames
from skills_site.thai_calendar import BANGKOK

Source = LevelEvidence.Source


def at(year, month, day):
    return dt.datetime(year, month, day, 12, tzinfo=BANGKOK)


def record(employee, competency, level, source, when):
    return LevelEvidenceFactory(
        employee=employee, competency=competency, level=level, source=source, observed_at=when
    )


def test_the_rank_sits_with_courses_and_imports():
    assert SOURCE_RANK[Source.PRIOR_LEARNING] == SOURCE_RANK[Source.COURSE] == SOURCE_RANK[Source.IMPORT] == 2
    assert SOURCE_RANK[Source.SELF_ASSESSMENT] < 2 < SOURCE_RANK[Source.ASSESSMENT]
    assert settings.LEVEL_EVIDENCE_VALID_DAYS[Source.PRIOR_LEARNING] == 3 * 365


@pytest.mark.django_db
def test_prior_learning_beats_a_self_rating_but_never_a_test(alice, competencies):
    office, data = competencies["A1.1"], competencies["A1.2"]
    record(alice, office, 5, Source.SELF_ASSESSMENT, at(2025, 6, 1))
    claimed = record(alice, office, 3, Source.PRIOR_LEARNING, at(2025, 1, 1))
    assert current_levels(alice, as_of=dt.date(2025, 7, 1))[office.id].deciding.id == claimed.id
    tested = record(alice, data, 2, Source.ASSESSMENT, at(2024, 1, 1))
    record(alice, data, 4, Source.PRIOR_LEARNING, at(2025, 1, 1))
    assert current_levels(alice, as_of=dt.date(2025, 7, 1))[data.id].deciding.id == tested.id


@pytest.mark.django_db
def test_within_its_rank_course_and_prior_learning_keep_the_highest_level_shown(alice, competencies):
    office = competencies["A1.1"]
    record(alice, office, 2, Source.COURSE, at(2025, 1, 1))
    later = record(alice, office, 4, Source.PRIOR_LEARNING, at(2025, 3, 1))
    assert current_levels(alice, as_of=dt.date(2025, 4, 1))[office.id].deciding.id == later.id
    record(alice, office, 3, Source.COURSE, at(2025, 5, 1))  # a newer but lower course lowers nothing
    level = current_levels(alice, as_of=dt.date(2025, 6, 1))[office.id]
    assert (level.level, level.deciding.id) == (4, later.id)
    higher = record(alice, office, 5, Source.COURSE, at(2025, 7, 1))
    assert current_levels(alice, as_of=dt.date(2025, 8, 1))[office.id].deciding.id == higher.id


@pytest.mark.django_db
def test_prior_learning_expires_after_its_days(alice, competencies, settings):
    settings.LEVEL_EVIDENCE_VALID_DAYS = {**settings.LEVEL_EVIDENCE_VALID_DAYS, "prior_learning": 30}
    office = competencies["A1.1"]
    record(alice, office, 3, Source.PRIOR_LEARNING, at(2025, 1, 1))
    assert office.id in current_levels(alice, as_of=dt.date(2025, 1, 30))
    assert office.id not in current_levels(alice, as_of=dt.date(2025, 2, 5))


@pytest.mark.django_db
def test_the_timeline_the_report_reads_ranks_it_as_the_policy_does(alice, bob, competencies):
    office = competencies["A1.1"]
    for employee, sources in ((alice, [Source.SELF_ASSESSMENT, Source.PRIOR_LEARNING]),
                              (bob, [Source.PRIOR_LEARNING, Source.ASSESSMENT])):  # fmt: skip
        for day, source in enumerate(sources, start=1):
            record(employee, office, day + 1, source, at(2025, 1, day))
    moment = at(2025, 6, 1)
    frames = timeline_frames(competency_ids=None, start=at(2015, 1, 1), end=at(2030, 1, 1))
    got = {(r.employee_id, r.competency_id): (r.level, r.rank, r.evidence_id)
           for r in levels_at(frames, moment).itertuples()}  # fmt: skip
    expected = {
        (employee_id, competency_id): (level.level, SOURCE_RANK[level.source], level.deciding.id)
        for employee_id, by_competency in current_levels_bulk(
            Employee.objects.all(), as_of=moment, from_log=True
        ).items()
        for competency_id, level in by_competency.items()
    }
    assert got == expected
    assert got[(alice.id, office.id)][1] == 2 and got[(bob.id, office.id)][1] == 3
