"""Roles beyond employee/manager/HR: committee viewers, acting heads, HR officers of a subtree, editors."""

import datetime as dt

import pandas as pd
import pytest
from django.urls import reverse
from django.utils import timezone

from profiles.models import ActingHead
from profiles.organisation import access
from profiles.reports.suppression import suppress_distribution, suppress_target_rows


def test_acting_head_sees_the_unit_only_between_the_dates(alice, bob, carol, dave, org):
    today = timezone.localdate()
    acting = ActingHead.objects.create(
        org_unit=org["data"], employee=dave, starts_on=today, ends_on=today + dt.timedelta(days=7)
    )
    assert access.can_view_employee(dave.user, alice) and access.is_manager(dave.user)
    assert access.headed_units(dave.user, on=today + dt.timedelta(days=8)).count() == 0
    ActingHead.objects.filter(pk=acting.pk).update(starts_on=today + dt.timedelta(days=1))
    assert not access.can_view_employee(dave.user, alice)


def test_scoped_hr_sees_their_subtree_only(alice, dave, scoped_hr):
    assert not access.is_hr(scoped_hr) and access.is_hr_officer(scoped_hr)
    assert set(access.visible_employees(scoped_hr)) == {dave}
    assert access.can_manage_employee(scoped_hr, dave) and not access.can_manage_employee(scoped_hr, alice)


def test_editor_and_committee_see_no_personal_data(alice, eddie, committee):
    assert not access.visible_employees(eddie).exists()
    assert not access.visible_employees(committee).exists()
    assert access.report_scope_for(committee) is None and not access.sees_small_groups(committee)
    assert access.report_scope_for(eddie) == set()


def test_small_groups_are_blanked_and_cannot_be_recovered_by_subtraction():
    frame = pd.DataFrame(
        {
            "target_id": [1, 1, 1],
            "group": ["A", "B", "C"],
            "headcount": [3, 6, 9],
            "reached": [1, 4, 6],
            "actual_pct": [33.3, 66.7, 66.7],
            "needed": [2, 4, 6],
            "gap_headcount": [1, 0, 0],
        }
    )
    hidden = suppress_target_rows(frame, 5, complement_by=["target_id"])
    assert hidden["reached"].tolist() == [None, None, 6]  # B is hidden too: A = total - B - C otherwise
    assert hidden["suppressed"].tolist() == [True, True, False]


def test_level_counts_under_five_are_blanked():
    frame = pd.DataFrame(
        {
            "fiscal_year": [2568] * 3, "competency_id": [1] * 3, "competency": ["A1.1"] * 3,
            "level": [0, 1, 2], "headcount": [10, 2, 8], "share_pct": [50.0, 10.0, 40.0],
            "to_date": [False] * 3,
        }
    )  # fmt: skip
    hidden = suppress_distribution(frame, 5)
    assert hidden["headcount"].tolist() == [10, None, None]


def test_committee_viewer_gets_the_report_with_small_units_suppressed(client, committee, plan, history):
    client.force_login(committee)
    response = client.get(reverse("capability_report:by_unit") + f"?plan={plan.pk}")
    assert response.status_code == 200
    rows = response.context["object_list"]
    assert rows and all(row["headcount"] is None or row["headcount"] >= 5 for row in rows)
    assert all(row["reached"] is None for row in rows if row.get("suppressed"))
    export = client.get(reverse("capability_report:by_unit") + f"?plan={plan.pk}&export=csv")
    body = b"".join(export.streaming_content).decode("utf-8")
    assert "แดน" not in body and "Dan" not in body  # no names, only units
    for kind in ("overview", "levels"):
        chart = client.get(reverse("capability_report:chart", args=[kind]) + f"?plan={plan.pk}")
        assert chart.status_code == 200 and chart["Content-Type"] == "image/png"
    assert client.get(reverse("capability_report:pdf") + f"?plan={plan.pk}").status_code == 200


def test_hr_sees_the_same_report_unsuppressed(client, hana, plan, history):
    client.force_login(hana)
    response = client.get(reverse("capability_report:by_unit") + f"?plan={plan.pk}")
    assert any(
        row["headcount"] is not None and row["headcount"] < 5 for row in response.context["object_list"]
    )


@pytest.mark.parametrize("persona", ["committee", "eddie"])
def test_names_stay_hidden_from_committee_and_editors(client, persona, request, alice, bob):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("profiles:my_team")).status_code == 403
    assert client.get(reverse("employee:index")).status_code == 302


def test_scoped_hr_cannot_manage_sign_in_accounts(client, scoped_hr, hana):
    """Else a subtree officer could make an unscoped HR account, or take over a department-wide one."""
    client.force_login(scoped_hr)
    for url in (
        reverse("wagtailusers_users:index"),
        reverse("wagtailusers_users:add"),
        reverse("wagtailusers_users:edit", args=[hana.pk]),
    ):
        response = client.get(url)
        assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home")), url
    response = client.post(
        reverse("wagtailusers_users:add"),
        {"email": "new@dept.example", "first_name": "N", "last_name": "H", "username": "newhr",
         "password1": "a-long-pass-2569", "password2": "a-long-pass-2569"},
    )  # fmt: skip
    assert response.status_code == 302
    assert not django_user_exists("newhr")


def test_department_hr_manages_accounts_but_not_an_administrators(client, hana, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@dept.example", "x")
    client.force_login(hana)
    assert client.get(reverse("wagtailusers_users:index")).status_code == 200
    refused = client.get(reverse("wagtailusers_users:edit", args=[admin.pk]))
    assert (refused.status_code, refused.url) == (302, reverse("wagtailadmin_home"))
    response = client.post(
        reverse("wagtailusers_users:edit", args=[admin.pk]),
        {"email": "hijack@dept.example", "password1": "a-long-pass-2569", "password2": "a-long-pass-2569"},
    )
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    assert client.get(reverse("wagtailusers_users:delete", args=[admin.pk])).status_code == 302
    admin.refresh_from_db()
    assert admin.email == "root@dept.example" and admin.check_password("x")


def django_user_exists(username: str) -> bool:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username=username).exists()


def test_scoped_hr_reads_the_reference_data_but_cannot_change_it(client, scoped_hr, hana, competencies):
    competency = competencies["A1.1"]
    client.force_login(scoped_hr)
    assert client.get(reverse("competency:index")).status_code == 200
    response = client.post(
        reverse("competency:edit", args=[competency.pk]), {"code": competency.code, "name_th": "แก้แล้ว"}
    )
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    competency.refresh_from_db()
    assert competency.name_th != "แก้แล้ว"
    client.force_login(hana)
    assert client.get(reverse("competency:edit", args=[competency.pk])).status_code == 200
