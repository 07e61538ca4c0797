"""HR imports a staff file through the dry run (a broken file first), edits a role target, opens
the capability report and exports it as Excel and as the PDF pack; in Thai and in English."""

from __future__ import annotations

import re
import time

import pytest

HR = "hr@dept.example"
HEADER = (
    "employee_number,first_name_th,last_name_th,first_name_en,last_name_en,email,unit_code,"
    "personnel_group,start_date\n"
)


def staff_file(number: str, unit: str) -> bytes:
    return (
        HEADER + f"{number},สมหญิง,ใจดี,Somying,Jaidee,{number}@dept.example,{unit},Academic,1/10/2568\n"
    ).encode()


def upload(j, name: str, content: bytes) -> None:
    j.page.goto("/admin/hr-import/")
    j.page.select_option("select[name=kind]", "staff")
    j.page.set_input_files(
        "input[name=file]", files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
    )
    # A double click sends one post, by the page's script (upload progress), which then opens the
    # dry-run page.
    posts = []

    def seen(request):
        if request.method == "POST":
            posts.append(request.resource_type)

    j.page.on("request", seen)
    j.page.dblclick("main form[enctype] button[type=submit]")
    j.page.wait_for_url(re.compile(r"/admin/hr-import/\d+/$"))
    j.page.remove_listener("request", seen)
    assert posts == ["xhr"], posts


def import_staff(j, number: str) -> None:
    # A file naming a unit that does not exist: the dry run lists the problem and offers no commit.
    upload(j, "staff-broken.csv", staff_file(number, "NO-SUCH-UNIT"))
    assert "NO-SUCH-UNIT" in j.page.inner_text("main")
    assert j.page.locator("form[action$='/commit/']").count() == 0
    j.shot("import-dry-run-problem")
    # The fixed file: one person to create; nothing is written until HR commits.
    upload(j, "staff.csv", staff_file(number, "SRV-04"))
    main = j.page.inner_text("main")
    assert number in main
    j.shot("import-dry-run")
    commit_through_the_progress_bar(j)
    assert j.t("นำเข้าแล้ว", "Imported: 1 created") in j.page.inner_text("body")
    j.shot("import-committed")


def commit_through_the_progress_bar(j) -> None:
    """A double click on Commit sends one request; the page polls the progress while it runs.

    The commit's answer (a redirect to the import's page) is held back until the progress bar has
    shown the server's "finished" stage, so the screenshot catches it; a one-person file is written
    in milliseconds.
    """
    posts, held = [], []

    def hold(route):
        if route.request.method != "POST":
            route.continue_()
            return
        posts.append(route.request.url)
        held.append((route, route.fetch(max_redirects=0)))

    j.page.route(re.compile(r"/admin/hr-import/\d+/commit/$"), hold)
    j.page.dblclick("form[action$='/commit/'] button")
    box = j.page.locator("[data-import-progress]")
    box.wait_for(state="visible")
    assert j.page.locator("form[action$='/commit/'] button").is_disabled()
    finished = j.t("บันทึกการเปลี่ยนแปลงครบทุกรายการแล้ว", "All changes written.")
    j.page.wait_for_function(
        "text => document.querySelector('[data-import-progress] [role=status]').textContent === text",
        arg=finished,
    )
    assert box.locator("progress").get_attribute("value") == "100"
    j.shot("import-commit-progress")
    assert len(posts) == 1 and len(held) == 1, posts
    route, answer = held[0]
    assert answer.status == 302
    with j.page.expect_navigation(url=re.compile(r"/admin/hr-import/\d+/$")):
        route.fulfill(response=answer)
    j.page.unroute(re.compile(r"/admin/hr-import/\d+/commit/$"))


def edit_role_target(j) -> None:
    j.page.goto("/admin/roletarget/")
    j.page.locator("a[href*='/admin/roletarget/edit/']").first.click()
    j.page.wait_for_url(re.compile(r"/admin/roletarget/edit/\d+/$"))
    field = j.page.locator("[name=level]")
    current = field.input_value()
    new = "4" if current != "4" else "3"
    if field.evaluate("e => e.tagName") == "SELECT":
        field.select_option(new)
    else:
        field.fill(new)
    j.shot("role-target-edit")
    j.page.locator("button.action-save, footer button[type=submit]").first.click()
    j.page.wait_for_url(re.compile(r"/admin/roletarget/$"))
    assert j.page.locator(".messages .success, .messages li.success").count() >= 1
    j.shot("role-target-saved")


def capability_report(j) -> None:
    j.page.goto("/admin/reports/capability/")
    j.page.locator("main form button[type=submit]").first.click()
    j.page.wait_for_load_state()
    main = j.page.inner_text("main")
    assert j.t("รายงานสมรรถนะบุคลากร", "Capability report") in j.page.title()
    assert j.t("ปีงบประมาณ", "fiscal year").lower() in main.lower()
    j.shot("capability-report")
    query = j.page.url.split("?", 1)[1] if "?" in j.page.url else ""
    content_type, body = j.get_file(f"/admin/reports/capability/?{query}&export=xlsx")
    assert "spreadsheetml" in content_type and body[:2] == b"PK"
    pdf_href = j.page.locator("a[href*='/admin/reports/capability/pdf/']").first.get_attribute("href")
    content_type, body = j.get_file(pdf_href)
    assert content_type.startswith("application/pdf") and body.startswith(b"%PDF")
    j.page.goto("/admin/reports/capability/by-unit/?" + query)
    j.shot("capability-by-unit")


@pytest.mark.parametrize("language", ["th", "en"])
def test_hr_imports_staff_edits_target_and_exports_report(journey, language):
    number = f"77{time.time_ns() // 1000 % 10**6:06d}"  # a new staff number on every run
    j = journey("hr", language)
    j.log_in(HR)
    import_staff(j, number)
    edit_role_target(j)
    capability_report(j)
