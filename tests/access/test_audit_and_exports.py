"""The audit trail in Wagtail's log, and exports that cannot carry a formula."""

import datetime as dt

from django.urls import reverse
from wagtail.models import ModelLogEntry

from profiles.exports import neutralise_formula
from profiles.hr_import import import_commit, import_upload
from profiles.models import Employee, OrgUnit
from profiles.personal_data import employee_anonymise


def test_import_and_anonymisation_are_in_the_audit_log(org, academic, alice, hana, client):
    content = (
        b"employee_number,first_name_th,last_name_th,unit_code,personnel_group,start_date\n"
        b"E1,a,b,D,Academic,2020-01-01\n"
    )
    staff_import = import_upload(
        kind="staff", content=content, file_name="s.csv", deactivate_missing=False, user=hana
    )
    import_commit(staff_import=staff_import, user=hana)
    Employee.objects.filter(pk=alice.pk).update(is_active=False, end_date=dt.date(2024, 1, 1))
    employee_anonymise(employee=alice, by=hana)
    actions = list(ModelLogEntry.objects.filter(user=hana).values_list("action", flat=True))
    assert "profiles.import_commit" in actions and "profiles.anonymise" in actions
    entry = ModelLogEntry.objects.get(action="profiles.import_commit")
    assert entry.data["create"] == 1
    client.force_login(hana)
    history = client.get(reverse("wagtailadmin_reports:site_history") + "?action=profiles.import_commit")
    assert history.status_code == 200 and "s.csv" in history.content.decode()
    export = client.get(reverse("wagtailadmin_reports:site_history") + "?export=csv")
    assert export.status_code == 200


def test_personal_data_download_is_logged(client, alice):
    client.force_login(alice.user)
    client.get(reverse("profiles:my_data_download", args=["csv"]))
    assert ModelLogEntry.objects.filter(action="profiles.personal_data_export", user=alice.user).exists()


def test_formula_cells_are_neutralised():
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=x"):
        assert neutralise_formula(text).startswith("'")
    assert neutralise_formula("สวัสดี") == "สวัสดี" and neutralise_formula(-3) == -3


def test_report_export_neutralises_a_unit_named_like_a_formula(client, hana, plan, history, org):
    OrgUnit.objects.filter(pk=org["bureau"].pk).update(name_th='=HYPERLINK("http://x")')
    client.force_login(hana)
    response = client.get(reverse("capability_report:by_unit") + f"?plan={plan.pk}&export=csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert "'=HYPERLINK" in body and ",=HYPERLINK" not in body


def test_an_uploaded_file_name_cannot_carry_a_formula_into_the_audit_export(org, academic, hana):
    staff_import = import_upload(
        kind="staff", content=b"x", file_name="=cmd|' /C calc'!A0.csv", deactivate_missing=False, user=hana
    )
    assert not staff_import.file_name.startswith("=")
