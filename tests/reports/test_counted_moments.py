"""The counted moments stay equal to the timeline counted from scratch whatever changes (evidence,
corrections, transfers, joiners, leavers, a deleted record), and a report's "to date" read from the
end of its day minus who changes later that day equals a count at that instant."""

import datetime as dt
import random
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from profiles.competencies.counts import (
    counted_cells,
    counts_differences,
    counts_keep,
    day_end,
    scan_cells,
)
from profiles.competencies.services import evidence_record
from profiles.factories import EmployeeFactory, PersonnelGroupFactory
from profiles.models import CountedMoment, Employee, LevelEvidence, PersonnelGroup, StaffCell
from skills_site.thai_calendar import BANGKOK
from tests.reports.test_timeline import random_history

Source = LevelEvidence.Source

QUARTER_ENDS = [
    day_end(dt.date(year, month, 1) - dt.timedelta(days=1))
    for year in range(2021, 2027)
    for month in (1, 4, 7, 10)
]


def _as_cells(staff, levels) -> tuple[dict, dict]:
    """Rows summed per cell (moment position first), empty cells left out."""
    counted_staff: dict = {}
    for k, unit, group, n in staff.tolist():
        counted_staff[(k, unit, group)] = counted_staff.get((k, unit, group), 0) + n
    counted_levels: dict = {}
    for k, unit, group, competency, level, n in levels.tolist():
        key = (k, unit, group, competency, level)
        counted_levels[key] = counted_levels.get(key, 0) + n
    return (
        {key: n for key, n in counted_staff.items() if n},
        {key: n for key, n in counted_levels.items() if n},
    )


def _scanned(ats, structure, competency_ids) -> tuple[dict, dict]:
    staff, levels = scan_cells(ats)
    staff = staff[staff["structure"] == structure][["k", "unit_id", "group_id", "n"]].to_numpy("int64")
    levels = levels[(levels["structure"] == structure) & levels["competency_id"].isin(competency_ids)]
    levels = levels[["k", "unit_id", "group_id", "competency_id", "level", "n"]].to_numpy("int64")
    return _as_cells(staff, levels)


