"""The organisation in the Wagtail admin: units, staff, personnel groups, acting heads, HR scopes."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList

from skills_site.viewsets import ModelViewSet

from .access import can_view_employee, is_hr, visible_employees, visible_units
from .admin_permissions import ScopedObjectsViewSetMixin
from .forms import EmployeeAdminForm
from .models import ActingHead, Employee, HROfficerScope, OrgUnit, PersonnelGroup


class OrgUnitViewSet(ScopedObjectsViewSetMixin, ModelViewSet):
    model = OrgUnit
    icon = "site"
    menu_label = _("Org units")
    list_display = ["code", "name_th", "name_en", "kind", "parent", "head", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name_th", "name_en"]
    copy_view_enabled = False
    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("kind")]),
        FieldPanel("name_th"),
        FieldPanel("name_en"),
        FieldPanel("parent"),
        FieldPanel("head"),
        FieldPanel("is_active"),
    ]

    def get_queryset(self, request):
        return OrgUnit.objects.select_related("parent", "head")

    def scope_queryset(self, request, queryset):
        # HR officers limited to a subtree administer only the units of that subtree.
        return queryset.filter(pk__in=visible_units(request.user).values("pk"))

    def object_visible(self, user, obj) -> bool:
        return visible_units(user).filter(pk=obj.pk).exists()


class EmployeeViewSet(ScopedObjectsViewSetMixin, ModelViewSet):
    model = Employee
    icon = "user"
    menu_label = _("Employees")
    list_display = [
        "employee_number", "first_name_th", "last_name_th", "position_title", "org_unit",
        "personnel_group", "is_active",
    ]  # fmt: skip
    list_filter = ["personnel_group", "is_active", "org_unit"]
    search_fields = [
        "employee_number", "first_name_th", "last_name_th", "first_name_en", "last_name_en",
        "position_title",
    ]  # fmt: skip
    copy_view_enabled = False
    inspect_view_enabled = True
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("employee_number"), FieldPanel("user")]),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("first_name_th"), FieldPanel("last_name_th")]),
                    FieldRowPanel([FieldPanel("first_name_en"), FieldPanel("last_name_en")]),
                ],
                heading=_("Names"),
            ),
            FieldPanel("position_title"),
            FieldRowPanel([FieldPanel("org_unit"), FieldPanel("personnel_group")]),
            FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date"), FieldPanel("is_active")]),
            FieldPanel("birth_date"),
        ],
        base_form_class=EmployeeAdminForm,
    )

    def get_queryset(self, request):
        return Employee.objects.select_related("org_unit", "personnel_group")

    def scope_queryset(self, request, queryset):
        # HR officers limited to a subtree list only the staff of their units.
        if is_hr(request.user):
            return queryset
        return queryset.filter(pk__in=visible_employees(request.user).values("pk"))

    def object_visible(self, user, obj) -> bool:
        return can_view_employee(user, obj)


class PersonnelGroupViewSet(ModelViewSet):
    model = PersonnelGroup
    icon = "group"
    menu_label = _("Personnel groups")
    list_display = ["code", "name_th", "name_en", "sort_order"]
    form_fields = ["code", "name_th", "name_en", "sort_order"]
    copy_view_enabled = False


class ActingHeadViewSet(ModelViewSet):
    """Acting heads see their units' staff only between the two dates (audited as admin edits)."""

    model = ActingHead
    icon = "user"
    menu_label = _("Acting heads")
    list_display = ["org_unit", "employee", "starts_on", "ends_on", "note"]
    list_filter = ["org_unit"]
    # panels, not form_fields: the admin's model form then takes the dates as day / month / B.E. year
    panels = [
        FieldPanel("org_unit"),
        FieldPanel("employee"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldPanel("note"),
    ]
    copy_view_enabled = False

    def get_queryset(self, request):
        return ActingHead.objects.select_related("org_unit", "employee")


class HROfficerScopeViewSet(ModelViewSet):
    """An HR group member with a scope sees only those units and the units below them."""

    model = HROfficerScope
    icon = "lock"
    menu_label = _("HR officer scopes")
    list_display = ["user", "org_unit"]
    form_fields = ["user", "org_unit"]
    copy_view_enabled = False

    def get_queryset(self, request):
        return HROfficerScope.objects.select_related("user", "org_unit")


def person_name(user) -> str:
    """A recorder shown by name; records made by the system have none."""
    if user is None:
        return _("System")
    employee = getattr(user, "employee", None)
    return employee.full_name if employee else (user.get_full_name() or user.email)
