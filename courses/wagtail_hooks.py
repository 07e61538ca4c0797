"""Admin registration: enrolments for HR to look up, and the authors' group kept on new catalogues."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from profiles.organisation.access import can_view_employee, visible_employees
from profiles.organisation.admin_permissions import ReadOnlyPermissionPolicy, ScopedObjectsViewSetMixin
from skills_site.viewsets import ModelViewSet

from .models import CourseCataloguePage, Enrolment
from .roles import course_authors_ensure

register_permission_policy(Enrolment, ReadOnlyPermissionPolicy(Enrolment))


class EnrolmentViewSet(ScopedObjectsViewSetMixin, ModelViewSet):
    """Read-only: enrolments change through learning, assignment and completion, not by hand."""

    model = Enrolment
    icon = "user"
    menu_label = _("Enrolments")
    add_to_admin_menu = True
    menu_order = 310
    list_display = ["employee", "course", "due_date", "progress_percent", "completed_at", "certificate_code"]
    list_filter = ["is_mandatory", "completed_at", "due_date"]
    search_fields = ["employee__first_name_th", "employee__last_name_th", "employee__employee_number"]
    list_export = ["employee", "course", "due_date", "progress_percent", "completed_at", "certificate_code"]
    inspect_view_enabled = True
    form_fields = ["due_date"]  # never offered: the policy allows viewing only

    def scope_queryset(self, request, queryset):
        return queryset.filter(employee__in=visible_employees(request.user).values("pk"))

    def object_visible(self, user, obj) -> bool:
        return can_view_employee(user, obj.employee)


@hooks.register("register_admin_viewset")
def register_enrolments():
    return EnrolmentViewSet("enrolments")


@hooks.register("after_create_page")
def give_authors_new_catalogue(request, page):
    if isinstance(page.specific, CourseCataloguePage):
        course_authors_ensure()
