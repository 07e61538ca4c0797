"""Downloading one's own data (site), and anonymising people who have left (admin, HR)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .access import can_manage_employee, is_hr_officer, visible_employees
from .audit import audit_log
from .models import Employee
from .personal_data import employee_anonymise, personal_data_csv, personal_data_json
from .selectors import employee_for_user


@login_required
def my_data(request):
    return render(
        request, "profiles/personal_data/my_data.html", {"employee": employee_for_user(request.user)}
    )


@login_required
def my_data_download(request, file_format: str):
    """Only ever the signed-in person's own data: no id in the URL to change."""
    employee = employee_for_user(request.user)
    if employee is None or file_format not in ("json", "csv"):
        raise Http404(_("There is no staff profile for this account."))
    content = personal_data_json(employee) if file_format == "json" else personal_data_csv(employee)
    audit_log(instance=employee, action="profiles.personal_data_export", user=request.user,
              data={"format": file_format})  # fmt: skip
    content_type = "application/json" if file_format == "json" else "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    name = f"my-data-{timezone.localdate():%Y%m%d}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def departed_staff(request):
    """HR's list of people who have left, to anonymise; scoped HR officers see their units only."""
    if not is_hr_officer(request.user):
        raise PermissionDenied
    departed = (
        visible_employees(request.user)
        .filter(is_active=False, anonymised_at__isnull=True)
        .select_related("org_unit")
        .order_by("end_date", "employee_number")
    )
    return render(request, "profiles/personal_data/departed.html", {"departed": departed})


@require_POST
def anonymise(request, pk: int):
    if not is_hr_officer(request.user):
        raise PermissionDenied
    employee = get_object_or_404(Employee, pk=pk)
    if not can_manage_employee(request.user, employee):
        raise Http404
    if employee.is_active:
        messages.error(request, _("Only people who have left can be anonymised."))
    elif employee.anonymised_at is not None:
        messages.info(request, _("This person was already anonymised."))
    else:
        employee_anonymise(employee=employee, by=request.user)
        messages.success(request, _("The person was anonymised; their figures stay in the reports."))
    return redirect("profiles_departed:index")
