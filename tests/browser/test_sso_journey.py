"""Single sign-on in a real browser: the button on the sign-in page, the department's provider
(a real OpenID Connect provider on loopback, tests/sso/provider.py), and back signed in; an
e-mail that no staff account has is refused with a page that says so."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE

WIDE = {"viewport": {"width": 1366, "height": 900}}

EMPLOYEE = "employee@dept.example"


def sign_in_with_sso(j, provider, sub: str) -> None:
    j.page.goto("/accounts/login/")
    button = j.page.locator("[data-sso-button]")
    assert button.inner_text().strip() == j.t("เข้าสู่ระบบด้วยบัญชีของกรม", "Sign in with your department account")
    j.shot("sign-in-page-with-sso")
    button.click()
    j.page.wait_for_url(f"{provider.url}/oauth2/authorize**")
    j.page.fill("input[name=sub]", sub)
    j.shot("provider-sign-in")
    j.page.click("form:has(input[name=sub]) button[type=submit]")
    j.page.wait_for_load_state()


@pytest.mark.parametrize(
    ("language", "device"),
    [("th", WIDE), ("en", PHONE), ("en", WIDE), ("th", PHONE)],
    ids=["th-wide", "en-phone", "en-wide", "th-phone"],
)
def test_an_employee_signs_in_through_the_department_s_sso(journey, sso_provider, language, device):
    j = journey(f"sso-{'desktop' if device is WIDE else 'phone'}", language, device)
    sso_provider.set_user(f"emp-{language}", email=EMPLOYEE, email_verified=True, amr=["pwd"])
    sign_in_with_sso(j, sso_provider, f"emp-{language}")
    assert j.page.url.startswith(j.base_url) and "/accounts/" not in j.page.url, j.page.inner_text("body")
    j.shot("signed-in")
    j.page.goto("/me/")
    assert j.page.locator("main").count() == 1 and "/accounts/login/" not in j.page.url


def test_an_unknown_email_is_refused_with_a_clear_page(journey, sso_provider):
    j = journey("sso-refused", "th")
    sso_provider.set_user("stranger", email="stranger@elsewhere.example", email_verified=True)
    sign_in_with_sso(j, sso_provider, "stranger")
    text = j.page.inner_text("main")
    assert "stranger@elsewhere.example" in text and "ไม่มีบัญชี" in text, text
    j.shot("refused")
    j.page.goto("/me/")
    assert "/accounts/login/" in j.page.url  # not signed in
