"""A small department with a hand-checkable history, and a plan over it.

Staff (all start in 2020): Alice, Bob (Data section), Carol (Service section), Dan (Service,
Technology group), Max (in Data until his transfer to Service in 2024).

Evidence in A1.1:
- Alice: assessment level 3 on 30 Sep 2024 23:30 (the last half hour of FY2567).
- Bob: assessment level 3 on 1 Oct 2024 00:00 (the first moment of FY2568).
- Carol: completed course level 2 on 1 May 2023.
- Dan: self-assessment level 5 on 1 Jun 2025 (never counts towards a plan).
- Max: assessment level 4 on 1 Mar 2023 (in Data) and again on 1 Mar 2025 (in Service).

"Now" is 15 Nov 2025 (FY2569 Q1).
"""

import datetime as dt

import pytest

from profiles.factories import (
    CapabilityPlanFactory,
    EmployeeFactory,
    LevelEvidenceFactory,
    PersonnelGroupFactory,
    PlanTargetFactory,
    UserFactory,
)
from profiles.models import LevelEvidence
from skills_site.thai_calendar import BANGKOK

Source = LevelEvidence.Source
NOW = dt.datetime(2025, 11, 15, 10, 0, tzinfo=BANGKOK)


def at(year, month, day, hour=12, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=BANGKOK)


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached reports must not leak from one test to the next (ids repeat after a rollback)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def technology(db):
    return PersonnelGroupFactory(code="Technology", name_th="กลุ่มเทคโนโลยี", name_en="Technology")


@pytest.fixture
def staff(org, academic, technology, alice, bob, carol):
    dan = EmployeeFactory(
        user=UserFactory(username="dan"), org_unit=org["service"], personnel_group=technology,
        first_name_th="แดน", last_name_th="ดี", first_name_en="Dan", last_name_en="Dee",
    )  # fmt: skip
    max_ = EmployeeFactory(
        user=UserFactory(username="max"), org_unit=org["service"], personnel_group=academic,
        first_name_th="แม็กซ์", last_name_th="ย้าย", first_name_en="Max", last_name_en="Moves",
    )  # fmt: skip
    return {"alice": alice, "bob": bob, "carol": carol, "dan": dan, "max": max_}


@pytest.fixture
def history(staff, competencies, org):
    a11 = competencies["A1.1"]

    def record(who, level, source, when, unit=None):
        employee = staff[who]
        return LevelEvidenceFactory(
            employee=employee, competency=a11, level=level, source=source, observed_at=when,
            org_unit_at_time=unit or employee.org_unit,
        )  # fmt: skip

    record("alice", 3, Source.ASSESSMENT, at(2024, 9, 30, 23, 30))
    record("bob", 3, Source.ASSESSMENT, at(2024, 10, 1, 0, 0))
    record("carol", 2, Source.COURSE, at(2023, 5, 1))
    record("dan", 5, Source.SELF_ASSESSMENT, at(2025, 6, 1))
    record("max", 4, Source.ASSESSMENT, at(2023, 3, 1), unit=org["data"])
    record("max", 4, Source.ASSESSMENT, at(2025, 3, 1), unit=org["service"])
    return staff


@pytest.fixture
def plan(framework, competencies, org, technology):
    plan = CapabilityPlanFactory(
        code="DAP", name_th="แผนปฏิบัติการดิจิทัล 2566–2570", name_en="Digital action plan 2566–2570",
        framework=framework, first_fiscal_year=2566, last_fiscal_year=2570,
    )  # fmt: skip
    PlanTargetFactory(
        plan=plan, competency=competencies["A1.1"], min_level=3, baseline_fiscal_year=2566,
        name_th="บุคลากรทั้งหมดระดับ 3 ขึ้นไป", name_en="All staff at level 3 or above",
        values={2567: 50, 2568: 60, 2569: 80, 2570: 90}, sort_order=1,
    )  # fmt: skip
    PlanTargetFactory(
        plan=plan, competency=competencies["A1.1"], min_level=1, baseline_fiscal_year=2567,
        org_unit=org["service"], personnel_groups=[technology],
        name_th="กลุ่มเทคโนโลยีระดับ 1", name_en="Technology group at level 1",
        values={2568: 100, 2569: 100}, sort_order=2,
    )  # fmt: skip
    return plan
