"""The capability report in the Wagtail admin: who may see it, what it shows, exports, charts, PDF."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from profiles.factories import EmployeeFactory

from .conftest import NOW

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr("profiles.reports.admin_views.now", lambda: NOW)


def url(name, **params):
    from urllib.parse import urlencode

    return reverse(f"capability_report:{name}") + ("?" + urlencode(params) if params else "")


@pytest.fixture
def hr_client(client, hana):
    client.force_login(hana)
    return client


def test_hr_sees_every_target_with_actual_target_and_status(hr_client, plan, history):
    response = hr_client.get(url("index", plan=plan.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "บุคลากรทั้งหมดระดับ 3 ขึ้นไป" in html
    assert 'data-target="' in html and "40.0%" in html and "60.0%" in html
    assert "capability-status at_risk" in html
    # "1 more staff must reach level 3" in Thai or English; the number is on the page
    assert response.context["object_list"][0]["period_key"] == "baseline"


def test_exports_hold_the_same_numbers_as_the_screen(hr_client, plan, history):
    screen = hr_client.get(url("index", plan=plan.pk)).context["object_list"]
    on_screen = [
        (r["fiscal_year"], r["period_key"], r["actual_pct"], r["target_pct"], r["gap_headcount"])
        for r in screen
    ]

    response = hr_client.get(url("index", plan=plan.pk, export="csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, body = rows[0], rows[1:]
    assert len(body) == len(screen)
    col = {name: header.index(name) for name in header}
    year_col, actual_col = list(col.values())[4], list(col.values())[10]
    target_col, gap_col = list(col.values())[11], list(col.values())[13]
    for row, expected in zip(body, on_screen, strict=True):
        assert int(row[year_col]) == expected[0]
        assert (float(row[actual_col]) if row[actual_col] not in ("", "None") else None) == expected[2]
        assert (float(row[target_col]) if row[target_col] not in ("", "None") else None) == expected[3]
        assert (int(row[gap_col]) if row[gap_col] not in ("", "None") else None) == expected[4]

    response = hr_client.get(url("index", plan=plan.pk, export="xlsx"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == len(screen) + 1
    for row, expected in zip(values[1:], on_screen, strict=True):
        assert (row[4], row[10], row[11], row[13]) == (expected[0], expected[2], expected[3], expected[4])


def test_breakdown_and_distribution_pages_and_exports(hr_client, plan, history, org):
    response = hr_client.get(url("by_unit", plan=plan.pk, org_unit=org["bureau"].pk))
    assert response.status_code == 200
    rows = {(r["target_id"], r["group_id"]): r for r in response.context["object_list"]}
    first = plan.targets.order_by("sort_order").first()
    assert rows[(first.pk, org["service"].pk)]["gap_headcount"] == 2
    assert "ฝ่ายบริการ" in response.content.decode()
    assert hr_client.get(url("by_group", plan=plan.pk)).status_code == 200
    response = hr_client.get(url("levels", plan=plan.pk, export="csv"))
    assert b"A1.1" in b"".join(response.streaming_content)


def test_charts_are_png_and_cached_until_evidence_arrives(
    hr_client, plan, history, monkeypatch, competencies
):
    from django.core.cache import cache

    from profiles.competencies.selectors import EVIDENCE_VERSION_KEY

    first = plan.targets.order_by("sort_order").first()
    for kind in ("overview", f"target-{first.pk}", "levels"):
        response = hr_client.get(reverse("capability_report:chart", args=[kind]) + f"?plan={plan.pk}")
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert response.content[:8] == b"\x89PNG\r\n\x1a\n"
    overview = reverse("capability_report:chart", args=["overview"]) + f"?plan={plan.pk}"

    def no_rendering(figure):
        raise AssertionError("rendered again")

    monkeypatch.setattr("profiles.reports.charts.figure_png", no_rendering)
    assert hr_client.get(overview).status_code == 200  # from the cache
    cache.set(EVIDENCE_VERSION_KEY, 99, timeout=None)  # what recording evidence does
    with pytest.raises(AssertionError, match="rendered again"):
        hr_client.get(overview)
    monkeypatch.undo()
    nonsense = reverse("capability_report:chart", args=["nonsense"]) + f"?plan={plan.pk}"
    assert hr_client.get(nonsense).status_code == 404


def test_pdf_pack_has_the_thai_title_and_kpi_rows(hr_client, plan, history):
    from pypdf import PdfReader

    response = hr_client.get(url("pdf", plan=plan.pk))
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "รายงานสมรรถนะดิจิทัลของบุคลากร" in text  # the pack's title, in Thai
    assert "แผนปฏิบัติการดิจิทัล" in text
    assert "ปีงบประมาณ พ.ศ. 2567" in text  # fiscal years with their B.E. label
    assert "บุคลากรทั้งหมดระดับ" in text
    assert "40.0%" in text and "60.0%" in text and "50.0%" in text
    assert "2567" in text


def test_fiscal_year_outside_the_plan_is_refused_with_a_message(hr_client, plan, history):
    response = hr_client.get(url("by_unit", plan=plan.pk, fiscal_year=2575))
    assert response.status_code == 200
    assert response.context["object_list"] == []
    assert "2575" in response.content.decode()


def test_manager_sees_only_their_units_and_a_forged_unit_gets_a_message(client, plan, history, bob, org):
    from django.contrib.auth.models import Permission

    bob.user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(bob.user)
    own = client.get(url("index", plan=plan.pk))
    assert own.status_code == 200
    fy2567 = next(
        r for r in own.context["object_list"] if r["fiscal_year"] == 2567 and r["period_key"] == "year"
    )
    assert fy2567["headcount"] == 3  # the Data section at the time, not the department
    forged = client.get(url("index", plan=plan.pk, org_unit=org["service"].pk))
    assert forged.context["object_list"] == []
    assert (
        "You can only report on units you can see" in forged.content.decode()
        or "เฉพาะหน่วยงาน" in forged.content.decode()
    )
    department = client.get(url("by_unit", plan=plan.pk, org_unit=org["department"].pk))
    assert department.context["object_list"] == []


def test_people_without_a_report_scope_are_refused(client, plan, history, eddie, alice):
    client.force_login(eddie)  # an editor: admin access but no HR role and no unit
    for target in (
        url("index", plan=plan.pk),
        url("index", plan=plan.pk, export="csv"),
        url("pdf", plan=plan.pk),
        reverse("capability_report:chart", args=["overview"]),
    ):
        response = client.get(target)
        # Wagtail turns the refusal into a redirect to the dashboard with a message
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    client.force_login(alice.user)  # no admin access at all
    assert client.get(url("index", plan=plan.pk)).status_code in (302, 403)


def test_report_queries_do_not_grow_with_headcount(
    hr_client, plan, history, org, academic, django_assert_max_num_queries
):
    from django.core.cache import cache

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            for name in ("index", "by_unit", "by_group", "levels"):
                assert hr_client.get(url(name, plan=plan.pk)).status_code == 200
        return len(captured)

    count_queries()  # the first report ever counts its moments (kept from then on)
    small = count_queries()
    for _ in range(15):
        EmployeeFactory(org_unit=org["data"], personnel_group=academic)
    assert count_queries() == small


def test_dashboard_panel_shows_headline_for_hr(hr_client, plan, history, client, eddie):
    response = hr_client.get(reverse("wagtailadmin_home"))
    html = response.content.decode()
    assert "capability-headline-heading" in html and "บุคลากรทั้งหมดระดับ 3 ขึ้นไป" in html
    client.force_login(eddie)
    assert "capability-headline-heading" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_dashboard_queries_do_not_grow_with_headcount(hr_client, plan, history, org, academic):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert hr_client.get(reverse("wagtailadmin_home")).status_code == 200
        return len(captured)

    count()  # the first report ever counts its moments (kept from then on)
    small = count()
    for _ in range(15):
        EmployeeFactory(org_unit=org["service"], personnel_group=academic)
    assert count() == small


def test_unknown_plan_and_structure_switch(hr_client, plan, history, org):
    unknown = hr_client.get(url("index", plan=99999))
    assert unknown.context["object_list"] == []
    today = hr_client.get(url("index", plan=plan.pk, org_unit=org["data"].pk, structure="today"))
    fy2567 = next(
        r for r in today.context["object_list"] if r["fiscal_year"] == 2567 and r["period_key"] == "year"
    )
    assert (fy2567["headcount"], fy2567["reached"]) == (2, 1)  # Max counted in Service, where he is today


def test_a_plan_without_targets_shows_no_figures_but_works(hr_client, framework, alice):
    from profiles.factories import CapabilityPlanFactory

    empty = CapabilityPlanFactory(framework=framework)
    for name in ("index", "by_unit", "by_group", "levels"):
        response = hr_client.get(url(name, plan=empty.pk))
        assert response.status_code == 200
    assert hr_client.get(url("index", plan=empty.pk)).context["object_list"] == []
    assert hr_client.get(url("pdf", plan=empty.pk))["Content-Type"] == "application/pdf"


def test_pdf_cover_counts_targets_by_status_and_each_chart_has_a_page_of_its_own(hr_client, plan, history):
    from pypdf import PdfReader

    response = hr_client.get(url("pdf", plan=plan.pk))
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    report = hr_client.get(url("index", plan=plan.pk)).context["report"]
    statuses = report.headline["status"].tolist()
    cover = pages[0]
    # the four boxes: each count above its status name, and the headline rows below them
    for status, label in (
        ("met", "ผ่านเป้าหมาย"), ("on_track", "เป็นไปตามแผน"), ("at_risk", "มีความเสี่ยง"),
        ("off_track", "ไม่เป็นไปตามแผน"),
    ):  # fmt: skip
        assert f"{statuses.count(status)}\n{label}" in cover
    assert "บุคลากรทั้งหมดระดับ 3 ขึ้นไป" in cover and "ข้อมูล ณ วันที่ 15 พฤศจิกายน 2568" in cover
    charts = hr_client.get(url("index", plan=plan.pk)).context["chart_urls"]
    # cover, the KPI table (one page here), then one page per chart of the pack
    assert len(pages) >= 2 + len(charts)
    assert all(page.count("\n") < 12 for page in pages[2:])  # a caption and one chart's labels


def test_a_running_quarter_and_its_year_say_when_their_status_is_judged(hr_client, plan, history):
    rows = hr_client.get(url("index", plan=plan.pk)).context["object_list"]
    running = {row["period_key"]: row["period"] for row in rows if row["to_date"]}
    # "now" is 15 Nov 2025: FY2569 Q1 ends 31 Dec 2568, the year 30 Sep 2569
    assert running["quarter"] == "ปีงบประมาณ พ.ศ. 2569 ไตรมาส 1 ถึงปัจจุบัน: สถานะคาดการณ์ ณ 31 ธ.ค. 2568"
    assert running["year"] == "ปีงบประมาณ พ.ศ. 2569 ถึงปัจจุบัน: สถานะคาดการณ์ ณ 30 ก.ย. 2569"


@pytest.mark.parametrize("tab", ["index", "by_unit", "by_group", "levels", "learning"])
def test_every_tab_links_its_csv_and_excel_export(hr_client, plan, history, tab):
    html = hr_client.get(url(tab, plan=plan.pk)).content.decode()
    for kind, content_type in (("csv", "text/csv"), ("xlsx", "application/vnd.openxmlformats")):
        found = re.search(rf'href="(\?[^"]*&amp;export={kind})"', html)
        assert found, f"{tab}: no {kind} link"
        href = found.group(1).replace("&amp;", "&")
        response = hr_client.get(url(tab) + href)
        assert response.status_code == 200 and response["Content-Type"].startswith(content_type), (tab, kind)
