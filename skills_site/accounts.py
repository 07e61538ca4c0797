"""Account behaviour: HR creates staff accounts, so nobody signs themselves up."""

from allauth.account.adapter import DefaultAccountAdapter

from profiles.organisation.access import is_manager

from .context_processors import navigation_remember
from .middleware import second_factor_in_order


class ClosedSignupAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False

    def login(self, request, user):
        """Sign in, then answer the menu and second-factor questions for the session.

        Signing in writes the session anyway; answering here spares the first page after it a
        session write of its own (on exam day every employee signs in within minutes).
        """
        super().login(request, user)


        manager = is_manager(user)
        navigation_remember(request, user, manager=manager)
        second_factor_in_order(request, user, manager=manager)
