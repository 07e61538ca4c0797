"""HR opens Training demand, tries a budget ceiling, downloads the annexes and assigns the plan after
its dry run; the head of the e-Services section sees their units' share on My team. In English and
in Thai, on a desktop and a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Error as PlaywrightError

from .conftest import DESKTOP, PHONE

HR = "hr@dept.example"
MANAGER = "manager@dept.example"


def cost(j) -> int:
    return int(j.page.inner_text("[data-total=cost]").replace(",", ""))


# the plan is assigned in the last run only: once assigned, there is nothing left to plan
@pytest.mark.parametrize(("language", "device"), [("en", DESKTOP), ("th", PHONE), ("th", DESKTOP)])
def test_hr_plans_costs_and_assigns_training(journey, language, device):
    j = journey("training-hr", language, device)
    j.log_in(HR)
    j.page.goto("/admin/reports/training/")
    heading = j.t("ความต้องการการฝึกอบรม", "Training demand")
    assert heading in j.page.inner_text("h1")
    full = cost(j)
    assert full > 0
    j.page.locator("img[src*='chart.png']").scroll_into_view_if_needed()
    j.page.wait_for_function("() => document.querySelector(\"img[src*='chart.png']\").naturalWidth > 0")
    j.shot("plan")
    # a ceiling: never more than it allows, and said per target
    j.page.fill("input[name=ceiling]", f"{full // 2:,}")
    j.page.click("form.training-filters button[type=submit]")
    j.page.wait_for_load_state()
    assert cost(j) <= full // 2
    assert j.t("ภายใต้เพดานงบประมาณ", "Within the ceiling") in j.page.inner_text("main")
    j.shot("ceiling")
    # a figure that is not money: a message, no figures
    j.page.fill("input[name=ceiling]", "-5")
    j.page.click("form.training-filters button[type=submit]")
    j.page.wait_for_load_state()
    assert j.t("เพดานงบประมาณต้องไม่ติดลบ", "A budget ceiling cannot be negative.") in j.page.inner_text("main")
    assert j.page.locator("[data-total=cost]").count() == 0
    j.page.goto("/admin/reports/training/")
    pdf = j.page.get_attribute("a[href*='annex.pdf']", "href")
    content_type, body = j.get_file(pdf)
    assert content_type == "application/pdf" and body.startswith(b"%PDF")
    xlsx = j.page.get_attribute("a[href*='annex.xlsx']", "href")
    content_type, body = j.get_file(xlsx)
    assert "spreadsheetml" in content_type and body[:2] == b"PK"
    if language != "th" or device is not DESKTOP:
        return
    j.page.click("a[href*='/assign/']")
    j.page.wait_for_load_state()
    assert "ตรวจสอบก่อนมอบหมาย" in j.page.inner_text("main")
    j.shot("assign-dry-run")
    j.page.dblclick("form[data-assign-form] button[type=submit]")
    # two posts: the first one's navigation may give way to the second's before the wait begins
    try:
        j.page.wait_for_url(re.compile(r"/admin/reports/training/\?"))
    except PlaywrightError as error:
        if "ERR_ABORTED" not in str(error):
            raise
        j.page.wait_for_url(re.compile(r"/admin/reports/training/\?"))
    assert "มอบหมายตามแผนการฝึกอบรมแล้ว" in j.page.inner_text("body")
    j.shot("assigned")


@pytest.mark.parametrize(("language", "device"), [("th", PHONE), ("en", DESKTOP)])
def test_a_head_of_unit_sees_their_units_share(journey, language, device):
    j = journey("training-manager", language, device)
    j.log_in(MANAGER)
    j.page.goto("/me/team/")
    j.shot("my-team")
    link = j.page.locator("a[href='/me/team/training/']")
    if link.count():
        link.click()
    else:  # nothing of the plan falls to the unit (it may all be assigned already)
        j.page.goto("/me/team/training/")
    j.page.wait_for_load_state()
    assert j.t("แผนการฝึกอบรมของทีม", "My team's training plan") in j.page.inner_text("h1")
    j.shot("team-share")
