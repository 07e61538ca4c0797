"""Shared fixtures: a small organisation and the named personas used across the tests.

- ``alice``: an employee in the Data section.
- ``bob``: head of the Data section, so Alice's manager (and an employee himself).
- ``carol``: head of the Service section: a manager of another unit.
- ``hana``: HR, works in the Wagtail admin.
- ``eddie``: a content editor (Wagtail's Editors group), with no staff profile: pages only.
- ``ada``: a content editor who is also a course author: pages, courses and the question bank.
- ``oscar``: an outsider: a login with no staff profile and no group.
"""

import pytest
from django.contrib.auth.models import Group

from profiles.factories import (
    CompetencyAreaFactory,
    CompetencyFactory,
    CompetencyFrameworkFactory,
    EmployeeFactory,
    OrgUnitFactory,
    PersonnelGroupFactory,
    RoleTargetFactory,
    UserFactory,
)
from profiles.models import OrgUnit
from profiles.organisation.roles import COURSE_AUTHORS_GROUP, EDITORS_GROUP, HR_GROUP

PASSWORD = "correct-horse-battery"


@pytest.fixture
def org(db):
    """Department > Bureau > two sections."""
    department = OrgUnitFactory(
        code="D", kind=OrgUnit.Kind.DEPARTMENT, parent=None, name_th="กรมตัวอย่าง", name_en="Sample Department"
    )
    bureau = OrgUnitFactory(
        code="D.B1",
        kind=OrgUnit.Kind.BUREAU,
        parent=department,
        name_th="สำนักเทคโนโลยี",
        name_en="Technology Bureau",
    )
    data = OrgUnitFactory(
        code="D.B1.S1", kind=OrgUnit.Kind.SECTION, parent=bureau, name_th="ฝ่ายข้อมูล", name_en="Data Section"
    )
    service = OrgUnitFactory(
        code="D.B1.S2",
        kind=OrgUnit.Kind.SECTION,
        parent=bureau,
        name_th="ฝ่ายบริการ",
        name_en="Service Section",
    )
    return {"department": department, "bureau": bureau, "data": data, "service": service}


@pytest.fixture
def academic(db):
    return PersonnelGroupFactory(code="Academic", name_th="กลุ่มวิชาการ", name_en="Academic")


@pytest.fixture
def framework(db):
    """A five-level framework with two areas and three competencies."""
    fw = CompetencyFrameworkFactory(code="TEST", name_en="Test framework")
    area1 = CompetencyAreaFactory(framework=fw, code="A1", name_en="Using")
    area2 = CompetencyAreaFactory(framework=fw, code="A2", name_en="Securing")
    CompetencyFactory(area=area1, code="A1.1", name_en="Office tools", name_th="โปรแกรมสำนักงาน")
    CompetencyFactory(area=area1, code="A1.2", name_en="Data", name_th="ข้อมูล")
    CompetencyFactory(area=area2, code="A2.1", name_en="Cyber hygiene", name_th="ความปลอดภัยไซเบอร์")
    return fw


@pytest.fixture
def competencies(framework):
    return {c.code: c for c in framework.competencies.order_by("code")}


@pytest.fixture
def targets(framework, academic, competencies):
    area1 = framework.areas.get(code="A1")
    RoleTargetFactory(framework=framework, personnel_group=academic, area=area1, competency=None, level=3)
    RoleTargetFactory(framework=framework, personnel_group=academic, competency=competencies["A2.1"], level=2)


@pytest.fixture
def alice(org, academic):
    user = UserFactory(username="alice", email="alice@example.go.th", first_name="Alice")
    return EmployeeFactory(
        user=user,
        org_unit=org["data"],
        personnel_group=academic,
        first_name_th="อลิส",
        last_name_th="ใจดี",
        first_name_en="Alice",
        last_name_en="Jaidee",
    )


@pytest.fixture
def bob(org, academic):
    user = UserFactory(username="bob", email="bob@example.go.th", first_name="Bob")
    employee = EmployeeFactory(
        user=user,
        org_unit=org["data"],
        personnel_group=academic,
        first_name_th="บ๊อบ",
        last_name_th="ขยัน",
        first_name_en="Bob",
        last_name_en="Kayan",
    )
    org["data"].head = employee
    org["data"].save(update_fields=["head"])
    return employee


@pytest.fixture
def carol(org, academic):
    user = UserFactory(username="carol", email="carol@example.go.th", first_name="Carol")
    employee = EmployeeFactory(
        user=user,
        org_unit=org["service"],
        personnel_group=academic,
        first_name_th="แครอล",
        last_name_th="สุขใจ",
    )
    org["service"].head = employee
    org["service"].save(update_fields=["head"])
    return employee


@pytest.fixture
def hana(db):
    user = UserFactory(username="hana", email="hana@example.go.th", first_name="Hana")
    user.groups.add(Group.objects.get(name=HR_GROUP))
    return user


@pytest.fixture
def eddie(db):
    user = UserFactory(username="eddie", email="eddie@example.go.th", first_name="Eddie")
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


@pytest.fixture
def ada(db):
    user = UserFactory(username="ada", email="ada@example.go.th", first_name="Ada")
    user.groups.add(Group.objects.get(name=EDITORS_GROUP), Group.objects.get(name=COURSE_AUTHORS_GROUP))
    return user


@pytest.fixture
def oscar(db):
    return UserFactory(username="oscar", email="oscar@example.go.th", first_name="Oscar")


@pytest.fixture
def english():
    """Run the test with English messages (Thai is the site's default language)."""
    from django.utils import translation

    with translation.override("en"):
        yield
