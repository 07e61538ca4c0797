"""Permission policies for the Wagtail admin views of the competency core."""

from wagtail.permission_policies import ModelPermissionPolicy

from .access import is_hr

READ_ACTIONS = {"view"}


def _department_hr(user) -> bool:
    """``is_hr``, asked once per user object (the request's): a listing asks the policy about every
    row's buttons, and the answer does not change within a request."""
    cached = getattr(user, "_skills_department_hr", None)
    if cached is None:
        cached = is_hr(user)
        user._skills_department_hr = cached
    return cached


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Lets permitted users list and inspect records, and nobody add, change or delete them.

    Used for the evidence log: even a superuser reads it only, because evidence is append-only.
    """

    def user_has_permission(self, user, action):
        if action not in READ_ACTIONS:
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        readable = [action for action in actions if action in READ_ACTIONS]
        if not readable:
            return super().users_with_any_permission([]).none()
        return super().users_with_any_permission(readable)


class DepartmentHRPermissionPolicy(ModelPermissionPolicy):
    """Only department-wide HR may act: an HR officer limited to a subtree cannot widen their own
    scope or make someone an acting head elsewhere."""

    def user_has_permission(self, user, action):
        return _department_hr(user) and super().user_has_permission(user, action)


class DepartmentHRChangesPermissionPolicy(ModelPermissionPolicy):
    """Department-wide reference data (frameworks, competencies, personnel groups, role targets):
    an HR officer limited to a subtree reads it; only department-wide HR changes it."""

    def user_has_permission(self, user, action):
        if action in READ_ACTIONS:
            return super().user_has_permission(user, action)

        return _department_hr(user) and super().user_has_permission(user, action)


class ScopedObjectsViewSetMixin:
    """For admin viewsets of personal records: an object outside the user's scope is a 404 in every
    view that loads one (edit, inspect, delete, history, usage, copy), not only in the listing."""

    def object_visible(self, user, obj) -> bool:
        raise NotImplementedError

    def scope_queryset(self, request, queryset):
        """The listing (and its export) narrowed to what the user may see."""
        raise NotImplementedError

    def construct_view(self, view_class, **kwargs):
        from wagtail.admin.views.generic.models import IndexView

        if issubclass(view_class, IndexView):
            viewset = self

            class ScopedIndexView(view_class):
                def get_base_queryset(self):
                    return viewset.scope_queryset(self.request, super().get_base_queryset())

            ScopedIndexView.__name__ = view_class.__name__
            ScopedIndexView.__qualname__ = view_class.__qualname__
            view_class = ScopedIndexView
        elif hasattr(view_class, "get_object"):
            viewset = self

            class ScopedView(view_class):
                def get_object(self, *args, **kwargs):
                    from django.http import Http404

                    obj = super().get_object(*args, **kwargs)
                    if obj is not None and not viewset.object_visible(self.request.user, obj):
                        raise Http404
                    return obj

            ScopedView.__name__ = view_class.__name__
            ScopedView.__qualname__ = view_class.__qualname__
            view_class = ScopedView
        return super().construct_view(view_class, **kwargs)
