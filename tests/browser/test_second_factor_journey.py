"""A content editor sets up an authenticator app (TOTP) and signs in with it the next time.

The live server does not require a second factor for any role (MFA_REQUIRED_ROLES=none), so this
is the opt-in path anyone may take; the codes are what an authenticator app would show.
"""

from __future__ import annotations

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from tests.browser.conftest import PASSWORD, PASSWORD_FORM_BUTTON

EDITOR = "editor@dept.example"
PERIOD = 30


def authenticator_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // PERIOD))


def test_editor_sets_up_an_authenticator_and_signs_in_with_it(journey):
    j = journey("second-factor", "th")
    j.log_in(EDITOR)
    j.page.goto("/accounts/2fa/totp/activate/")
    if "/accounts/reauthenticate/" in j.page.url:  # changing sign-in methods asks for the password again
        j.shot("confirm-password")
        j.page.fill("input[name=password]", PASSWORD)
        j.page.locator(PASSWORD_FORM_BUTTON).first.click()
        j.page.wait_for_url("**/accounts/2fa/totp/activate/**")
    secret = j.page.locator("#authenticator_secret").input_value()
    assert len(secret) >= 16
    j.page.fill("input[name=code]", "000000" if authenticator_code(secret) != "000000" else "111111")
    j.page.locator("main form button[type=submit]").last.click()
    j.page.wait_for_load_state()
    assert j.page.locator("#authenticator_secret").count() == 1  # a wrong code activates nothing
    j.page.fill("input[name=code]", authenticator_code(secret))
    j.shot("totp-activate")
    j.page.locator("main form button[type=submit]").last.click()
    j.page.wait_for_load_state()
    assert "/totp/activate/" not in j.page.url
    j.shot("totp-activated")
    used_window = int(time.time()) // PERIOD

    # Next sign-in, in a fresh browser: the password alone is not enough any more.
    again = journey("second-factor-again", "th")
    again.page.goto("/accounts/login/")
    again.page.fill("input[name=login]", EDITOR)
    again.page.fill("input[name=password]", PASSWORD)
    again.page.click(PASSWORD_FORM_BUTTON)
    again.page.wait_for_url("**/accounts/2fa/authenticate/**")
    again.shot("second-factor-asked")
    while int(time.time()) // PERIOD == used_window:  # a code is accepted once: wait for the next one
        time.sleep(1)
    again.page.fill("input[name=code]", authenticator_code(secret))
    again.page.locator("main form:has(input[name=code]) button[type=submit]").first.click()
    again.page.wait_for_load_state()
    assert "/accounts/" not in again.page.url, (again.page.url, again.page.inner_text("main"))
    again.shot("signed-in-with-second-factor")
