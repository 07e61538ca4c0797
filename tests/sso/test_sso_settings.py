"""Single sign-on is switched on by environment variables alone, and a bad value stops start-up."""

import json

import pytest

from tests.test_settings import STRONG_KEY, manage

BASE = {"SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "skills.example"}
PRINT_SSO = (
    "from django.conf import settings; import json; print(json.dumps({'apps': [a for a in "
    "settings.INSTALLED_APPS if 'socialaccount' in a], 'providers': settings.SOCIALACCOUNT_PROVIDERS}))"
)


def sso_settings(**env):
    result = manage("shell", "-c", PRINT_SSO, **BASE, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_the_variables_there_is_no_single_sign_on():
    assert sso_settings() == {"apps": [], "providers": {}}


def test_the_variables_alone_switch_it_on():
    found = sso_settings(
        SSO_ISSUER_URL="https://login.dept.go.th/realms/staff/", SSO_CLIENT_ID="skills",
        SSO_CLIENT_SECRET="s3cret", SSO_BUTTON_LABEL="เข้าสู่ระบบด้วยบัญชีกรม",
    )  # fmt: skip
    assert found["apps"] == ["allauth.socialaccount", "allauth.socialaccount.providers.openid_connect"]
    (app,) = found["providers"]["openid_connect"]["APPS"]
    assert app["client_id"] == "skills" and app["name"] == "เข้าสู่ระบบด้วยบัญชีกรม"
    assert app["settings"] == {"server_url": "https://login.dept.go.th/realms/staff", "fetch_userinfo": False}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SSO_ISSUER_URL": "https://login.dept.go.th"}, "SSO_CLIENT_ID, SSO_CLIENT_SECRET not set"),
        ({"SSO_BUTTON_LABEL": "SSO"}, "SSO_BUTTON_LABEL is set but SSO_ISSUER_URL is not"),
        (
            {"SSO_ISSUER_URL": "http://login.dept.go.th", "SSO_CLIENT_ID": "a", "SSO_CLIENT_SECRET": "b"},
            "must use https",
        ),
        (
            {"SSO_ISSUER_URL": "login.dept.go.th", "SSO_CLIENT_ID": "a", "SSO_CLIENT_SECRET": "b"},
            "is not an issuer URL",
        ),
        ({"LOGIN_FAILED_RATE_LIMIT": "10/m/ip,5/5m/key"}, "LOGIN_ADDRESS_FAILURE_LIMIT"),
        ({"LOGIN_ADDRESS_FAILURE_LIMIT": "many"}, "is not a rate"),
        ({"API_RATE_LIMIT": "lots"}, "API_RATE_LIMIT='lots' is not a rate"),
    ],
    ids=["partial", "label-alone", "plain-http", "not-a-url", "address-lockout", "address-rate", "api-rate"],
)
def test_a_bad_value_stops_start_up_with_one_line(env, message):
    result = manage("check", **BASE, **env)
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr
