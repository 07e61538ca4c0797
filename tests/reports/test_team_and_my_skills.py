"""My team (managers) and My skills (every employee)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from profiles.factories import EmployeeFactory, LevelEvidenceFactory
from profiles.models import LevelEvidence

Source = LevelEvidence.Source


@pytest.fixture
def levels(alice, carol, competencies, targets):
    when = timezone.now() - dt.timedelta(days=30)  # recent: a self-rating counts for a year only
    LevelEvidenceFactory(employee=alice, competency=competencies["A1.1"], level=3, observed_at=when)
    LevelEvidenceFactory(employee=alice, competency=competencies["A2.1"], level=1, observed_at=when)
    LevelEvidenceFactory(
        employee=alice,
        competency=competencies["A1.2"],
        level=5,
        source=Source.SELF_ASSESSMENT,
        observed_at=when,
    )
    LevelEvidenceFactory(employee=carol, competency=competencies["A1.1"], level=1, observed_at=when)


def test_manager_sees_a_matrix_of_their_team_only(client, bob, carol, alice, levels):
    client.force_login(bob.user)
    response = client.get(reverse("profiles:my_team"))
    assert response.status_code == 200
    team = response.context["team"]
    assert [m.pk for m in team.members] == [alice.pk]  # not Carol (another unit), not Bob himself
    html = response.content.decode()
    assert f'data-employee="{alice.pk}"' in html and f'data-employee="{carol.pk}"' not in html
    cells = {c["competency"].code: c for c in team.rows[0]["cells"]}
    assert (cells["A1.1"]["level"], cells["A1.1"]["target"], cells["A1.1"]["gap"]) == (3, 3, 0)
    assert (cells["A2.1"]["level"], cells["A2.1"]["gap"]) == (1, 1)
    # a self-rating of 5 does not close the gap to 3
    assert cells["A1.2"]["self_rated"] and cells["A1.2"]["gap"] == 3
    readiness = {r["competency"].code: r["ready_pct"] for r in team.readiness}
    assert readiness == {"A1.1": 100.0, "A1.2": 0.0, "A2.1": 0.0}
    assert {(n["competency"].code, n["gap"]) for n in team.needs} == {("A1.2", 3), ("A2.1", 1)}
    chart = client.get(reverse("profiles:my_team_chart"))
    assert chart["Content-Type"] == "image/png"


def test_forged_unit_and_non_managers_are_refused(client, bob, carol, alice, org, levels):
    client.force_login(bob.user)
    assert client.get(reverse("profiles:my_team") + f"?unit={org['service'].pk}").status_code == 403
    assert client.get(reverse("profiles:my_team") + "?unit=abc").status_code == 403
    assert client.get(reverse("profiles:my_team_chart") + f"?unit={org['service'].pk}").status_code == 403
    client.force_login(alice.user)
    assert client.get(reverse("profiles:my_team")).status_code == 403


def test_team_queries_do_not_grow_with_headcount(client, bob, alice, org, academic, competencies, levels):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(bob.user)
    client.get(reverse("profiles:my_profile"))  # a session's first page answers the menu's role questions

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("profiles:my_team")).status_code == 200
        return len(captured)

    small = count()
    for _ in range(12):
        person = EmployeeFactory(org_unit=org["data"], personnel_group=academic)
        LevelEvidenceFactory(employee=person, competency=competencies["A1.1"], level=2)
    assert count() == small


def test_my_skills_shows_levels_targets_history_and_why(client, alice, levels, competencies):
    LevelEvidenceFactory(
        employee=alice, competency=competencies["A1.1"], level=2,
        observed_at=dt.datetime(2024, 1, 10, 10, tzinfo=dt.UTC),
    )  # fmt: skip
    client.force_login(alice.user)
    response = client.get(reverse("profiles:my_skills"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="skill-{competencies["A1.1"].pk}"' in html
    history = response.context["skills"].history
    a11 = history[history["competency_id"] == competencies["A1.1"].pk]["level"].tolist()
    assert a11 == [2, 3]  # level 2 from January 2024, then 3 from last month
    for kind in ("levels", "history"):
        chart = client.get(reverse("profiles:my_skills_chart", args=[kind]))
        assert chart.status_code == 200 and chart.content[:4] == b"\x89PNG"
    assert client.get(reverse("profiles:my_skills_chart", args=["other"])).status_code == 404


def test_my_skills_without_staff_profile_and_anonymous(client, oscar):
    assert client.get(reverse("profiles:my_skills")).status_code == 302
    client.force_login(oscar)
    response = client.get(reverse("profiles:my_skills"))
    assert response.status_code == 200 and response.context["employee"] is None
    assert client.get(reverse("profiles:my_skills_chart", args=["levels"])).status_code == 404


def test_my_skills_queries_do_not_grow_with_evidence(client, alice, competencies, levels):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(alice.user)
    client.get(reverse("profiles:my_profile"))  # a session's first page answers the menu's role questions

    def count():
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("profiles:my_skills"))
        return len(captured)

    small = count()
    for month in range(1, 10):
        LevelEvidenceFactory(
            employee=alice, competency=competencies["A1.2"], level=month % 5 + 1,
            observed_at=dt.datetime(2023, month, 1, tzinfo=dt.UTC),
        )  # fmt: skip
    assert count() == small


def test_hr_opens_the_team_of_any_unit(client, hana, alice, carol, org, levels):
    client.force_login(hana)
    response = client.get(reverse("profiles:my_team") + f"?unit={org['service'].pk}")
    assert [m.pk for m in response.context["team"].members] == [carol.pk]


def test_a_large_team_is_paged_searched_and_sorted_by_gap(client, bob, org, academic, competencies, levels):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from profiles.reports.selectors import TEAM_PAGE_SIZE

    when = timezone.now() - dt.timedelta(days=10)
    for n in range(TEAM_PAGE_SIZE + 5):
        person = EmployeeFactory(org_unit=org["data"], personnel_group=academic, first_name_th=f"ทีม{n:03d}")
        LevelEvidenceFactory(employee=person, competency=competencies["A1.1"], level=3, observed_at=when)
    client.force_login(bob.user)
    first = client.get(reverse("profiles:my_team")).context["team"]
    assert (first.total, first.pages, len(first.rows)) == (TEAM_PAGE_SIZE + 6, 2, TEAM_PAGE_SIZE)
    second = client.get(reverse("profiles:my_team") + "?page=2").context["team"]
    assert len(second.rows) == 6 and not {m.pk for m in first.members} & {m.pk for m in second.members}
    assert sum(r["with_target"] for r in first.readiness) == sum(r["with_target"] for r in second.readiness)
    assert client.get(reverse("profiles:my_team") + "?page=99").context["team"].page == 2
    found = client.get(reverse("profiles:my_team") + "?q=ทีม007").context["team"]
    assert [m.first_name_th for m in found.members] == ["ทีม007"]
    by_gap = client.get(reverse("profiles:my_team") + "?sort=gap").context["team"]
    gaps = [sum(c["gap"] or 0 for c in row["cells"]) for row in by_gap.rows]
    assert gaps == sorted(gaps, reverse=True)
    with CaptureQueriesContext(connection) as big:
        client.get(reverse("profiles:my_team") + "?sort=gap&page=2")
    for _ in range(30):
        EmployeeFactory(org_unit=org["data"], personnel_group=academic)
    with CaptureQueriesContext(connection) as bigger:
        client.get(reverse("profiles:my_team") + "?sort=gap&page=2")
    assert len(big) == len(bigger)
