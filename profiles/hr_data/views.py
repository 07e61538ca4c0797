"""HR data pages: the import pages in the admin (upload, dry run, commit, empty templates), every
employee's own-data download, and anonymising people who have left (admin, HR)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..organisation.access import can_manage_employee, is_hr_officer, require_hr, visible_employees
from ..organisation.models import Employee
from ..organisation.selectors import employee_for_user
from .audit import audit_log
from .forms import StaffImportForm
from .models import StaffImport
from .personal_data import employee_anonymise, personal_data_csv, personal_data_json
from .progress import import_progress_get
from .staff_import import ImportNotCommittable, import_commit, import_template, import_upload


def import_index(request):
    require_hr(request.user)
    form = StaffImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        staff_import = import_upload(
            kind=form.cleaned_data["kind"],
            content=upload.read(),
            file_name=upload.name,
            deactivate_missing=form.cleaned_data["deactivate_missing"],
            user=request.user,
        )
        return redirect("profiles_import:detail", pk=staff_import.pk)
    recent = StaffImport.objects.select_related("uploaded_by").defer("content")[:20]
    return render(
        request,
        "profiles/import/index.html",
        {"form": form, "recent": recent, "kinds": StaffImport.Kind.choices},
    )


def import_detail(request, pk: int):
    require_hr(request.user)
    staff_import = get_object_or_404(StaffImport.objects.defer("content"), pk=pk)
    labels = {
        "create": pgettext("staff import change", "Create"),
        "update": pgettext("staff import change", "Update"),
        "move": pgettext("staff import change", "Move"),
        "deactivate": pgettext("staff import change", "Deactivate"),
    }  # fmt: skip
    changes = [
        {**change, "label": labels.get(change["action"], change["action"])}
        for change in staff_import.summary.get("changes", [])
    ]
    return render(
        request,
        "profiles/import/detail.html",
        {"staff_import": staff_import, "summary": staff_import.summary, "changes": changes},
    )


@require_POST
def import_commit_view(request, pk: int):
    require_hr(request.user)
    staff_import = get_object_or_404(StaffImport, pk=pk)
    try:
        result = import_commit(staff_import=staff_import, user=request.user)
    except ImportNotCommittable as error:
        messages.error(request, str(error))
    else:
        counts = result.counts
        messages.success(
            request,
            _("Imported: %(create)s created, %(update)s updated, %(move)s moved, %(deactivate)s deactivated.")
            % counts,
        )
    return redirect("profiles_import:detail", pk=pk)


def import_progress_view(request):
    """How far the commit of ``?import=<pk>`` has got, polled by the commit page's progress bar."""
    require_hr(request.user)
    pk = request.GET.get("import", "")
    if not pk.isdigit():
        raise Http404
    status = get_object_or_404(StaffImport.objects.values_list("status", flat=True), pk=pk)
    progress = import_progress_get(staff_import_id=int(pk)) or {}
    stage = progress.get("stage") or ("finished" if status == StaffImport.Status.COMMITTED else None)
    done, total = progress.get("done", 0), progress.get("total", 0)
    if total:
        percent = min(100, done * 100 // total)
    else:
        percent = 100 if stage == "finished" else 0
    # The admin's URLs are never cached (Wagtail), so every poll reaches the server.
    return JsonResponse({"status": status, "stage": stage, "done": done, "total": total, "percent": percent})


def import_template_view(request, kind: str):
    require_hr(request.user)
    if kind not in StaffImport.Kind.values:
        raise PermissionDenied
    response = HttpResponse(import_template(kind, language=get_language() or "th"), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.csv"'
    return response


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
