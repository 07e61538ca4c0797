"""The vectorised policy gives exactly what the level policy gives, at any moment."""

import datetime as dt
import random

import pytest

from profiles.competencies.levels import current_levels_bulk
from profiles.competencies.point_in_time import levels_at, placement_at, prepare_evidence
from profiles.factories import EmployeeFactory, LevelEvidenceFactory
from profiles.models import Employee, LevelEvidence
from profiles.reports.selectors import employees_frame, evidence_frame
from skills_site.thai_calendar import BANGKOK

Source = LevelEvidence.Source


def test_levels_at_matches_current_levels_bulk_on_random_history(org, academic, competencies, monkeypatch):
    # on PostgreSQL the rows arrive in packed blocks: make them small here, so that there are many
    monkeypatch.setattr("profiles.reports.selectors.EVIDENCE_BLOCK_ROWS", 7)
    rng = random.Random(7)
    people = [EmployeeFactory(org_unit=org["data"], personnel_group=academic) for _ in range(6)]
    sources = list(Source.values)
    base = dt.datetime(2021, 10, 1, 9, tzinfo=BANGKOK)
    records = []
    for _ in range(160):
        when = base + dt.timedelta(days=rng.randrange(0, 5 * 365), hours=rng.choice([0, 0, 5]))
        records.append(
            LevelEvidenceFactory(
                employee=rng.choice(people),
                competency=rng.choice(list(competencies.values())),
                level=rng.randint(1, 5),
                source=rng.choice(sources),
                observed_at=when,
            )
        )
    # same-moment ties and corrections
    for original in rng.sample(records, 12):
        LevelEvidenceFactory(
            employee=original.employee,
            competency=original.competency,
            level=rng.randint(1, 5),
            source=original.source,
            observed_at=original.observed_at,
            corrects=original,
        )
    frame = evidence_frame(
        competency_ids=None,
        start=dt.datetime(2015, 1, 1, tzinfo=BANGKOK),
        end=dt.datetime(2030, 1, 1, tzinfo=BANGKOK),
    )
    prepared = prepare_evidence(frame)
    moments = [base + dt.timedelta(days=d) for d in range(0, 6 * 365, 97)]
    moments.append(records[0].observed_at)  # exactly on an observation
    moments.append(records[1].observed_at + dt.timedelta(days=365))  # exactly at a self-rating's expiry
    for moment in moments:
        expected = {
            (employee_id, competency_id): (level.level, level.deciding.id)
            for employee_id, by_competency in current_levels_bulk(
                Employee.objects.all(), as_of=moment
            ).items()
            for competency_id, level in by_competency.items()
        }
        got = {
            (row.employee_id, row.competency_id): (row.level, row.evidence_id)
            for row in levels_at(prepared, moment).itertuples()
        }
        assert got == expected, moment


def test_placement_follows_the_unit_recorded_at_the_time(org, academic, competencies):
    mover = EmployeeFactory(org_unit=org["data"], personnel_group=academic)
    LevelEvidenceFactory(
        employee=mover,
        competency=competencies["A1.1"],
        observed_at=dt.datetime(2024, 5, 1, tzinfo=BANGKOK),
    )
    mover.org_unit = org["service"]
    mover.save()
    LevelEvidenceFactory(
        employee=mover,
        competency=competencies["A1.1"],
        observed_at=dt.datetime(2025, 5, 1, tzinfo=BANGKOK),
    )
    newcomer = EmployeeFactory(org_unit=org["service"], personnel_group=academic)
    prepared = prepare_evidence(
        evidence_frame(
            competency_ids=None,
            start=dt.datetime(2020, 1, 1, tzinfo=BANGKOK),
            end=dt.datetime(2026, 1, 1, tzinfo=BANGKOK),
        )
    )
    staff = employees_frame()
    end_2567 = dt.datetime(2024, 9, 30, 23, 59, tzinfo=BANGKOK)
    then = placement_at(prepared, staff, end_2567).set_index("employee_id")["org_unit_id"]
    assert then[mover.id] == org["data"].id
    assert then[newcomer.id] == org["service"].id  # no evidence yet: today's unit
    today = placement_at(prepared, staff, end_2567, structure="today").set_index("employee_id")["org_unit_id"]
    assert today[mover.id] == org["service"].id
    with pytest.raises(ValueError):
        placement_at(prepared, staff, end_2567, structure="sideways")
