"""The report's counts come from the database (``moment_counts``); counted in memory from the people at
each moment (``cells_of``) they are the same, for random histories with transfers, joiners and leavers."""

import datetime as dt
import random

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from profiles.factories import EmployeeFactory, PersonnelGroupFactory
from profiles.models import PersonnelGroup
from profiles.reports.capability import ReportMoment, cells_of, counts_from_cells, take_snapshots
from profiles.reports.selectors import employees_frame, moment_counts, timeline_frames
from skills_site.thai_calendar import BANGKOK
from tests.reports.test_timeline import WIDE, random_history


def _moments() -> list[ReportMoment]:
    ats = [
        dt.datetime(2022, 9, 30, 23, 59, 59, 999999, tzinfo=BANGKOK),
        dt.datetime(2023, 9, 30, 23, 59, 59, tzinfo=BANGKOK),
        dt.datetime(2023, 10, 1, 0, 0, tzinfo=BANGKOK),
        dt.datetime(2024, 9, 30, 17, 0, tzinfo=dt.UTC),  # 1 Oct in Bangkok
        dt.datetime(2025, 3, 31, 12, 0, tzinfo=BANGKOK),
        dt.datetime(2026, 9, 30, 23, 59, 59, 999999, tzinfo=BANGKOK),
    ]
    return [ReportMoment(2565 + n, None if n % 2 else 1, at, False) for n, at in enumerate(ats)]


def _cells(counts) -> tuple[dict, dict]:
    """A moment's non-empty cells by ids: {(unit, group): n}, {(unit, group, comp, level): n}."""
    staff = {
        (int(counts.unit_ids[u]), int(counts.group_ids[g])): int(counts.staff[u, g])
        for u, g in zip(*np.nonzero(counts.staff), strict=True)
    }
    levels = {
        (int(counts.unit_ids[u]), int(counts.group_ids[g]), int(counts.competency_ids[c]), int(level)): int(
            counts.levels[u, g, c, level]
        )
        for u, g, c, level in zip(*np.nonzero(counts.levels), strict=True)
    }
    return staff, levels


@pytest.mark.parametrize("structure", ["at_time", "today"])
def test_database_counts_equal_the_people_counted_in_memory(org, academic, competencies, structure):
    rng = random.Random(structure)
    technology = PersonnelGroupFactory(code="Technology", name_th="กลุ่มเทคโนโลยี", name_en="Technology")
    units = [org["data"], org["service"]]
    people = [
        EmployeeFactory(
            org_unit=rng.choice(units),
            personnel_group=rng.choice([academic, technology]),
            start_date=dt.date(2020 + n % 5, 1 + n % 12, 1),
        )
        for n in range(9)
    ]
    random_history(rng, people, list(competencies.values()), org, count=90)
    # a leaver with an end date on a fiscal-year edge, another mid-year; a record inactive without an
    # end date (left out everywhere); one person with no evidence at all
    people[0].is_active, people[0].end_date = False, dt.date(2023, 9, 30)
    people[1].is_active, people[1].end_date = False, dt.date(2025, 2, 14)
    people[2].is_active = False
    for person in people[:3]:
        person.save()
    EmployeeFactory(org_unit=org["service"], personnel_group=technology, start_date=dt.date(2021, 5, 1))

    moments = _moments()
    competency_ids = [c.id for c in competencies.values()]
    frames = timeline_frames(competency_ids=competency_ids, start=WIDE[0], end=WIDE[1])
    snapshots = take_snapshots(
        frames, employees_frame(), moments, structure=structure, competency_ids=competency_ids
    )
    counted = moment_counts(moments, competency_ids=competency_ids, structure=structure)
    assert set(counted) == {m.key for m in moments}
    assert sum(int(c.levels.sum()) for c in counted.values()) > 10  # the histories reach these moments
    expected = counts_from_cells(moments, *cells_of([snapshots[m.key] for m in moments]), competency_ids)
    for moment in moments:
        assert _cells(counted[moment.key]) == _cells(expected[moment.key]), moment
        assert sum(_cells(expected[moment.key])[0].values()) == len(snapshots[moment.key].placement)


def test_counting_takes_the_same_queries_whatever_the_headcount(org, academic, competencies):
    moments = _moments()
    ids = [c.id for c in competencies.values()]
    EmployeeFactory(org_unit=org["data"], personnel_group=academic)
    moment_counts(moments, competency_ids=ids)  # the first count keeps its moments
    with CaptureQueriesContext(connection) as few:
        moment_counts(moments, competency_ids=ids)
    for _ in range(30):
        EmployeeFactory(org_unit=org["service"], personnel_group=academic)
    with CaptureQueriesContext(connection) as many:
        counted = moment_counts(moments, competency_ids=ids)
    assert len(few) == len(many) <= 12  # the counted cells, and one count of who changed since
    assert counted[moments[-1].key].staff.sum() == 31
    assert PersonnelGroup.objects.count() == 1


def test_an_unknown_structure_is_refused(db):
    with pytest.raises(ValueError):
        moment_counts(_moments(), competency_ids=[], structure="sideways")
