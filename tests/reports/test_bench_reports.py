"""The benchmark's synthetic department: the report read from the counted moments agrees with a count
over the timeline itself (a smoke run)."""

import io
import json

from profiles.management.commands.bench_reports import Command
from profiles.models import CapabilityPlan, Employee, LevelEvidence


def test_bench_builds_a_department_and_the_lower_bound_matches_the_report(db):
    command = Command(stdout=io.StringIO(), stderr=io.StringIO())
    command.build(12, seed=1)
    assert Employee.objects.filter(employee_number__startswith="BENCH").count() == 12
    assert LevelEvidence.objects.count() >= 12 * 21 * 5
    command.build(12, seed=1)  # reused, not rebuilt
    assert Employee.objects.filter(employee_number__startswith="BENCH").count() == 12
    assert CapabilityPlan.objects.filter(code="BENCH").count() == 1
    command.measure(12)
    result = json.loads(command.stdout.getvalue().strip().splitlines()[-1])
    assert result["employees"] == 12 and result["figures_agree"] is True
    assert result["report_seconds"] > 0 and result["floor_seconds"] > 0
    assert result["timeline_scan_seconds"] > 0
