"""Second factor for HR and managers, slowed-down failed sign-ins, the admin's sign-in page."""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core.cache import cache
from django.urls import reverse

from tests.conftest import PASSWORD


def current_code(secret):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def mfa_for_hr_and_managers(settings):
    settings.MFA_REQUIRED_ROLES = ["hr", "manager"]


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_hr_without_a_second_factor_must_set_one_up(client, hana, mfa_for_hr_and_managers):
    client.post(reverse("account_login"), {"login": hana.email, "password": PASSWORD})
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url == reverse("mfa_activate_totp")
    # Setting up a factor asks for the password once more, then shows the QR code.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_reauthenticate"))
    client.post(response.url, {"password": PASSWORD})
    activate = client.get(reverse("mfa_activate_totp"))
    assert activate.status_code == 200 and b"data:image/svg+xml" in activate.content
    # Until a factor is set up, the rest of the site stays closed to this role.
    assert client.get("/admin/").url == reverse("mfa_activate_totp")


def test_manager_without_a_second_factor_must_set_one_up(client, bob, mfa_for_hr_and_managers):
    client.force_login(bob.user)
    response = client.get(reverse("profiles:my_profile"))
    assert response.status_code == 302 and response.url == reverse("mfa_activate_totp")


def test_employee_is_not_asked_for_a_second_factor(client, alice, mfa_for_hr_and_managers):
    client.force_login(alice.user)
    assert client.get(reverse("profiles:my_profile")).status_code == 200


def test_requirement_is_configurable(client, hana, settings):
    settings.MFA_REQUIRED_ROLES = []
    client.force_login(hana)
    assert client.get("/admin/").status_code == 200


def test_hr_with_totp_signs_in_with_password_then_code(client, hana, mfa_for_hr_and_managers):
    secret = generate_totp_secret()
    TOTP.activate(hana, secret)
    response = client.post(reverse("account_login"), {"login": hana.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert client.session["_auth_user_id"] == str(hana.pk)
    assert client.get("/admin/").status_code == 200


def test_the_admin_sign_in_page_leads_to_the_site_sign_in(client, db):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/admin/pages/"
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_repeated_failed_sign_ins_are_slowed_down(client, alice, english):
    client.cookies["skills_language"] = "en"
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": alice.user.email, "password": "wrong"})
        assert response.status_code == 200
    response = client.post(reverse("account_login"), {"login": alice.user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert b"Too many failed login attempts" in response.content


def test_sessions_expire(settings):
    assert 0 < settings.SESSION_COOKIE_AGE <= 60 * 60 * 12
