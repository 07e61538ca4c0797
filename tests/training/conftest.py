"""A small department with a plan for the next fiscal year and a priced course catalogue.

Staff (besides Alice and Bob in Data, Carol in Service, from tests/conftest.py): six more in Data
(d1-d6) and four more in Service (s1-s4); nobody has evidence unless a test records some.

Plan "TRAIN" runs from the current fiscal year to the year after next. Its target for next year (NEXT):
- T1: A1.1 at level 3 or above, the whole department, 50%;
- T2: A2.1 at level 2 or above, the Data section, 50%.

Courses:
- "Office basics" (self-paced, 800 baht a seat) evidences A1.1 at 3;
- "Cyber workshop" (classroom, 5,000 a run of up to 4, 200 a seat) evidences A2.1 at 2;
- "Office and cyber" (external, 1,500 a seat) evidences A1.1 at 3 and A2.1 at 2.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import timezone

from courses.factories import catalogue_create, course_create
from profiles.factories import CapabilityPlanFactory, EmployeeFactory, PlanTargetFactory, UserFactory
from skills_site.thai_calendar import fiscal_year_of

NOW_FY = fiscal_year_of(timezone.now())
NEXT = NOW_FY + 1


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached plans must not leak from one test to the next (ids repeat after a rollback)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(org, academic, alice, bob, carol):
    people = {"alice": alice, "bob": bob, "carol": carol}
    for n in range(1, 7):
        people[f"d{n}"] = EmployeeFactory(
            user=UserFactory(username=f"d{n}"),
            org_unit=org["data"],
            personnel_group=academic,
            first_name_th=f"ดาต้า{n}",
            last_name_th="ทดสอบ",
            first_name_en=f"Data{n}",
            last_name_en="Test",
        )
    for n in range(1, 5):
        people[f"s{n}"] = EmployeeFactory(
            user=UserFactory(username=f"s{n}"),
            org_unit=org["service"],
            personnel_group=academic,
            first_name_th=f"บริการ{n}",
            last_name_th="ทดสอบ",
            first_name_en=f"Service{n}",
            last_name_en="Test",
        )
    return people


@pytest.fixture
def training_plan_model(framework, competencies, org):
    plan = CapabilityPlanFactory(
        code="TRAIN",
        name_th="แผนพัฒนาทักษะดิจิทัล",
        name_en="Digital skills plan",
        framework=framework,
        first_fiscal_year=NOW_FY,
        last_fiscal_year=NOW_FY + 2,
    )
    PlanTargetFactory(
        plan=plan,
        competency=competencies["A1.1"],
        min_level=3,
        baseline_fiscal_year=NOW_FY - 1,
        name_th="ทั้งกรมระดับ 3",
        name_en="Department at level 3",
        values={NEXT: 50},
        sort_order=1,
    )
    PlanTargetFactory(
        plan=plan,
        competency=competencies["A2.1"],
        min_level=2,
        baseline_fiscal_year=NOW_FY - 1,
        org_unit=org["data"],
        name_th="ฝ่ายข้อมูลระดับ 2",
        name_en="Data section at level 2",
        values={NEXT: 50},
        sort_order=2,
    )
    return plan


@pytest.fixture
def catalogue(db):
    return catalogue_create(title="คลังหลักสูตร", slug="courses")


@pytest.fixture
def priced_courses(catalogue, competencies):
    office = course_create(
        catalogue=catalogue,
        title="Office basics",
        competencies=[(competencies["A1.1"], 3)],
        delivery_mode="self_paced",
        cost_per_seat=800,
        learning_hours=4,
    )
    cyber = course_create(
        catalogue=catalogue,
        title="Cyber workshop",
        competencies=[(competencies["A2.1"], 2)],
        delivery_mode="classroom",
        cost_per_seat=200,
        cost_per_run=5000,
        seats_per_run=4,
        learning_hours=6,
    )
    both = course_create(
        catalogue=catalogue,
        title="Office and cyber",
        competencies=[(competencies["A1.1"], 3), (competencies["A2.1"], 2)],
        delivery_mode="external",
        cost_per_seat=1500,
        learning_hours=8,
    )
    return {"office": office, "cyber": cyber, "both": both}


@pytest.fixture
def world(staff, training_plan_model, priced_courses, hana):
    return {"staff": staff, "plan": training_plan_model, "courses": priced_courses, "hana": hana}
