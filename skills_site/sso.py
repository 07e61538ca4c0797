"""Single sign-on with the department's OpenID Connect provider (on when the SSO_* variables are set).

- **Who**: the ID token's e-mail, when the provider says it is verified, matched to the one active
  staff account with that work e-mail. Nobody is signed up: an unknown or unverified e-mail is
  refused with a page that says why, and nothing is written but the audit entry.
- **Trust**: the ID token's signature, issuer (the configured ``SSO_ISSUER_URL``), audience (our
  client id) and expiry are always checked. allauth skips the signature for a token fetched over
  TLS, as the specification allows; we check it anyway, so a tampered token fails here too.
- **Second factor** for the roles in ``MFA_REQUIRED_ROLES`` (HR and managers in production): a
  provider that reports one (an ``amr`` value in ``SSO_MFA_AMR``, by default mfa, otp or hwk, or an
  ``acr`` in ``SSO_MFA_ACR``) stands in for ours for that session. Otherwise the person gives ours,
  as after a password: the authenticator code if they have one, or they must set one up before
  anything else opens.
"""

from __future__ import annotations

import json

import jwt
import requests
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal.datakit import parse_bool_safely
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter, get_adapter
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.base import AuthError
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from profiles.hr_data.audit import audit_log, audit_log_refusal

from .accounts import provider_reports_second_factor

WELL_KNOWN = "/.well-known/openid-configuration"


# Public-key signatures only: never "none", nor a shared-secret HMAC that the client could forge.
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")


class VerifiedOpenIDConnectAdapter(OpenIDConnectOAuth2Adapter):
    """allauth's OpenID Connect adapter, with the ID token's signature and issuer always checked.

    The key is the provider's published key named by the token's ``kid``, or its only signing key
    when the token names none (as some providers do when they have one).
    """

    def _decode_id_token(self, app, id_token: str) -> dict:
        issuer = app.settings["server_url"].removesuffix(WELL_KNOWN).rstrip("/")
        try:
            header = jwt.get_unverified_header(id_token)
            algorithm = header.get("alg")
            if algorithm not in SIGNING_ALGORITHMS:
                raise OAuth2Error(f"ID token signed with {algorithm!r}, which is not accepted")
            with get_adapter().get_requests_session() as session:
                response = session.get(self.openid_config["jwks_uri"])
                response.raise_for_status()
                published = response.json().get("keys", [])
            kid = header.get("kid")
            keys = [
                key for key in published
                if key.get("use", "sig") == "sig" and (kid is None or key.get("kid") == kid)
            ]  # fmt: skip
            if len(keys) != 1:
                raise OAuth2Error(f"the provider publishes no single signing key for kid {kid!r}")
            public_key = jwt.algorithms.get_default_algorithms()[algorithm].from_jwk(json.dumps(keys[0]))
            data = jwt.decode(
                id_token,
                key=public_key,
                algorithms=[algorithm],
                issuer=issuer,
                audience=app.client_id,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
            jwtkit.verify_jti(data)
        except (jwt.PyJWTError, requests.RequestException, ValueError, KeyError) as error:
            raise OAuth2Error("Invalid id_token") from error
        return data


def sso_login(request, provider_id: str):
    try:
        return OAuth2LoginView.adapter_view(VerifiedOpenIDConnectAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None


def sso_callback(request, provider_id: str):
    try:
        return OAuth2CallbackView.adapter_view(VerifiedOpenIDConnectAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None


def _refusal_message(reason: str, email: str) -> str:
    return {
        "no_email": _("The sign-in service did not give your e-mail address, so we cannot tell who you are."),
        "unverified": _(
            "The sign-in service says your e-mail address %(email)s is not verified. Ask IT to verify "
            "it, or sign in with your password."
        ),
        "unknown": _(
            "There is no staff account with the e-mail address %(email)s. Accounts are created by HR: "
            "ask them, or sign in with your password."
        ),
        "inactive": _("The staff account for %(email)s is closed. Ask HR if you should still have one."),
        "token": _(
            "The sign-in service's answer could not be verified, so you were not signed in. Try again; "
            "if it happens again, tell IT."
        ),
    }[reason] % {"email": email}


def _refuse(request, *, reason: str, claims: dict, detail: str = ""):
    email = str(claims.get("email") or "")
    audit_log_refusal(
        model=get_user_model(),
        label=f"SSO: {email or claims.get('sub') or 'unknown'}",
        action="sso.refused",
        data={
            "reason": reason, "detail": detail[:500], "email": email, "sub": claims.get("sub"),
            "address": request.META.get("REMOTE_ADDR", ""),
        },
    )  # fmt: skip
    response = render(
        request, "account/sso_refused.html", {"message": _refusal_message(reason, email)}, status=403
    )
    raise ImmediateHttpResponse(response)


class DepartmentSocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def pre_social_login(self, request, sociallogin) -> None:
        """Match the person to their staff account by verified e-mail, or refuse."""
        claims = sociallogin.account.extra_data.get("id_token") or {}
        email = str(claims.get("email") or "").strip()
        if not email:
            _refuse(request, reason="no_email", claims=claims)
        if not parse_bool_safely(claims.get("email_verified")):
            _refuse(request, reason="unverified", claims=claims)
        if sociallogin.is_existing:
            user = sociallogin.user
            if not user.is_active:
                _refuse(request, reason="inactive", claims=claims)
            if user.email.lower() != email.lower():  # the provider's e-mail changed: match again
                _refuse(request, reason="unknown", claims=claims, detail=f"linked to {user.get_username()}")
        else:
            users = list(get_user_model().objects.filter(email__iexact=email))
            active = [user for user in users if user.is_active]
            if len(active) != 1:
                _refuse(request, reason="inactive" if users and not active else "unknown", claims=claims)
            user = active[0]
            sociallogin.connect(request, user)
        audit_log(
            instance=user,
            action="sso.sign_in",
            user=user,
            data={
                "sub": claims.get("sub"),
                "second_factor_at_provider": provider_reports_second_factor(claims),
            },
        )

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        """A bad ID token (signature, issuer, audience, expiry) or a failed exchange: refused, logged."""
        if error == AuthError.CANCELLED:
            return
        causes, current = [], exception
        while current is not None and len(causes) < 4:
            causes.append(f"{type(current).__name__}: {current}")
            current = current.__cause__ or current.__context__
        _refuse(request, reason="token", claims={}, detail=" <- ".join(causes) or str(error))