@pytest.fixture
def people(org, academic):
    technology = PersonnelGroupFactory(code="Technology", name_th="กลุ่มเทคโนโลยี", name_en="Technology")
    rng = random.Random(7)
    return [
        EmployeeFactory(
            org_unit=rng.choice([org["data"], org["service"]]),
            personnel_group=rng.choice([academic, technology]),
            start_date=dt.date(2020 + n % 5, 1 + n % 12, 1),
        )
        for n in range(10)
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_counted_moments_follow_every_change(org, academic, competencies, people, seed):
    rng = random.Random(seed)
    counts_keep(QUARTER_ENDS)
    assert CountedMoment.objects.count() == len(QUARTER_ENDS)
    random_history(rng, people, list(competencies.values()), org, count=80)
    # leavers (one on a fiscal-year edge), a record made inactive without an end date, a late joiner,
    # a change of personnel group, and a record deleted with its timeline
    people[0].is_active, people[0].end_date = False, dt.date(2023, 9, 30)
    people[1].is_active, people[1].end_date = False, dt.date(2025, 2, 14)
    people[2].is_active = False
    technology = PersonnelGroup.objects.get(code="Technology")
    people[3].personnel_group = academic if people[3].personnel_group == technology else technology
    for person in people[:4]:
        person.save()
    EmployeeFactory(org_unit=org["service"], personnel_group=academic, start_date=dt.date(2024, 5, 1))
    mistake = EmployeeFactory(org_unit=org["data"], personnel_group=academic, start_date=dt.date(2022, 1, 1))
    Employee.objects.get(pk=mistake.pk).delete()  # a record entered by mistake
    assert StaffCell.objects.filter(count__lt=0).count() == 0
    assert counts_differences() == []

    competency_ids = [c.id for c in competencies.values()]
    # a moment inside a day: the end of the day minus who changes later that day
    ats = [
        dt.datetime(2023, 9, 30, 12, 0, tzinfo=BANGKOK),
        dt.datetime(2024, 9, 30, 17, 0, tzinfo=dt.UTC),  # already 1 Oct in Bangkok
        QUARTER_ENDS[10],
        dt.datetime(2025, 2, 14, 18, 30, tzinfo=BANGKOK),  # a leaver's last day
    ]
    for structure in ("at_time", "today"):
        staff, levels = counted_cells(ats, structure=structure, competency_ids=competency_ids)
        expected = _scanned(ats, structure, competency_ids)
        assert _as_cells(staff, levels) == expected, structure
        assert sum(expected[1].values()) > 5  # the histories reach these moments


def test_an_evidence_write_changes_the_counted_moments_after_it(alice, competencies):
    counts_keep(QUARTER_ENDS)
    before = counted_cells([QUARTER_ENDS[-1]], structure="at_time", competency_ids=[competencies["A1.1"].id])
    assert before[1].size == 0
    evidence_record(
        employee=alice, competency=competencies["A1.1"], level=3, source=Source.ASSESSMENT,
        observed_at=dt.datetime(2026, 2, 1, 10, tzinfo=BANGKOK),
    )  # fmt: skip
    ats = [QUARTER_ENDS[-4], QUARTER_ENDS[-3], QUARTER_ENDS[-2]]  # Dec 2025, Mar 2026, Jun 2026
    _staff, levels = counted_cells(ats, structure="at_time", competency_ids=[competencies["A1.1"].id])
    assert [(k, level, n) for k, _u, _g, _c, level, n in levels.tolist()] == [(1, 3, 1), (2, 3, 1)]


def test_a_new_day_is_counted_from_the_day_before(alice, competencies, django_assert_max_num_queries):
    counts_keep([day_end(dt.date(2025, 6, 1))])
    evidence_record(
        employee=alice, competency=competencies["A1.1"], level=2, source=Source.ASSESSMENT,
        observed_at=dt.datetime(2025, 6, 2, 9, tzinfo=BANGKOK),
    )  # fmt: skip
    counts_keep([day_end(dt.date(2025, 6, 2))])
    assert counts_differences() == []
    _staff, levels = counted_cells([day_end(dt.date(2025, 6, 2))], structure="today", competency_ids=[])
    assert levels.size == 0  # no competency asked for


def test_only_the_end_of_a_day_is_counted(db):
    with pytest.raises(ValueError):
        counts_keep([dt.datetime(2025, 6, 1, 12, tzinfo=BANGKOK)])
    with pytest.raises(ValueError):
        counted_cells([day_end(dt.date(2025, 6, 1))], structure="sideways", competency_ids=[])


def test_only_the_newest_day_ends_are_kept_besides_quarter_ends(db):
    counts_keep([QUARTER_ENDS[0]])
    counts_keep([day_end(dt.date(2025, 5, day)) for day in range(1, 8)])
    kept = sorted(CountedMoment.objects.values_list("moment_at", flat=True))
    assert kept[0] == QUARTER_ENDS[0] and len(kept) == 4
    assert kept[-1] == day_end(dt.date(2025, 5, 7))


def test_the_check_finds_a_damaged_count(alice, competencies):
    counts_keep(QUARTER_ENDS[-4:])
    call_command("rebuild_timeline", "--check")  # nothing wrong
    cell = StaffCell.objects.filter(count__gt=0).first()
    cell.count += 2
    cell.save()
    with pytest.raises(CommandError, match="difference"):
        call_command("rebuild_timeline", "--check")
    call_command("rebuild_timeline")  # a rebuild counts the moments again from scratch
    assert counts_differences() == [] and CountedMoment.objects.count() == 4


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite serialises every write, so there is no race to test; CI runs this on PostgreSQL.",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writes_for_many_people_leave_exact_counts(org, academic, competencies):
    """Four people of one unit and group at once: their writes add to the same cells."""
    from django.db import connections

    team = [EmployeeFactory(org_unit=org["data"], personnel_group=academic) for _ in range(4)]
    counts_keep([day_end(dt.date.today() - dt.timedelta(days=1)), *QUARTER_ENDS[-2:]])
    barrier = threading.Barrier(len(team))
    errors = []

    def write(person):
        try:
            barrier.wait(timeout=10)
            for code in ("A1.1", "A1.2"):
                evidence_record(
                    employee=Employee.objects.get(pk=person.pk), competency=competencies[code], level=3,
                    source=Source.ASSESSMENT, observed_at=dt.datetime(2025, 3, 1, 9, tzinfo=BANGKOK),
                )  # fmt: skip
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(person,)) for person in team]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert counts_differences() == []
    _staff, levels = counted_cells(
        [QUARTER_ENDS[-1]], structure="at_time", competency_ids=[competencies["A1.1"].id]
    )
    assert int(levels[:, 5].sum()) == 4


