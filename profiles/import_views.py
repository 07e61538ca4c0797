"""HR's import pages in the admin: upload, the dry run, commit; and the empty templates to fill in."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .access import is_hr
from .hr_import import ImportNotCommittable, import_commit, import_template, import_upload
from .import_forms import StaffImportForm
from .import_progress import import_progress_get
from .models import StaffImport


def _require_hr(request) -> None:
    # Imports change the whole department's structure: department-wide HR only.
    if not is_hr(request.user):
        raise PermissionDenied


def import_index(request):
    _require_hr(request)
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
    _require_hr(request)
    staff_import = get_object_or_404(StaffImport.objects.defer("content"), pk=pk)
    labels = {
        "create": _("Create"), "update": _("Update"), "move": _("Move"), "deactivate": _("Deactivate"),
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
    _require_hr(request)
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
    _require_hr(request)
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
    _require_hr(request)
    if kind not in StaffImport.Kind.values:
        raise PermissionDenied
    response = HttpResponse(import_template(kind, language=get_language() or "th"), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.csv"'
    return response
