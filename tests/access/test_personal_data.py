"""Personal data: an employee downloads their own data; HR anonymises leavers; retention command."""

import datetime as dt
import json

import pandas as pd
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from profiles.factories import LevelEvidenceFactory
from profiles.hr_data.personal_data import employee_anonymise
from profiles.models import Employee
from profiles.reports.selectors import capability_report
from tests.conftest import PASSWORD
from tests.reports.conftest import NOW

# Note: Wagtail's log for these actions is checked in test_audit.py.


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_employee_downloads_own_data_with_rows_from_other_apps(client, alice, bob, competencies):
    LevelEvidenceFactory(employee=alice, competency=competencies["A1.1"], level=2, note="=HYPERLINK(1)")
    LevelEvidenceFactory(employee=bob, competency=competencies["A1.1"], level=4)
    login(client, alice.user)
    data = json.loads(client.get(reverse("profiles:my_data_download", args=["json"])).content)
    assert data["profiles.Employee"][0]["employee_number"] == alice.employee_number
    assert [row["level"] for row in data["profiles.LevelEvidence"]] == [2]  # not Bob's
    assert "password" not in data["auth.User"][0]
    csv_text = client.get(reverse("profiles:my_data_download", args=["csv"])).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in csv_text and ",=HYPERLINK" not in csv_text


def test_the_download_has_no_id_to_change_and_needs_a_profile(client, eddie, alice):
    assert client.get(reverse("profiles:my_data_download", args=["json"])).status_code == 302
    login(client, eddie)
    assert client.get(reverse("profiles:my_data_download", args=["json"])).status_code == 404
    assert client.get(reverse("profiles:my_data")).status_code == 200


def _figures(plan):
    report = capability_report(plan, now=NOW, use_cache=False)
    return report.table.drop(columns=["as_of"]), report.by_unit, report.distribution


def test_anonymisation_keeps_every_report_figure(history, plan, hana):
    max_ = history["max"]
    Employee.objects.filter(pk=max_.pk).update(is_active=False, end_date=dt.date(2025, 6, 1))
    before = _figures(plan)
    employee_anonymise(employee=max_, by=hana)
    max_.refresh_from_db()
    assert max_.first_name_en == "Anonymised" and max_.user.email == "" and not max_.user.is_active
    assert "Moves" not in str(max_) and max_.employee_number.startswith("ANON-")
    for old, new in zip(before, _figures(plan), strict=True):
        pd.testing.assert_frame_equal(old.reset_index(drop=True), new.reset_index(drop=True))


def test_hr_anonymises_only_leavers_and_scoped_hr_only_in_scope(client, alice, dave, hana, scoped_hr):
    Employee.objects.filter(pk__in=[alice.pk, dave.pk]).update(is_active=False, end_date=dt.date(2024, 1, 1))
    login(client, scoped_hr)  # Service section only: Dave, not Alice
    page = client.get(reverse("profiles_departed:index")).content.decode()
    assert dave.last_name_th in page and alice.last_name_th not in page
    assert client.post(reverse("profiles_departed:anonymise", args=[alice.pk])).status_code == 404
    client.post(reverse("profiles_departed:anonymise", args=[dave.pk]))
    alice.refresh_from_db()
    dave.refresh_from_db()
    assert alice.anonymised_at is None and dave.anonymised_at is not None
    login(client, hana)
    client.post(reverse("profiles_departed:anonymise", args=[alice.pk]))
    client.post(reverse("profiles_departed:anonymise", args=[alice.pk]))  # double submit: no harm
    alice.refresh_from_db()
    assert alice.anonymised_at is not None


def test_an_active_person_cannot_be_anonymised(client, alice, hana):
    login(client, hana)
    client.post(reverse("profiles_departed:anonymise", args=[alice.pk]))
    alice.refresh_from_db()
    assert alice.anonymised_at is None


def test_employee_cannot_open_the_departed_list(client, alice, bob):
    login(client, bob.user)
    assert client.get(reverse("profiles_departed:index")).status_code in (302, 403)
    assert client.post(reverse("profiles_departed:anonymise", args=[alice.pk])).status_code in (302, 403)


@pytest.mark.parametrize("dry_run", [True, False])
def test_retention_command_says_what_it_did(alice, bob, settings, capsys, dry_run):
    settings.DEPARTED_STAFF_RETENTION_DAYS = 365
    today = timezone.localdate()
    Employee.objects.filter(pk=alice.pk).update(is_active=False, end_date=today - dt.timedelta(days=400))
    Employee.objects.filter(pk=bob.pk).update(is_active=False, end_date=today - dt.timedelta(days=100))
    call_command("apply_retention", *(["--dry-run"] if dry_run else []))
    out = capsys.readouterr().out
    assert f"employee #{alice.pk}" in out and f"#{bob.pk}" not in out
    assert ("1 departed staff would be anonymised" if dry_run else "1 departed staff anonymised") in out
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert (alice.anonymised_at is None) == dry_run and bob.anonymised_at is None
