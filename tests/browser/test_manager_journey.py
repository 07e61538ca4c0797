"""A head of unit opens the team matrix, assigns a course to a team member and confirms the
self-assessment that team member sent in."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from .conftest import DESKTOP, PHONE

EMPLOYEE = "employee@dept.example"
MANAGER = "manager@dept.example"


def send_self_assessment(j) -> None:
    """The employee rates every statement of the OCSC self-assessment and sends it."""
    j.log_in(EMPLOYEE)
    j.page.goto("/ocsc-self-assessment/")
    form = j.page.locator("form[action*='/assessments/self/']")
    if form.count():
        names = set(form.locator("input[type=radio]").evaluate_all("els => els.map(e => e.name)"))
        for name in sorted(names):
            form.locator(f"input[name='{name}'][value='3']").check()
        j.shot("self-assessment")
        form.locator("button[type=submit]").click()
        j.page.wait_for_load_state()
    j.shot("self-assessment-sent")


@pytest.mark.parametrize(
    ("language", "device"),
    [("th", DESKTOP), ("en", DESKTOP), ("th", PHONE), ("en", PHONE)],
    ids=["th-1366", "en-1366", "th-390", "en-390"],
)
def test_manager_reviews_team_assigns_course_and_confirms_self_assessment(journey, language, device):
    phone = "-phone" if device is PHONE else ""
    send_self_assessment(journey(f"manager-employee-side{phone}", language, device))

    j = journey(f"manager{phone}", language, device)
    j.log_in(MANAGER)
    j.page.goto("/me/team/")
    matrix = j.page.locator("main table").first
    assert matrix.locator("tbody tr").count() >= 1
    assert "/" in matrix.locator("tbody tr td").first.inner_text()  # "current / target" cells
    j.shot("team-matrix")

    # Assign a course recommended for a gap, straight from the team page; once the team has no gap
    # left (an earlier run confirmed its levels), from a course page of the catalogue.
    from_team = j.page.locator("main a[href*='/assign/']")
    if from_team.count():
        from_team.first.click()
    else:
        j.page.goto("/learning/catalogue/")
        j.page.locator(".course-card h3 a, main h3 a").first.click()
        j.page.wait_for_load_state()
        j.page.locator("main a[href*='/assign/']").first.click()
    j.page.wait_for_load_state()
    people = j.page.locator(".assign-people input[type=checkbox]")
    assert people.count() >= 1
    people.first.check()
    j.fill_date("due_date", dt.date.today() + dt.timedelta(days=30))
    j.shot("assign-course")
    j.page.click("main form button[type=submit]")
    j.page.wait_for_load_state()
    assert j.t("บันทึกการมอบหมาย", "Assignment saved") in j.page.inner_text("body")
    j.shot("course-assigned")

    # Confirm the self-assessment that is waiting.
    j.page.goto("/assessments/team/")
    j.shot("team-reviews")
    j.page.locator("main a[href*='/assessments/team/']").first.click()
    j.page.wait_for_url(re.compile(r"/assessments/team/\d+/$"))
    j.page.fill("textarea[name=note]", j.t("ยืนยันตามที่ประเมิน", "Confirmed as rated"))
    j.shot("review")
    j.page.click("main form button[type=submit]")
    j.page.wait_for_url(re.compile(r"/assessments/team/$"))
    assert j.t("บันทึกผลการพิจารณาแล้ว", "The review was recorded.") in j.page.inner_text("body")
    j.shot("review-recorded")
