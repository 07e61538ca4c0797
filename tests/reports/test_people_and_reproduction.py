"""Every figure opens to the people behind it; leaving keeps history; a past report can be reproduced."""

import csv
import datetime as dt
import importlib
import io
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from profiles.competencies.services import evidence_correct
from profiles.factories import EmployeeFactory, LevelEvidenceFactory, UserFactory
from profiles.models import Employee, LevelEvidence
from profiles.organisation.roles import COMMITTEE_GROUP
from profiles.reports.selectors import capability_report, figure_people

from .conftest import NOW, at


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr("profiles.reports.admin_views.now", lambda: NOW)


def people_url(plan, **params):
    return reverse("capability_report:people") + "?" + urlencode({"plan": plan.pk, **params})


def table_rows(report, spec):
    table = report.table[(report.table["target_id"] == spec.id) & report.table["headcount"].notna()]
    return list(table.itertuples())


def test_the_people_behind_every_figure_add_up_to_it(plan, history, org):
    report = capability_report(plan, now=NOW, use_cache=False)
    for spec in report.specs:
        for row in table_rows(report, spec):
            quarter = int(row.quarter) if row.quarter == row.quarter and row.quarter else None
            common = {"now": NOW, "fiscal_year": row.fiscal_year, "quarter": quarter, "target_id": spec.id}
            everyone = figure_people(plan, figure="headcount", **common)
            reached = figure_people(plan, figure="reached", **common)
            missing = figure_people(plan, figure="not_reached", **common)
            assert len(everyone.rows) == row.headcount, (spec.label, row.fiscal_year, row.period)
            assert len(reached.rows) == row.reached
            assert len(missing.rows) == row.headcount - row.reached
            assert all(person["level"] >= spec.min_level for person in reached.rows)
    first = report.specs[0]
    by_unit = capability_report(plan, now=NOW, unit_id=org["bureau"].pk, use_cache=False).by_unit
    for row in by_unit[by_unit["target_id"] == first.id].itertuples():
        found = figure_people(
            plan, now=NOW, fiscal_year=2569, target_id=first.id, figure="reached", by="org_unit",
            key=row.group_id, unit_id=org["bureau"].pk,
        )  # fmt: skip
        assert len(found.rows) == row.reached


def test_the_list_says_why_each_person_counts_there(plan, history, org):
    first = capability_report(plan, now=NOW, use_cache=False).specs[0]
    found = figure_people(plan, now=NOW, fiscal_year=2567, target_id=first.id, figure="reached")
    rows = {row["employee_number"]: row for row in found.rows}
    assert set(rows) == {history["alice"].employee_number, history["max"].employee_number}
    mover = rows[history["max"].employee_number]
    assert mover["unit"] == org["data"].name and mover["placed_since"] == dt.date(2023, 3, 1)
    assert mover["level"] == 4 and mover["observed_on"] == dt.date(2023, 3, 1)


def test_hr_opens_a_figure_from_the_report_and_exports_its_people(client, hana, plan, history):
    client.force_login(hana)
    page = client.get(reverse("capability_report:index") + f"?plan={plan.pk}")
    html = page.content.decode()
    first = capability_report(plan, now=NOW, use_cache=False).specs[0]
    link = f"target={first.id}&amp;figure=reached&amp;year=2567"
    assert reverse("capability_report:people") in html and link in html
    listing = client.get(people_url(plan, target=first.id, figure="reached", year=2567))
    assert listing.status_code == 200
    exported = client.get(people_url(plan, target=first.id, figure="reached", year=2567, export="csv"))
    lines = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))
    assert len(lines) == 1 + 2  # a heading and the two people who reached level 3 by the end of FY2567
    assert lines[0][-2:] == ["คำนวณเมื่อ", "จากหลักฐานตามที่บันทึกไว้ ณ"]  # the export says when, in Thai
    assert {line[0] for line in lines[1:]} == {
        history["alice"].employee_number,
        history["max"].employee_number,
    }


def test_forged_figures_get_a_404_and_committee_viewers_see_no_names(client, hana, plan, history):
    client.force_login(hana)
    for params in ({"target": "x", "year": 2568}, {"target": 999999, "year": 2568}, {"year": ""}):
        assert client.get(people_url(plan, **params)).status_code == 404
    assert client.get(people_url(plan, target=1, year=2568, figure="everything")).status_code == 404
    viewer = UserFactory(username="cora-viewer")
    viewer.groups.add(apps.get_model("auth", "Group").objects.get_or_create(name=COMMITTEE_GROUP)[0])
    client.force_login(viewer)
    refused = client.get(people_url(plan, target=1, year=2568))
    assert refused.status_code == 302  # the admin turns the refusal into a message on its home page
    index = client.get(reverse("capability_report:index") + f"?plan={plan.pk}")
    assert reverse("capability_report:people") not in index.content.decode()


