"""Values every page template needs: the navigation for the signed-in person."""

import time

from django.utils.functional import SimpleLazyObject

from profiles.organisation.access import is_manager

NAVIGATION_SESSION_KEY = "skills_navigation"
NAVIGATION_SECONDS = 300


def site_navigation(request):
    """Which menu links the person gets ("My team", "Administration").

    Answered lazily, and kept in the session for five minutes: the two questions cost three queries,
    asked on every page, and the answers change only when HR changes a role. The links are only
    links: every view checks the person's rights itself, on every request.
    """
    user = getattr(request, "user", None)

    def flags() -> dict:
        if not (user and user.is_authenticated):
            return {"can_open_admin": False, "is_manager": False}
        session = getattr(request, "session", None)
        kept = session.get(NAVIGATION_SESSION_KEY) if session is not None else None
        if kept and kept.get("user") == user.pk and kept.get("until", 0) > time.time():
            return kept
        return navigation_remember(request, user)

    navigation = SimpleLazyObject(flags)
    return {
        "can_open_admin": SimpleLazyObject(lambda: navigation["can_open_admin"]),
        "is_manager": SimpleLazyObject(lambda: navigation["is_manager"]),
    }


def navigation_remember(request, user, *, manager: bool | None = None) -> dict:
    """Work out the menu answers and keep them in the session (at sign-in, or once they expire).

    ``manager`` is the answer of ``profiles.organisation.access.is_manager`` when the caller already has it.
    """

    answer = {
        "user": user.pk,
        "until": time.time() + NAVIGATION_SECONDS,
        "can_open_admin": user.has_perm("wagtailadmin.access_admin"),
        "is_manager": is_manager(user) if manager is None else manager,
    }
    session = getattr(request, "session", None)
    if session is not None:
        session[NAVIGATION_SESSION_KEY] = answer
    return answer
