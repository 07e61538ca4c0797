"""The stored level timeline equals the level policy applied from scratch, for random histories; the
report reads the same placement and levels from it at any moment."""

import datetime as dt
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from profiles.competencies.counts import counts_keep, day_end
from profiles.competencies.levels import current_levels_bulk
from profiles.competencies.point_in_time import levels_at, placement_at
from profiles.competencies.services import evidence_correct, evidence_record
from profiles.competencies.timeline import timeline_differences, timeline_rebuild, timeline_refresh
from profiles.factories import EmployeeFactory, LevelEvidenceFactory
from profiles.models import Employee, LevelEvidence, LevelInterval, PlacementInterval
from profiles.reports.selectors import employees_frame, timeline_frames
from skills_site.thai_calendar import BANGKOK

Source = LevelEvidence.Source
WIDE = (dt.datetime(2015, 1, 1, tzinfo=BANGKOK), dt.datetime(2031, 1, 1, tzinfo=BANGKOK))


def random_history(rng, people, competencies, org, count=120):
    """Evidence in every source, at fiscal-year edges (30 Sep / 1 Oct in Bangkok), same-moment ties,
    corrections and transfers, recorded through the service (which keeps the timeline)."""
    base = dt.datetime(2021, 10, 1, 9, tzinfo=BANGKOK)
    edges = [
        dt.datetime(2023, 9, 30, 23, 59, 59, tzinfo=BANGKOK),
        dt.datetime(2023, 10, 1, 0, 0, tzinfo=BANGKOK),
        dt.datetime(2024, 9, 30, 17, 0, tzinfo=dt.UTC),  # already 1 Oct in Bangkok
    ]
    records = []
    for n in range(count):
        person = rng.choice(people)
        if n % 17 == 0:  # a transfer: later evidence carries the new unit
            person.org_unit = rng.choice([org["data"], org["service"]])
            person.save(update_fields=["org_unit"])
        when = rng.choice(edges) if n % 11 == 0 else base + dt.timedelta(days=rng.randrange(0, 5 * 365))
        if records and n % 9 == 0:
            when = rng.choice(records).observed_at  # a tie with an earlier record
        evidence, _ = evidence_record(
            employee=person,
            competency=rng.choice(competencies),
            level=rng.randint(1, 5),
            source=rng.choice(list(Source.values)),
            observed_at=when,
        )
        records.append(evidence)
    for original in rng.sample(records, 8):
        if not original.corrections.exists() and original.corrects_id is None:
            evidence_correct(evidence=original, level=rng.randint(1, 5), recorded_by=None, note="typo")
    return records


@pytest.mark.parametrize("methods", ["defaults", "all_most_recent", "decaying"])
def test_timeline_equals_the_policy_from_scratch(org, academic, competencies, settings, methods):
    if methods == "all_most_recent":
        settings.LEVEL_COMBINATION_METHODS = {k: "most_recent" for k in settings.LEVEL_COMBINATION_METHODS}
    elif methods == "decaying":
        decaying = {"assessment": "decaying_average", "course": "decaying_average"}
        settings.LEVEL_COMBINATION_METHODS = {**settings.LEVEL_COMBINATION_METHODS, **decaying}
    rng = random.Random(hash(methods) % 1000)
    people = [EmployeeFactory(org_unit=org["data"], personnel_group=academic) for _ in range(5)]
    records = random_history(rng, people, list(competencies.values()), org)
    assert timeline_differences() == []
    frames = timeline_frames(competency_ids=None, start=WIDE[0], end=WIDE[1])
    base = dt.datetime(2021, 10, 1, 9, tzinfo=BANGKOK)
    moments = [base + dt.timedelta(days=d, hours=h) for d in range(0, 6 * 365, 61) for h in (0, 15)]
    moments += [r.observed_at for r in records[:10]]
    moments += [
        dt.datetime(2024, 10, 1, 0, 0, tzinfo=BANGKOK),
        dt.datetime(2023, 9, 30, 23, 59, 59, tzinfo=BANGKOK),
    ]
    for moment in moments:
        expected = {
            (employee_id, competency_id): (level.level, level.deciding.id)
            for employee_id, by_competency in current_levels_bulk(
                Employee.objects.all(), as_of=moment, with_details=True
            ).items()
            for competency_id, level in by_competency.items()
        }
        stored = {
            (employee_id, competency_id): (level.level, level.deciding.id)
            for employee_id, by_competency in current_levels_bulk(
                Employee.objects.all(), as_of=moment
            ).items()
            for competency_id, level in by_competency.items()
        }
        framed = {
            (row.employee_id, row.competency_id): (row.level, row.evidence_id)
            for row in levels_at(frames, moment).itertuples()
        }
        assert stored == expected, moment
        assert framed == expected, moment


def test_a_rebuild_finds_and_mends_a_damaged_timeline(alice, competencies):
    evidence_record(
        employee=alice, competency=competencies["A1.1"], level=3, source=Source.ASSESSMENT,
        observed_at=dt.datetime(2025, 1, 10, tzinfo=BANGKOK),
    )  # fmt: skip
    assert timeline_differences() == []
    LevelInterval.objects.filter(employee=alice).update(level=5)
    assert len(timeline_differences()) == 1
    counts = timeline_rebuild()
    assert counts["intervals"] == 1 and timeline_differences() == []