def test_a_moment_inside_a_day_leaves_out_what_comes_later_that_day(alice, competencies):
    counts_keep([day_end(dt.date(2025, 6, 2))])
    evidence_record(
        employee=alice, competency=competencies["A1.1"], level=4, source=Source.ASSESSMENT,
        observed_at=dt.datetime(2025, 6, 2, 15, tzinfo=BANGKOK),
    )  # fmt: skip
    ats = [dt.datetime(2025, 6, 2, 12, tzinfo=BANGKOK), dt.datetime(2025, 6, 2, 16, tzinfo=BANGKOK)]
    staff, levels = counted_cells(ats, structure="at_time", competency_ids=[competencies["A1.1"].id])
    counted_staff, counted_levels = _as_cells(staff, levels)
    assert [(key[0], key[4], n) for key, n in counted_levels.items()] == [(1, 4, 1)]  # 16:00 only
    assert {key[0] for key in counted_staff} == {0, 1}  # on the staff at both


def test_a_large_staff_import_recounts_once(org, academic, alice, hana, competencies, monkeypatch):
    """From BULK_FROM changes on, the counted moments are recounted once after the file: one count of
    the whole workforce instead of one per row, and the same cells."""
    from profiles.competencies import counts
    from profiles.hr_data.staff_import import BULK_FROM, import_commit
    from tests.access.test_hr_import import STAFF_HEADER, csv, run

    evidence_record(
        employee=alice, competency=competencies["A1.1"], level=3, source=Source.ASSESSMENT,
        observed_at=dt.datetime(2024, 5, 1, 10, tzinfo=BANGKOK),
    )  # fmt: skip
    counts_keep(QUARTER_ENDS)
    rows = "".join(
        f"N{i:05d},ชื่อ{i},สกุล{i},D.B1.S1,Academic,2022-0{1 + i % 9}-01,,\n" for i in range(BULK_FROM)
    )
    rows += f"{alice.employee_number},อลิส,ใจดี,D.B1.S2,Academic,2020-01-01,2025-03-31,\n"  # a mover who left
    checked = run("staff", csv(STAFF_HEADER + rows), hana)
    scans = []
    real_scan = counts.scan_cells
    monkeypatch.setattr(counts, "scan_cells", lambda *a, **k: scans.append(1) or real_scan(*a, **k))
    import_commit(staff_import=checked, user=hana)
    assert len(scans) == 1  # the recount
    monkeypatch.undo()
    assert Employee.objects.filter(employee_number__startswith="N").count() == BULK_FROM
    assert counts_differences() == []


def test_a_failed_change_in_bulk_changes_no_count(org, academic, alice, competencies):
    from profiles.organisation.changes import employees_changing_in_bulk

    counts_keep(QUARTER_ENDS[-4:])
    before = sorted(StaffCell.objects.values_list("moment_id", "structure", "org_unit_id", "count"))
    with pytest.raises(RuntimeError), employees_changing_in_bulk():
        alice.org_unit = org["service"]
        alice.save()
        raise RuntimeError("the file broke half-way")
    assert sorted(StaffCell.objects.values_list("moment_id", "structure", "org_unit_id", "count")) == before
    assert counts_differences() == []


def test_saving_a_name_counts_nothing_and_a_later_move_is_followed(org, alice, django_assert_max_num_queries):
    counts_keep(QUARTER_ENDS[-2:])
    alice.first_name_th = "อลิสา"
    alice.org_unit = org["service"]  # changed in memory, saved later
    with django_assert_max_num_queries(2):
        alice.save(update_fields=["first_name_th"])
    alice.save(update_fields=["org_unit"])
    assert counts_differences() == []
    fresh = Employee.objects.get(pk=alice.pk)
    fresh.personnel_group = PersonnelGroupFactory(code="Other", name_th="อื่น", name_en="Other")
    fresh.save()
    assert counts_differences() == []
