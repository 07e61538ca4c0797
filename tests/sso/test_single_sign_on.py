"""Single sign-on end to end against a real OpenID Connect provider on loopback (tests/sso/provider.py):
matched by verified work e-mail, sign-up closed, bad ID tokens refused, the second-factor rule."""

from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import ModelLogEntry

from skills_site.settings.base import socialaccount_providers
from tests.sso.provider import CLIENT_ID, loopback_provider

LOGIN = "/accounts/oidc/dept-sso/login/"


@pytest.fixture(scope="module")
def provider():
    with loopback_provider() as running:
        yield running


@pytest.fixture
def english(client):
    client.cookies["skills_language"] = "en"  # pages are Thai unless a person chose English


@pytest.fixture(autouse=True)
def sso_settings(settings, provider):
    sso = {"issuer": provider.url, "client_id": CLIENT_ID, "secret": "s3cret", "label": None}
    settings.SOCIALACCOUNT_PROVIDERS = socialaccount_providers(sso)
    provider.wrapper.spoil = None
    yield
    provider.wrapper.spoil = None


def sign_in(client, provider, sub, **claims):
    """Press the button, sign in at the provider, come back: the site's answer to the callback."""
    provider.set_user(sub, **claims)
    response = client.post(LOGIN, {"process": "login"})
    assert response.status_code == 302
    back = urlsplit(provider.authorize(response["Location"], sub))
    assert back.path == "/accounts/oidc/dept-sso/login/callback/"
    return client.get(f"{back.path}?{back.query}")


def snapshot():
    return (
        get_user_model().objects.count(), SocialAccount.objects.count(), EmailAddress.objects.count(),
    )  # fmt: skip


def test_an_existing_account_is_matched_by_verified_work_email(client, provider, alice):
    response = sign_in(client, provider, "alice-at-idp", email="Alice@Example.go.th", email_verified=True)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(alice.user.pk)
    assert client.get(reverse("profiles:my_profile")).status_code == 200
    link = SocialAccount.objects.get(user=alice.user)
    assert link.uid == "alice-at-idp" and link.provider == "dept-sso"
    assert ModelLogEntry.objects.filter(action="sso.sign_in", object_id=str(alice.user.pk)).exists()
    client.logout()
    # The next time the provider's subject finds the same account; nothing new is made.
    before = snapshot()
    sign_in(client, provider, "alice-at-idp", email="alice@example.go.th", email_verified=True)
    assert client.session["_auth_user_id"] == str(alice.user.pk) and snapshot() == before


@pytest.mark.parametrize(
    ("claims", "reason", "message"),
    [
        ({"email": "stranger@example.go.th", "email_verified": True}, "unknown", "no staff account"),
        ({"email": "alice@example.go.th", "email_verified": False}, "unverified", "not verified"),
        ({"email": "alice@example.go.th"}, "unverified", "not verified"),
        ({"name": "No e-mail"}, "no_email", "did not give your e-mail"),
    ],
    ids=["unknown-email", "unverified", "verification-not-said", "no-email"],
)
def test_unknown_or_unverified_email_is_refused_and_nobody_is_signed_up(
    client, provider, alice, english, claims, reason, message
):
    before = snapshot()
    response = sign_in(client, provider, f"sub-{reason}", **claims)
    assert response.status_code == 403 and message in response.content.decode()
    assert "_auth_user_id" not in client.session and snapshot() == before
    entry = ModelLogEntry.objects.get(action="sso.refused")
    assert entry.data["reason"] == reason and entry.data["sub"] == f"sub-{reason}"


def test_a_closed_account_is_refused(client, provider, alice, english):
    get_user_model().objects.filter(pk=alice.user.pk).update(is_active=False)
    response = sign_in(client, provider, "alice-closed", email="alice@example.go.th", email_verified=True)
    assert response.status_code == 403 and "closed" in response.content.decode()
    assert not SocialAccount.objects.exists()


@pytest.mark.parametrize(
    ("spoil", "detail"),
    [
        ("audience", "InvalidAudienceError"),
        ("issuer", "InvalidIssuerError"),
        ("signature", "InvalidSignatureError"),
        ("expired", "ExpiredSignatureError"),
    ],
)
def test_a_bad_id_token_is_refused_with_nothing_written(client, provider, alice, english, spoil, detail):
    provider.wrapper.spoil = spoil
    before = snapshot()
    response = sign_in(client, provider, f"alice-{spoil}", email="alice@example.go.th", email_verified=True)
    assert response.status_code == 403 and "could not be verified" in response.content.decode()
    assert "_auth_user_id" not in client.session and snapshot() == before
    entry = ModelLogEntry.objects.get(action="sso.refused")
    assert entry.data["reason"] == "token" and detail in entry.data["detail"]


@pytest.fixture
def mfa_for_hr(settings):
    settings.MFA_REQUIRED_ROLES = ["hr", "manager"]


def test_hr_whose_provider_reports_a_second_factor_is_not_asked_for_ours(client, provider, hana, mfa_for_hr):
    sign_in(client, provider, "hana", email="hana@example.go.th", email_verified=True, amr=["pwd", "otp"])
    assert client.session["_auth_user_id"] == str(hana.pk)
    assert client.get("/admin/").status_code == 200


def test_hr_without_a_reported_second_factor_must_set_up_ours(client, provider, hana, mfa_for_hr):
    sign_in(client, provider, "hana", email="hana@example.go.th", email_verified=True, amr=["pwd"])
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url == reverse("mfa_activate_totp")


def test_hr_with_our_second_factor_gives_it_after_sso_unless_the_provider_reported_one(
    client, provider, hana, mfa_for_hr
):
    TOTP.activate(hana, generate_totp_secret())
    response = sign_in(client, provider, "hana", email="hana@example.go.th", email_verified=True, amr=["pwd"])
    assert response.status_code == 302 and response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    client.get(reverse("account_logout"))
    response = sign_in(client, provider, "hana", email="hana@example.go.th", email_verified=True, amr=["mfa"])
    assert client.session["_auth_user_id"] == str(hana.pk) and response.url != reverse("mfa_authenticate")


def test_the_sign_in_page_offers_the_button(client, db, english):
    html = client.get(reverse("account_login")).content.decode()
    assert f'action="{LOGIN}"' in html and "Sign in with your department account" in html


def test_the_content_security_policy_lets_the_button_reach_the_provider(client, provider, db):
    """The button's post is answered with a redirect to the provider: form-action must allow it."""
    policy = client.get(reverse("account_login"))["Content-Security-Policy"]
    assert f"form-action 'self' {provider.url}" in policy
