"""Account behaviour: HR creates staff accounts, so nobody signs themselves up; failed sign-ins
from one address are slowed, not shut, for people who give the right password (sign_in_limits)."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.stages import AuthenticateStage
from django import forms
from django.conf import settings
from django.utils.translation import ngettext

from profiles.organisation.access import is_manager

from . import sign_in_limits
from .context_processors import navigation_remember
from .middleware import SSO_SECOND_FACTOR_KEY, second_factor_in_order

MFA_STAGE = "allauth.mfa.stages.AuthenticateStage"


class ClosedSignupAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False

    def get_login_stages(self) -> list[str]:
        """allauth's, with its second-factor stage replaced by ours (which knows single sign-on)."""
        return [
            "skills_site.accounts.SecondFactorStage" if path == MFA_STAGE else path
            for path in super().get_login_stages()
        ]

    def pre_authenticate(self, request, **credentials) -> None:
        """Before a password is checked: the address's slow lane, then allauth's per-account limit."""
        try:
            sign_in_limits.address_gate(self._address(request))
        except sign_in_limits.AddressSlowed as slowed:
            raise forms.ValidationError(
                ngettext(
                    "Many failed sign-ins have come from your network. Wait %(seconds)s second "
                    "and sign in again.",
                    "Many failed sign-ins have come from your network. Wait %(seconds)s seconds "
                    "and sign in again.",
                    slowed.wait_seconds,
                ),
                code="address_slowed",
                params={"seconds": slowed.wait_seconds},
            ) from None
        super().pre_authenticate(request, **credentials)

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        login = credentials.get("email", credentials.get("username", ""))
        if user is None:
            sign_in_limits.sign_in_failed(address=self._address(request), login=login)
        else:
            sign_in_limits.sign_in_succeeded(address=self._address(request), login=login)
        return user

    def _address(self, request) -> str:
        return sign_in_limits.address_of(self.get_client_ip(request))

    def login(self, request, user):
        """Sign in, then answer the menu and second-factor questions for the session.

        Signing in writes the session anyway; answering here spares the first page after it a
        session write of its own (on exam day every employee signs in within minutes).
        """
        super().login(request, user)
        manager = is_manager(user)
        navigation_remember(request, user, manager=manager)
        second_factor_in_order(request, user, manager=manager)


def provider_reports_second_factor(claims: dict) -> bool:
    """The single sign-on ID token says the person gave a second factor at the provider: an
    ``amr`` value in ``SSO_MFA_AMR`` or an ``acr`` in ``SSO_MFA_ACR``."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    trusted_amr = {value.lower() for value in settings.SSO_MFA_AMR}
    if any(str(value).lower() in trusted_amr for value in amr):
        return True
    return bool(claims.get("acr")) and str(claims["acr"]) in settings.SSO_MFA_ACR


class SecondFactorStage(AuthenticateStage):
    """Our second factor after signing in, unless single sign-on reported one from the provider."""

    def handle(self) -> tuple:
        sociallogin = (self.login.signal_kwargs or {}).get("sociallogin")
        claims = (sociallogin.account.extra_data.get("id_token") or {}) if sociallogin is not None else {}
        if sociallogin is not None and provider_reports_second_factor(claims):
            self.request.session[SSO_SECOND_FACTOR_KEY] = self.login.user.pk
            return None, True
        self.request.session.pop(SSO_SECOND_FACTOR_KEY, None)
        return super().handle()
