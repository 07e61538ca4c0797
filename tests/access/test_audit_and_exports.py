"""The audit trail in Wagtail's log, and exports that cannot carry a formula."""

import datetime as dt

from django.test import RequestFactory
from django.urls import URLResolver, get_resolver, reverse
from wagtail.admin.menu import admin_menu
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, Page

from profiles.hr_data.exports import neutralise_formula
from profiles.hr_data.personal_data import employee_anonymise
from profiles.hr_data.staff_import import import_commit, import_upload
from profiles.models import Employee, OrgUnit


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


def _export_enabled_admin_views():
    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            else:
                yield pattern

    for pattern in walk(get_resolver().url_patterns):
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class is None or not issubclass(view_class, SpreadsheetExportMixin):
            continue
        initkwargs = getattr(pattern.callback, "view_initkwargs", {})
        if initkwargs.get("list_export", getattr(view_class, "list_export", None)):
            yield str(pattern.pattern), view_class(**initkwargs)


def test_every_spreadsheet_export_in_the_admin_neutralises_formulas():
    views = list(_export_enabled_admin_views())
    names = {type(view).__name__ for _path, view in views}
    # Wagtail's own exports are among them, not only the project's.
    assert {"LogEntriesView", "LockedPagesView", "AgingPagesView", "CapabilityByUnitView"} <= names
    for path, view in views:
        for export_format in ("csv", "xlsx"):
            assert view.preprocess_field_value("label", "=1+1", export_format) == "'=1+1", path
            assert view.preprocess_field_value("label", "ปกติ", export_format) == "ปกติ", path


def test_site_history_csv_neutralises_a_page_title_written_like_a_formula(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@dept.example", "x")
    root = Page.objects.get(depth=1)
    page = root.add_child(instance=Page(title='=HYPERLINK("http://x","y")', slug="formula-title"))
    log(page, "wagtail.create", user=admin)
    client.force_login(admin)
    response = client.get(reverse("wagtailadmin_reports:site_history") + "?export=csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert "'=HYPERLINK" in body
    assert ',"=HYPERLINK' not in body and ",=HYPERLINK" not in body


def admin_menu_urls(user) -> set[str]:
    """Every URL in the admin menu as Wagtail builds it for this person (submenus included)."""
    request = RequestFactory().get("/admin/")
    request.user = user
    found = set()

    def walk(items):
        for item in items:
            found.add(item.url)
            if hasattr(item, "menu"):
                walk(item.menu.menu_items_for_request(request))

    walk(admin_menu.menu_items_for_request(request))
    return found


def test_site_history_and_its_export_are_for_department_wide_hr(client, hana, eddie, ada, scoped_hr):
    """The audit trail names people and what was done to them: not for editors or a scoped officer."""
    log(hana, "wagtail.edit", user=hana)
    url = reverse("wagtailadmin_reports:site_history")
    for user in (eddie, ada, scoped_hr):
        client.force_login(user)
        for query in ("", "?export=csv", "?export=xlsx"):
            response = client.get(url + query)
            assert response.status_code == 302 and response.url == reverse("wagtailadmin_home"), query
        assert url not in admin_menu_urls(user)
    client.force_login(hana)
    assert url in admin_menu_urls(hana)
    export = client.get(url + "?export=csv")
    assert export.status_code == 200 and b"hana" in b"".join(export.streaming_content)
