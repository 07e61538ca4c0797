"""HR creates a token for a BI tool in the admin, sees it once, the tool reads with it, HR revokes it."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE

HR = "hr@dept.example"
WIDE = {"viewport": {"width": 1366, "height": 900}}


@pytest.mark.parametrize(("language", "device"), [("th", WIDE), ("en", PHONE)], ids=["th-wide", "en-phone"])
def test_hr_creates_uses_and_revokes_an_api_token(journey, language, device):
    j = journey(f"api-clients-{'wide' if device is WIDE else 'phone'}", language, device)
    j.log_in(HR)
    j.page.goto("/admin/api-clients/")
    j.shot("clients")
    j.page.click("a[href$='/admin/api-clients/add/']")
    name = f"Power BI ({language})"
    j.page.fill("input[name=name]", name)
    j.shot("new-client")
    j.page.click("form[data-api-client-form] button[type=submit]")
    j.page.wait_for_load_state()
    token = j.page.locator("#api-token").input_value()
    assert token.startswith("dst_")
    j.shot("token-shown-once")

    def staff(with_token: str):
        return j.context.request.get(
            "/api/v1/staff/?page_size=5", headers={"Authorization": f"Bearer {with_token}"}
        )

    answer = staff(token)
    assert answer.status == 200 and len(answer.json()["results"]) == 5
    j.page.click("a.button[href$='/admin/api-clients/']")
    listing = j.page.inner_text("main")
    assert name in listing and token not in j.page.content()
    row = j.page.locator("tr", has_text=name)
    row.locator("button[type=submit]").click()
    j.page.wait_for_load_state()
    j.shot("revoked")
    refused = staff(token)
    assert refused.status == 401 and "revoked" in refused.json()["detail"].lower()
