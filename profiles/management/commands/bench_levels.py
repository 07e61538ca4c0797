"""Benchmark the level policy in bulk: current levels of every employee at each fiscal year end."""

import json
import time
import tracemalloc

from django.core.management.base import BaseCommand
from django.db import connection

from skills_site.thai_calendar import fiscal_year_period

from ...competencies.levels import current_levels_bulk
from ...competencies.models import LevelEvidence
from ...organisation.models import Employee


class Command(BaseCommand):
    help = (
        "Time current_levels_bulk for the whole workforce at the end of FY2566-FY2570 "
        "(uses the data in the database; run seed_demo first). Prints one JSON line last."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=3, help="runs per fiscal year (best is kept)")

    def handle(self, *args, repeat, **options):
        employees = Employee.objects.count()
        evidence = LevelEvidence.objects.count()
        if not employees:
            self.stderr.write("No employees: run `manage.py seed_demo` first.")
            return
        results = {}
        for fiscal_year in range(2566, 2571):
            moment = fiscal_year_period(fiscal_year).end_datetime()
            best = None
            for _ in range(max(1, repeat)):
                started = time.perf_counter()
                counter = _Counter()
                with connection.execute_wrapper(counter):
                    levels = current_levels_bulk(Employee.objects.all(), as_of=moment)
                elapsed = time.perf_counter() - started
                best = elapsed if best is None else min(best, elapsed)
            people = len(levels)
            results[f"FY{fiscal_year}"] = {"seconds": round(best, 3), "queries": counter.count,
                                           "employees_with_levels": people}  # fmt: skip
            self.stdout.write(
                f"FY{fiscal_year}: {best:.3f}s, {counter.count} query, {people} employees with levels"
            )
        # Memory is measured on a separate run: tracing allocations slows the timed runs.
        tracemalloc.start()
        current_levels_bulk(Employee.objects.all(), as_of=fiscal_year_period(2570).end_datetime())
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        summary = {"employees": employees, "evidence_rows": evidence, "database": connection.vendor,
                   "peak_python_memory_mib": round(peak / 2**20, 1), "per_fiscal_year": results}  # fmt: skip
        self.stdout.write(json.dumps(summary))


class _Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)
