"""Every page a role uses, at 1366 px and at a 390 px phone, in Thai and English: each screenshot is
checked by the journey (no page wider than the phone, every image loaded, no English chrome or
untranslated catalogue sentence on a Thai page; see ``conftest.page_faults``)."""

from __future__ import annotations

import pytest

from .conftest import DESKTOP, PHONE

PAGES = {
    "employee@dept.example": [
        ("/", "home"),
        ("/me/", "my-profile"),
        ("/me/skills/", "my-skills"),
        ("/learning/", "my-learning"),
        ("/learning/catalogue/", "catalogue"),
        ("/assessments/", "assessments"),
        ("/me/prior-learning/", "outside-learning"),
        ("/me/data/", "my-data"),
    ],
    "manager@dept.example": [
        ("/", "home"),
        ("/me/team/", "my-team"),
        ("/assessments/team/", "team-reviews"),
        ("/me/team/training/", "team-training"),
    ],
    "hr@dept.example": [
        ("/", "home"),
        ("/admin/", "admin-dashboard"),
        ("/admin/pages/", "admin-pages"),
        ("/admin/reports/capability/", "report-targets"),
        ("/admin/reports/capability/by-unit/", "report-by-unit"),
        ("/admin/reports/capability/levels/", "report-levels"),
        ("/admin/reports/training/", "training-plan"),
        ("/admin/images/", "admin-images"),
        ("/admin/account/", "admin-account"),
    ],
}


@pytest.mark.parametrize("role", list(PAGES), ids=["employee", "manager", "hr"])
@pytest.mark.parametrize(
    ("language", "device"),
    [("th", DESKTOP), ("th", PHONE), ("en", DESKTOP), ("en", PHONE)],
    ids=["th-1366", "th-390", "en-1366", "en-390"],
)
def test_every_page_of_a_role_reads_right_at_both_widths(journey, role, language, device):
    width = "390" if device is PHONE else "1366"
    j = journey(f"pages-{role.split('@')[0]}-{width}", language, device)
    j.log_in(role)
    for path, label in PAGES[role]:
        response = j.page.goto(path)
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        j.page.wait_for_load_state("networkidle")
        j.shot(label)
