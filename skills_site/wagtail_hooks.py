"""Admin menu entries that follow the project's rights (registration only)."""

from django.db import models
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.menu import MenuItem

from .admin_views import may_read_site_history
from .forms import ThaiDateField, ThaiDateWidget

# Every date in the admin's own forms (staff, acting heads, plans…) as day / month / year, the year
# in B.E. on a Thai page, like the site's forms; date-and-time fields keep Wagtail's picker.
register_form_field_override(
    models.DateField, override={"form_class": ThaiDateField, "widget": ThaiDateWidget}, exact_class=True
)


class SiteHistoryMenuItem(MenuItem):
    """Shown to whoever may read the audit trail (Wagtail's own shows it to page editors instead)."""

    def is_shown(self, request):
        return may_read_site_history(request.user)


@hooks.register("register_reports_menu_item")
def register_site_history():
    return SiteHistoryMenuItem(
        _("Site history"),
        reverse("wagtailadmin_reports:site_history"),
        name="audit-site-history",
        icon_name="history",
        order=1000,
    )


@hooks.register("construct_reports_menu")
def replace_wagtails_site_history(request, menu_items):
    menu_items[:] = [item for item in menu_items if item.name != "site-history"]


@hooks.register("insert_global_admin_css")
def date_field_css():
    """The day / month / year date field (skills_site.forms.ThaiDateField) on one line in the admin."""
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin-dates.css"))
