import pytest
from django.contrib.auth.models import Group

from profiles.factories import EmployeeFactory, UserFactory
from profiles.models import HROfficerScope
from profiles.organisation.roles import COMMITTEE_GROUP, HR_GROUP


@pytest.fixture
def scoped_hr(org):
    """An HR officer of the bureau's second section only."""
    user = UserFactory(username="sara", email="sara@example.go.th")
    user.groups.add(Group.objects.get(name=HR_GROUP))
    HROfficerScope.objects.create(user=user, org_unit=org["service"])
    return user


@pytest.fixture
def committee(db):
    user = UserFactory(username="cora", email="cora@example.go.th")
    user.groups.add(Group.objects.get(name=COMMITTEE_GROUP))
    return user


@pytest.fixture
def dave(org, academic):
    """Another employee in Carol's section."""
    return EmployeeFactory(
        user=UserFactory(username="dave"), org_unit=org["service"], personnel_group=academic,
        first_name_th="เดฟ", last_name_th="ตั้งใจ",
    )  # fmt: skip


# The reports' small department, plan and history (for figures before and after anonymisation).
from tests.reports.conftest import empty_cache, history, plan, staff, technology  # noqa: E402, F401


@pytest.fixture
def world(org, academic, framework, competencies, alice, bob, carol, hana, eddie, ada, plan, history):  # noqa: F811
    from tests.access.world import build_world

    return build_world(
        org=org, academic=academic, framework=framework, competencies=competencies, alice=alice, bob=bob,
        carol=carol, hana=hana, eddie=eddie, ada=ada, plan=plan,
    )  # fmt: skip
