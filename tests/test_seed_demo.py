import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from profiles.competencies.levels import current_levels_bulk
from profiles.demo.build import DEMO_DOMAIN
from profiles.models import CapabilityPlan, Employee, LevelEvidence, OrgUnit


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def fingerprint():
    return (
        list(
            Employee.objects.order_by("employee_number").values_list(
                "employee_number", "first_name_th", "org_unit__code", "personnel_group__code"
            )
        ),
        list(
            LevelEvidence.objects.order_by(
                "observed_at", "employee__employee_number", "competency__code"
            ).values_list("employee__employee_number", "competency__code", "level", "source")
        ),
    )


@pytest.mark.django_db
def test_small_demo_department():
    output = seed("--employees", "120", "--seed", "7")
    assert Employee.objects.count() == 120
    assert OrgUnit.objects.filter(kind="department").count() == 1
    assert OrgUnit.objects.filter(kind="section", head__isnull=True).count() == 0
    assert LevelEvidence.objects.count() > 120 * 6
    # Progress and the logins are printed.
    assert "Staff: 120 employees" in output and f"employee@{DEMO_DOMAIN}" in output
    # The demo logins exist and the manager heads the employee's unit.
    employee = Employee.objects.get(user__email=f"employee@{DEMO_DOMAIN}")
    assert employee.org_unit.head.user.email == f"manager@{DEMO_DOMAIN}"
    assert Employee.objects.get(user__email=f"hr@{DEMO_DOMAIN}").user.groups.filter(name="HR").exists()
    # HR's digital action plan is there, and HR may edit it.
    plan = CapabilityPlan.objects.get(code="DAP-2566")
    assert (plan.first_fiscal_year, plan.last_fiscal_year, plan.targets.count()) == (2566, 2570, 5)
    hr_user = Employee.objects.get(user__email=f"hr@{DEMO_DOMAIN}").user
    assert hr_user.has_perm("profiles.change_capabilityplan") and hr_user.has_perm("profiles.add_plantarget")
    # Five fiscal years of history, improving: more people at level 3+ now than at the start.
    fiscal_years = {e.observed_at.year for e in LevelEvidence.objects.all()}
    assert {2022, 2023, 2024, 2025, 2026} <= fiscal_years
    start = current_levels_bulk(Employee.objects.all(), as_of=dt.date(2023, 9, 30))
    end = current_levels_bulk(Employee.objects.all(), as_of=dt.date(2026, 9, 30))
    high = lambda levels: sum(lv.level >= 3 for d in levels.values() for lv in d.values())  # noqa: E731
    assert high(end) > high(start)


@pytest.mark.django_db
def test_same_seed_gives_the_same_department():
    seed("--employees", "60", "--seed", "3")
    first = fingerprint()
    seed("--employees", "60", "--seed", "3", "--reset")
    assert fingerprint() == first


@pytest.mark.django_db
def test_refuses_a_non_empty_database_without_reset():
    seed("--employees", "40")
    before = fingerprint()
    with pytest.raises(CommandError) as error:
        seed("--employees", "40", "--seed", "9")
    assert "--reset" in str(error.value) and "\n" not in str(error.value)
    assert fingerprint() == before


@pytest.mark.django_db
def test_if_empty_keeps_existing_data_and_prints_logins():
    seed("--employees", "40")
    before = fingerprint()
    output = seed("--if-empty")
    assert "already present" in output and f"manager@{DEMO_DOMAIN}" in output
    assert fingerprint() == before
