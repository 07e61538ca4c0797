"""Benchmark (not a test): the capability report after new evidence against a floor measured in the same run.

``python manage.py bench_reports --employees 20000`` builds, or reuses, a synthetic department in
the configured database (the units, staff and plan carry the code prefix ``BENCH``): N employees,
the 21 DigComp 2.2 competences, one observation per person, competence and fiscal year over the
five fiscal years up to today (mixed sources, some transfers and corrections). Then, in a fresh
process, it

1. counts the moments the report reads if this database has not yet (``keep_moments_seconds``: once
   per moment, ever; the first report of a day counts the end of that day from the day before);
2. after one report to load the code, seven times: records one new piece of evidence, so nothing
   cached can be reused (``evidence_write_seconds``: the write, its timeline refresh and the
   counted moments it changes);
3. times the full capability report (every target of the bench plan at every fiscal-year end and
   the current quarter, both breakdowns and the level distribution, no cache: ``report_seconds``);
4. times the floor (``floor_seconds``): the database work any answer from the counted moments
   needs, one aggregate over their level cells and one count of who changes between "to date" and
   the end of its day, without placing anyone in a unit or group; the medians of the seven rounds
   are printed;
5. times one SQL aggregate over the stored timeline itself at the same moments
   (``timeline_scan_seconds``: what the report cost when it scanned the timeline), and checks the
   report's department-wide figures against it (``figures_agree``).

It prints one JSON line last, with the ratio report / floor and the peak RSS: after the rounds of
write, report and floor (``peak_rss_mib_reports``: what a server process needs, unless the moments
were counted from scratch in step 1 of the same run) and at the end, after the timeline scan.
Use a database of its own, e.g. ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_reports``:
the data is append-only evidence and stays there for the next run. A database holding a larger
bench department than asked for is refused; a smaller one is extended.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from skills_site.thai_calendar import BANGKOK, fiscal_year_of, fiscal_year_period

from ...competencies.counts import changed_between, counted_base, counts_keep, scan_cells
from ...competencies.frameworks import framework_load
from ...competencies.levels import CONFIRMED_RANK
from ...competencies.models import (
    Competency,
    CompetencyFramework,
    CountedMoment,
    LevelCell,
    LevelEvidence,
    LevelInterval,
)
from ...competencies.services import evidence_record
from ...competencies.timeline import timeline_rebuild
from ...organisation.models import Employee, OrgUnit, PersonnelGroup
from ...organisation.selectors import unit_tree
from ...reports.models import CapabilityPlan, PlanTarget, PlanTargetValue
from ...reports.selectors import build_capability_report, plan_moments, target_specs

DIGCOMP_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "frameworks" / "digcomp-2.2.json"
BUREAUS, SECTIONS_PER_BUREAU = 8, 5
GROUPS = ["Executive", "Management", "Academic", "Technology", "Service", "Others"]
GROUP_WEIGHTS = [0.01, 0.04, 0.45, 0.10, 0.25, 0.15]
SOURCES = ["assessment", "manager_review", "course", "import", "self_assessment"]
SOURCE_WEIGHTS = [0.35, 0.15, 0.25, 0.05, 0.20]
ROUNDS = 7  # write, report, floor: the medians are printed


class Command(BaseCommand):
    help = "Time the capability report after new evidence against its floor (synthetic department)."

    def add_arguments(self, parser):
        parser.add_argument("--employees", type=int, default=1500)
        parser.add_argument("--seed", type=int, default=2566)
        parser.add_argument("--measure-only", action="store_true", help="(internal) skip the build step")

    def handle(self, *args, employees: int, seed: int, measure_only: bool, **options):
        if employees < 10:
            raise CommandError("Use at least 10 employees.")
        if not measure_only:
            self.build(employees, seed)
            # measure in a fresh process, so that peak memory is the report's and not the build's
            command = [
                sys.executable,
                sys.argv[0],
                "bench_reports",
                "--employees",
                str(employees),
                "--measure-only",
            ]
            result = subprocess.run(command, check=False)
            if result.returncode:
                raise CommandError("The measurement run failed.")
            return
        self.measure(employees)

    # --- building --------------------------------------------------------------------------

    def build(self, employees: int, seed: int) -> None:
        started = time.perf_counter()
        framework = self.framework()
        department, sections = self.units()
        groups = self.groups()
        existing = Employee.objects.filter(employee_number__startswith="BENCH").count()
        if existing > employees:
            raise CommandError(
                f"This database holds a bench department of {existing} employees; evidence is append-only, "
                "so use another database (DATABASE_URL) for a smaller one."
            )
        if existing < employees:
            with transaction.atomic():  # all of it or nothing, so that a failed build is not reused
                self.add_staff(existing, employees, sections, groups, framework, seed)
        self.plan(framework, department, groups)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {LevelEvidence._meta.db_table}")
                cursor.execute(f"ANALYZE {LevelInterval._meta.db_table}")
        self.stdout.write(f"bench data ready in {time.perf_counter() - started:.1f}s", self.style.NOTICE)

    def framework(self) -> CompetencyFramework:
        framework = CompetencyFramework.objects.filter(code="DigComp-2.2").first()
        if framework is None:
            framework_load(data=json.loads(DIGCOMP_FIXTURE.read_text(encoding="utf-8")))
            framework = CompetencyFramework.objects.get(code="DigComp-2.2")
        return framework

    def units(self) -> tuple[OrgUnit, list[OrgUnit]]:
        department, _ = OrgUnit.objects.get_or_create(
            code="BENCH",
            defaults={"name_th": "กรมทดสอบสมรรถนะ", "name_en": "Benchmark department", "kind": "department"},
        )
        sections = []
        for b in range(1, BUREAUS + 1):
            bureau, _ = OrgUnit.objects.get_or_create(
                code=f"BENCH.B{b}",
                defaults={
                    "name_th": f"สำนักทดสอบ {b}",
                    "name_en": f"Bureau {b}",
                    "kind": "bureau",
                    "parent": department,
                },
            )
            for s in range(1, SECTIONS_PER_BUREAU + 1):
                section, _ = OrgUnit.objects.get_or_create(
                    code=f"BENCH.B{b}.S{s}",
                    defaults={
                        "name_th": f"ฝ่ายทดสอบ {b}.{s}", "name_en": f"Section {b}.{s}", "kind": "section",
                        "parent": bureau,
                    },
                )  # fmt: skip
                sections.append(section)
        return department, sections

    def groups(self) -> list[PersonnelGroup]:
        return [
            PersonnelGroup.objects.get_or_create(code=code, defaults={"name_th": code, "name_en": code})[0]
            for code in GROUPS
        ]

    def add_staff(self, existing, employees, sections, groups, framework, seed) -> None:
        rng = np.random.default_rng(seed + existing)
        count = employees - existing
        self.stdout.write(f"adding {count} employees and their evidence…")
        User = get_user_model()
        numbers = [f"BENCH{n:07d}" for n in range(existing, employees)]
        with transaction.atomic():
            User.objects.bulk_create(
                [
                    User(username=number.lower(), email=f"{number.lower()}@bench.invalid", password="!")
                    for number in numbers
                ],
                batch_size=5000,
            )
            users = dict(User.objects.filter(username__startswith="bench").values_list("username", "id"))
            section_ids = np.array([s.id for s in sections])
            group_ids = np.array([g.id for g in groups])
            unit_of = rng.choice(section_ids, size=count)
            group_of = rng.choice(group_ids, size=count, p=GROUP_WEIGHTS)
            Employee.objects.bulk_create(
                [
                    Employee(
                        user_id=users[number.lower()],
                        employee_number=number,
                        first_name_th="ทดสอบ",
                        last_name_th=number,
                        org_unit_id=int(unit_of[i]),
                        personnel_group_id=int(group_of[i]),
                        start_date=dt.date(2015, 1, 5),
                    )  # fmt: skip
                    for i, number in enumerate(numbers)
                ],
                batch_size=5000,
            )
        staff = pd.DataFrame(
            list(
                Employee.objects.filter(employee_number__startswith="BENCH", employee_number__gte=numbers[0])
                .order_by("employee_number")
                .values_list("id", "org_unit_id", "personnel_group_id")
            ),
            columns=["employee_id", "org_unit_id", "personnel_group_id"],
        )
        competency_ids = list(Competency.objects.filter(framework=framework).values_list("id", flat=True))
        self.insert_evidence(staff, competency_ids, section_ids, rng)
        timeline_rebuild(staff["employee_id"].tolist())

    def insert_evidence(self, staff: pd.DataFrame, competency_ids: list[int], section_ids, rng) -> None:
        now = timezone.now()
        last_year = fiscal_year_of(now)
        years = list(range(last_year - 4, last_year + 1))
        n_staff, n_comp, n_year = len(staff), len(competency_ids), len(years)
        # a transfer for 5% of the staff on 1 April of the middle year: earlier evidence has the old unit
        moved = rng.random(n_staff) < 0.05
        old_unit = rng.choice(section_ids, size=n_staff)
        transfer_at = pd.Timestamp(dt.datetime(years[2] - 543, 4, 1, tzinfo=BANGKOK)).value
        total_chunks = 0
        for start in range(0, n_staff, 5000):
            part = staff.iloc[start : start + 5000]
            k = len(part)
            emp = np.repeat(part["employee_id"].to_numpy(), n_comp * n_year)
            comp = np.tile(np.repeat(np.array(competency_ids), n_year), k)
            year_index = np.tile(np.arange(n_year), k * n_comp)
            base = rng.integers(1, 5, size=k * n_comp).repeat(n_year)
            level = np.clip(base + year_index // 2 + rng.integers(-1, 2, size=len(emp)), 1, 8)
            starts = np.array([pd.Timestamp(fiscal_year_period(y).start_datetime()).value for y in years])
            spans = np.array(
                [
                    min(pd.Timestamp(fiscal_year_period(y).end_datetime()).value, pd.Timestamp(now).value)
                    - starts[i]
                    for i, y in enumerate(years)
                ]
            )
            observed = starts[year_index] + (rng.random(len(emp)) * spans[year_index]).astype("int64")
            observed = observed // 1000 * 1000  # microseconds, as the database stores them
            source = rng.choice(np.array(SOURCES), size=len(emp), p=SOURCE_WEIGHTS)
            unit_now = np.repeat(part["org_unit_id"].to_numpy(), n_comp * n_year)
            group_now = np.repeat(part["personnel_group_id"].to_numpy(), n_comp * n_year)
            before = np.repeat(moved[start : start + k], n_comp * n_year) & (observed < transfer_at)
            unit = np.where(before, np.repeat(old_unit[start : start + k], n_comp * n_year), unit_now)
            frame = pd.DataFrame(
                {
                    "employee_id": emp, "competency_id": comp, "level": level, "source": source,
                    "observed_at": pd.to_datetime(observed, utc=True), "org_unit_at_time_id": unit,
                    "personnel_group_at_time_id": group_now,
                }
            )  # fmt: skip
            self.write_evidence(frame, now)
            total_chunks += len(frame)
        self.corrections(rng)
        self.stdout.write(f"inserted {total_chunks} evidence rows")

    def write_evidence(self, frame: pd.DataFrame, now: dt.datetime) -> None:
        columns = [
            "employee_id", "competency_id", "level", "source", "observed_at", "recorded_at",
            "source_object_id", "source_label", "note", "org_unit_at_time_id", "personnel_group_at_time_id",
        ]  # fmt: skip
        frame = frame.assign(recorded_at=pd.Timestamp(now), source_object_id="", source_label="", note="")[
            columns
        ]
        table = LevelEvidence._meta.db_table
        with transaction.atomic():
            if connection.vendor == "postgresql":
                buffer = io.StringIO()
                frame.to_csv(buffer, index=False, header=False, date_format="%Y-%m-%d %H:%M:%S.%f+00")
                connection.ensure_connection()
                with connection.connection.cursor() as cursor:
                    with cursor.copy(
                        f"COPY {table} ({', '.join(columns)}) FROM STDIN "
                        "WITH (FORMAT csv, FORCE_NOT_NULL (source_object_id, source_label, note))"
                    ) as copy:
                        copy.write(buffer.getvalue())
            else:
                frame = frame.assign(
                    observed_at=frame["observed_at"].dt.strftime("%Y-%m-%d %H:%M:%S.%f"),
                    recorded_at=frame["recorded_at"].dt.strftime("%Y-%m-%d %H:%M:%S.%f"),
                )
                placeholders = ", ".join(["%s"] * len(columns))
                with connection.cursor() as cursor:
                    cursor.executemany(
                        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})",
                        [tuple(row) for row in frame.itertuples(index=False)],
                    )

    def corrections(self, rng) -> None:
        """A few corrections (0.1%), as HR enters them: same moment, another level."""
        ids = list(
            LevelEvidence.objects.filter(
                employee__employee_number__startswith="BENCH", corrections__isnull=True
            )
            .order_by("?")
            .values_list("id", flat=True)[:200]
        )
        corrected = []
        for original in LevelEvidence.objects.filter(id__in=ids):
            corrected.append(
                LevelEvidence(
                    employee_id=original.employee_id,
                    competency_id=original.competency_id,
                    level=max(1, original.level - 1),
                    source=original.source,
                    observed_at=original.observed_at,
                    note="bench correction",
                    corrects=original,
                    org_unit_at_time_id=original.org_unit_at_time_id,
                    personnel_group_at_time_id=original.personnel_group_at_time_id,
                )  # fmt: skip
            )
        LevelEvidence.objects.bulk_create(corrected)

    def plan(self, framework, department, groups) -> None:
        if CapabilityPlan.objects.filter(code="BENCH").exists():
            return
        last_year = fiscal_year_of(timezone.now())
        plan = CapabilityPlan.objects.create(
            code="BENCH", name_th="แผนทดสอบสมรรถนะดิจิทัล", name_en="Benchmark plan", framework=framework,
            first_fiscal_year=last_year - 3, last_fiscal_year=last_year + 1,
        )  # fmt: skip
        competencies = list(Competency.objects.filter(framework=framework).order_by("sort_order"))
        bureau = OrgUnit.objects.get(code="BENCH.B1")
        technology = next(g for g in groups if g.code == "Technology")
        specs = [(c, 3, None, []) for c in competencies]  # every competence, whole department, level 3+
        specs += [(competencies[0], 4, bureau, []), (competencies[9], 5, None, [technology])]
        specs += [(competencies[14], 4, bureau, [technology])]
        for order, (competency, level, unit, target_groups) in enumerate(specs):
            target = PlanTarget.objects.create(
                plan=plan, competency=competency, min_level=level, org_unit=unit,
                baseline_fiscal_year=plan.first_fiscal_year - 1, sort_order=order,
            )  # fmt: skip
            target.personnel_groups.set(target_groups)
            PlanTargetValue.objects.bulk_create(
                [
                    PlanTargetValue(target=target, fiscal_year=year, value=min(100, 40 + 10 * i))
                    for i, year in enumerate(plan.fiscal_years)
                ]
                + [PlanTargetValue(target=target, fiscal_year=last_year, quarter=1, value=70)]
            )

    # --- measuring -------------------------------------------------------------------------

    def measure(self, employees: int) -> None:
        plan = CapabilityPlan.objects.get(code="BENCH")
        now = timezone.now()
        connection.ensure_connection()
        children = unit_tree()
        specs = target_specs(plan, children)
        moments = plan_moments(plan, specs, now)
        bases = sorted({counted_base(moment.at) for moment in moments})

        # once per moment, ever: a database that has not counted these moments yet counts them now
        started = time.perf_counter()
        counts_keep(bases)
        keep_seconds = time.perf_counter() - started

        def report_now():
            return build_capability_report(
                plan, specs, children, now=now, structure="at_time", unit_id=None, group_id=None
            )

        report_now()  # a server process has its code loaded and its connection open
        writes, reports, floors = [], [], []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            self.fresh_evidence(now)
            writes.append(time.perf_counter() - started)
            started = time.perf_counter()
            report = report_now()
            reports.append(time.perf_counter() - started)
            started = time.perf_counter()
            self.floor(plan, moments, bases)
            floors.append(time.perf_counter() - started)
        write_seconds, report_seconds, floor_seconds = (
            float(np.median(times)) for times in (writes, reports, floors)
        )
        # what a server process needs for writes and reports (the moments were counted before, above,
        # when this database had not counted them yet: once per moment, ever)
        reports_peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        started = time.perf_counter()
        lower = self.lower_bound(moments, plan)
        scan_seconds = time.perf_counter() - started

        consistent = self.compare(report, specs, lower)
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        total_rows = LevelEvidence.objects.count()
        self.stdout.write(
            f"report: {len(specs)} targets, {len(report.table)} rows; scan: {len(lower)} groups; "
            f"figures agree with the scan: {consistent}"
        )
        self.stdout.write(
            json.dumps(
                {
                    "database": connection.vendor,
                    "employees": Employee.objects.filter(employee_number__startswith="BENCH").count(),
                    "evidence_rows": total_rows,
                    "cells_counted": report.cells_counted,
                    "keep_moments_seconds": round(keep_seconds, 3),
                    "evidence_write_seconds": round(write_seconds, 3),
                    "report_seconds": round(report_seconds, 3),
                    "report_seconds_range": [round(min(reports), 3), round(max(reports), 3)],
                    "floor_seconds": round(floor_seconds, 3),
                    "ratio": round(report_seconds / floor_seconds, 2) if floor_seconds else None,
                    "timeline_scan_seconds": round(scan_seconds, 3),
                    "scan_over_report": round(scan_seconds / report_seconds, 1) if report_seconds else None,
                    "peak_rss_mib_reports": round(reports_peak_mib, 1),
                    "peak_rss_mib": round(peak_mib, 1),
                    "figures_agree": consistent,
                }
            )
        )

    def floor(self, plan, moments, bases) -> None:
        """The database work any answer from the counted moments needs: one aggregate over their cells
        (confirmed levels per competence, at the counted day ends the report reads) and one count of
        the people whose count changes between "to date" and the end of its day, without placing anyone."""
        ids = list(CountedMoment.objects.filter(moment_at__in=bases).values_list("id", flat=True))
        competency_ids = Competency.objects.filter(framework=plan.framework_id).values_list("id", flat=True)
        cells = LevelCell._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"""SELECT moment_id, competency_id, level, SUM("count") FROM {cells}
                    WHERE moment_id IN ({", ".join(str(int(i)) for i in ids)}) AND structure = %s
                      AND competency_id IN ({", ".join(str(int(c)) for c in competency_ids)})
                    GROUP BY moment_id, competency_id, level""",
                ["at_time"],
            )
            cursor.fetchall()
        for moment in moments:
            base = counted_base(moment.at)
            if base != moment.at:
                scan_cells([moment.at, base], people=changed_between(moment.at, base))
                break

    def fresh_evidence(self, now) -> None:
        """New evidence just before the report, as on a working day: nothing is left to reuse."""
        employee = Employee.objects.filter(employee_number__startswith="BENCH").order_by("?").first()
        competency = Competency.objects.filter(framework__code="DigComp-2.2").order_by("?").first()
        evidence_record(
            employee=employee, competency=competency, level=3, source="manager_review", observed_at=now,
            note="bench: fresh evidence before measuring",
        )  # fmt: skip

    def lower_bound(self, moments, plan) -> pd.DataFrame:
        """What answering from the timeline itself costs: one SQL aggregate over the stored intervals,
        confirmed levels per competency at each moment the report measures (fiscal-year ends and
        quarters), with no placement or staff. Also the check of the report's figures."""
        adapt = connection.ops.adapt_datetimefield_value
        values = ", ".join(["(%s, %s, %s)"] * len(moments))
        if connection.vendor == "postgresql":
            values = ", ".join(["(%s::integer, %s::integer, %s::timestamptz)"] * len(moments))
        params = []
        for moment in moments:
            params += [moment.fiscal_year, moment.quarter or 0, adapt(moment.at)]
        competency_ids = sorted(
            Competency.objects.filter(framework_id=plan.framework_id).values_list("id", flat=True)
        )
        sql = f"""
            WITH m(fy, quarter, moment_at) AS (VALUES {values})
            SELECT m.fy, m.quarter, i.competency_id, i.level, COUNT(*)
            FROM {LevelInterval._meta.db_table} i
            JOIN m ON i.valid_from <= m.moment_at AND (i.valid_until IS NULL OR i.valid_until > m.moment_at)
            WHERE i.rank >= {int(CONFIRMED_RANK)}
              AND i.competency_id IN ({", ".join(str(int(c)) for c in competency_ids)})
            GROUP BY m.fy, m.quarter, i.competency_id, i.level
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return pd.DataFrame(rows, columns=["fiscal_year", "quarter", "competency_id", "level", "count"])

    def compare(self, report, specs, lower: pd.DataFrame) -> bool:
        """Whole-department targets: the report's reached count equals the SQL count at level >= L."""
        table = report.table[report.table["period"].isin(["baseline", "year"])]
        for spec in specs:
            if spec.unit_ids is not None or spec.group_ids is not None:
                continue
            rows = table[(table["target_id"] == spec.id) & table["reached"].notna()]
            for row in rows.itertuples():
                sql = lower[
                    (lower["fiscal_year"] == row.fiscal_year)
                    & (lower["quarter"] == 0)
                    & (lower["competency_id"] == spec.competency_id)
                    & (lower["level"] >= spec.min_level)
                ]["count"].sum()
                if int(sql) != int(row.reached):
                    self.stderr.write(
                        f"mismatch: target {spec.id} FY{row.fiscal_year}: {row.reached} vs {sql}"
                    )
                    return False
        return True