def test_a_manager_sees_only_their_units_people(client, bob, plan, history, org):
    from django.contrib.auth.models import Permission

    bob.user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(bob.user)
    first = capability_report(plan, now=NOW, use_cache=False).specs[0]
    listing = client.get(people_url(plan, target=first.id, figure="headcount", year=2569))
    assert listing.status_code == 200
    assert all(row["unit"] == org["data"].name for row in listing.context["object_list"])


def test_a_leaver_counts_until_the_end_of_their_last_day(plan, history, org, academic, competencies):
    leaver = EmployeeFactory(
        org_unit=org["data"], personnel_group=academic, is_active=False, end_date=dt.date(2024, 9, 30)
    )
    LevelEvidenceFactory(
        employee=leaver, competency=competencies["A1.1"], level=4, observed_at=at(2023, 6, 1)
    )
    first = capability_report(plan, now=NOW, use_cache=False).specs[0]
    fy2567 = figure_people(plan, now=NOW, fiscal_year=2567, target_id=first.id)
    fy2568 = figure_people(plan, now=NOW, fiscal_year=2568, target_id=first.id)
    numbers = lambda found: {row["employee_number"] for row in found.rows}  # noqa: E731
    assert leaver.employee_number in numbers(fy2567)  # 30 Sep 2024 was their last day: counted
    assert leaver.employee_number not in numbers(fy2568)


def test_deactivating_someone_in_the_admin_records_the_day_they_left(client, hana, alice):
    client.force_login(hana)
    edit = reverse("employee:edit", args=[alice.pk])
    form = client.get(edit).context["form"]
    data = {name: form.initial.get(name) for name in form.fields}
    data = {k: ("" if v is None else v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
    data["is_active"] = ""
    response = client.post(edit, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    alice.refresh_from_db()
    assert alice.is_active is False and alice.end_date == timezone.localdate()


def test_the_migration_dates_leavers_from_the_audit_log_and_lists_the_rest(db, org, academic, capsys):
    from wagtail.log_actions import log

    logged = EmployeeFactory(org_unit=org["data"], personnel_group=academic, is_active=False)
    log(instance=logged, action="wagtail.edit")
    unknown = EmployeeFactory(org_unit=org["data"], personnel_group=academic, is_active=False)
    Employee.objects.filter(pk__in=[logged.pk, unknown.pk]).update(end_date=None)
    migration = importlib.import_module("profiles.migrations.0005_timeline_and_leavers")
    migration.date_leavers(apps, None)
    logged.refresh_from_db()
    unknown.refresh_from_db()
    assert logged.end_date == timezone.localdate() and unknown.end_date is None
    assert unknown.employee_number in capsys.readouterr().out


def test_as_recorded_on_reproduces_a_report_taken_before_a_correction(plan, history, staff):
    before = capability_report(plan, now=NOW, use_cache=False)
    taken_on = timezone.localdate()
    alice_record = LevelEvidence.objects.get(employee=staff["alice"])
    correction = evidence_correct(
        evidence=alice_record, level=1, recorded_by=None, note="the score was misread"
    )
    after = capability_report(plan, now=NOW, use_cache=False)
    first = before.specs[0].id
    pick = lambda report: report.table[report.table["target_id"] == first][["headcount", "reached"]]  # noqa: E731
    assert pick(after)["reached"].tolist() != pick(before)["reached"].tolist()
    yesterday_view = capability_report(
        plan, now=NOW, use_cache=False, as_recorded_on=taken_on - dt.timedelta(days=1)
    )  # fmt: skip
    # everything in this test was recorded today, so "as recorded yesterday" sees an empty log
    assert pick(yesterday_view)["reached"].fillna(0).sum() == 0
    _move_recording(correction, days=1)  # entered the day after the report was taken
    reproduced = capability_report(plan, now=NOW, use_cache=False, as_recorded_on=taken_on)
    assert pick(reproduced).equals(pick(before))


def _move_recording(evidence, *, days):
    """The correction was entered a day later than the report (the log's recording time, in SQL)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {LevelEvidence._meta.db_table} SET recorded_at = %s WHERE id = %s",
            [evidence.recorded_at + dt.timedelta(days=days), evidence.pk],
        )
