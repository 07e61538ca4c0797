"""Values every page template needs: the navigation for the signed-in person."""

from django.utils.functional import SimpleLazyObject


def site_navigation(request):
    """Lazily answered, so pages that do not show the navigation pay no query for it."""
    user = getattr(request, "user", None)

    def can_open_admin() -> bool:
        return bool(user and user.is_authenticated and user.has_perm("wagtailadmin.access_admin"))

    def heads_a_unit() -> bool:
        from profiles.access import is_manager

        return bool(user and user.is_authenticated and is_manager(user))

    return {"can_open_admin": SimpleLazyObject(can_open_admin), "is_manager": SimpleLazyObject(heads_a_unit)}
