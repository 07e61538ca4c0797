"""Values every page template needs: the navigation for the signed-in person."""

from django.utils.functional import SimpleLazyObject


def site_navigation(request):
    def can_open_admin() -> bool:
        user = getattr(request, "user", None)
        return bool(user and user.is_authenticated and user.has_perm("wagtailadmin.access_admin"))

    return {"can_open_admin": SimpleLazyObject(can_open_admin)}
