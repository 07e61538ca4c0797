"""Account behaviour: HR creates staff accounts, so nobody signs themselves up; failed sign-ins
from one address are slowed, not shut, for people who give the right password (sign_in_limits)."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.utils.translation import ngettext

from profiles.organisation.access import is_manager

from . import sign_in_limits
from .context_processors import navigation_remember
from .middleware import second_factor_in_order


class ClosedSignupAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False

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