@pytest.mark.parametrize("counted", [False, True], ids=["no counted moments", "counted moments"])
def test_many_pairs_are_refreshed_in_a_fixed_number_of_queries(alice, bob, competencies, counted):
    if counted:  # the counted moments are kept too, in a fixed number of queries however many
        firsts = [dt.date(2024 + n // 4, 3 * (n % 4) + 1, 1) for n in range(9)]
        counts_keep([day_end(first - dt.timedelta(days=1)) for first in firsts])
    when = dt.datetime(2025, 2, 1, tzinfo=BANGKOK)
    comps = list(competencies.values())
    LevelEvidence.objects.bulk_create(
        LevelEvidence(
            employee=person,
            competency=competency,
            level=2,
            source=Source.IMPORT,
            observed_at=when,
            org_unit_at_time_id=person.org_unit_id,
            personnel_group_at_time_id=person.personnel_group_id,
        )  # fmt: skip
        for person in (alice, bob)
        for competency in comps
    )
    with CaptureQueriesContext(connection) as one_pair:
        timeline_refresh({(alice.id, comps[0].id)})
    with CaptureQueriesContext(connection) as all_pairs:
        timeline_refresh({(person.id, competency.id) for person in (alice, bob) for competency in comps})
    assert len(one_pair) == len(all_pairs) <= (26 if counted else 14)  # PostgreSQL: one write per structure
    assert LevelInterval.objects.filter(employee__in=[alice, bob]).count() == 2 * len(comps)


def test_placement_follows_the_unit_recorded_at_the_time(org, academic, competencies):
    mover = EmployeeFactory(org_unit=org["data"], personnel_group=academic)
    LevelEvidenceFactory(
        employee=mover, competency=competencies["A1.1"], observed_at=dt.datetime(2024, 5, 1, tzinfo=BANGKOK)
    )
    mover.org_unit = org["service"]
    mover.save()
    LevelEvidenceFactory(
        employee=mover, competency=competencies["A2.1"], observed_at=dt.datetime(2025, 5, 1, tzinfo=BANGKOK)
    )
    newcomer = EmployeeFactory(org_unit=org["service"], personnel_group=academic)
    assert PlacementInterval.objects.filter(employee=mover).count() == 2
    frames = timeline_frames(competency_ids=None, start=WIDE[0], end=WIDE[1])
    staff = employees_frame()
    end_2567 = dt.datetime(2024, 9, 30, 23, 59, tzinfo=BANGKOK)
    then = placement_at(frames, staff, end_2567).set_index("employee_id")["org_unit_id"]
    assert then[mover.id] == org["data"].id
    assert then[newcomer.id] == org["service"].id  # no evidence yet: today's unit
    later = placement_at(frames, staff, dt.datetime(2025, 9, 30, tzinfo=BANGKOK)).set_index("employee_id")
    assert later.loc[mover.id, "org_unit_id"] == org["service"].id  # any competency's evidence places
    today = placement_at(frames, staff, end_2567, structure="today").set_index("employee_id")["org_unit_id"]
    assert today[mover.id] == org["service"].id
    with pytest.raises(ValueError):
        placement_at(frames, staff, end_2567, structure="sideways")


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite serialises every write, so there is no race to test; CI runs this on PostgreSQL.",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_evidence_for_one_pair_leaves_a_consistent_timeline(alice, competencies):
    import threading

    from django.db import connections

    barrier = threading.Barrier(4)
    errors = []

    def write(level, hour):
        try:
            barrier.wait(timeout=10)
            evidence_record(
                employee=Employee.objects.get(pk=alice.pk), competency=competencies["A1.1"], level=level,
                source=Source.MANAGER_REVIEW, observed_at=dt.datetime(2025, 3, 1, hour, tzinfo=BANGKOK),
            )  # fmt: skip
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(level, 8 + level)) for level in (1, 2, 3, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert LevelEvidence.objects.filter(employee=alice).count() == 4
    assert timeline_differences() == []  # every write's refresh saw the writes committed before it
    levels = current_levels_bulk([alice.id], as_of=dt.date(2025, 3, 2))[alice.id]
    assert levels[competencies["A1.1"].id].level == 4


def test_levels_at_many_moments_in_one_read_equal_one_read_per_moment(org, academic, competencies):
    """``levels_at_moments`` (the training plan's six-months-on check) answers what
    ``current_levels_bulk`` answers moment by moment, in one query."""
    from profiles.competencies.levels import as_of_moment, levels_at_moments

    rng = random.Random(2569)
    people = [EmployeeFactory(org_unit=org["data"], personnel_group=academic) for _ in range(5)]
    chosen = list(competencies.values())[:3]
    random_history(rng, people, chosen, org, count=80)
    start = dt.datetime(2021, 10, 1, 9, tzinfo=BANGKOK)
    moments = [dt.datetime(2021, 9, 30, tzinfo=BANGKOK)] + [
        start + dt.timedelta(days=rng.randrange(0, 6 * 365)) for _ in range(25)
    ] + [dt.datetime(2023, 9, 30, 23, 59, 59, tzinfo=BANGKOK), dt.date(2024, 9, 30)]  # fmt: skip
    asked = [(p.pk, c.pk, m) for p in people for c in chosen for m in moments]
    with CaptureQueriesContext(connection) as queries:
        together = levels_at_moments(asked)
    assert len(queries) == 1
    found = 0
    for employee_id, competency_id, moment in asked:
        one = current_levels_bulk([employee_id], as_of=moment, competency_ids=[competency_id])
        expected = one.get(employee_id, {}).get(competency_id)
        got = together.get((employee_id, competency_id, as_of_moment(moment)))
        assert (got and (got.level, got.source, got.deciding.id)) == (
            expected and (expected.level, expected.source, expected.deciding.id)
        ), (employee_id, competency_id, moment)
        found += expected is not None
    assert found > len(asked) / 3  # most pairs have a level at most moments: the test compares levels
