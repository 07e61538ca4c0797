"""The read API's clients in the Wagtail admin, for HR (registration only)."""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from profiles.organisation.access import is_hr_officer

from . import admin_views


class ApiClientsMenuItem(MenuItem):
    def is_shown(self, request):
        return is_hr_officer(request.user)


@hooks.register("register_admin_urls")
def register_api_client_urls():
    patterns = [
        path("", admin_views.client_index, name="index"),
        path("add/", admin_views.client_add, name="add"),
        path("<int:pk>/revoke/", admin_views.client_revoke, name="revoke"),
    ]
    return [path("api-clients/", include((patterns, "api_clients"), namespace="api_clients"))]


@hooks.register("register_admin_menu_item")
def register_api_clients_menu_item():
    return ApiClientsMenuItem(
        _("API clients"), reverse_lazy("api_clients:index"), icon_name="key", order=207
    )
