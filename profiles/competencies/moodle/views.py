"""Admin pages: upload a Moodle framework file (a dry run), commit it, and export a framework."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ...organisation.access import is_hr, is_hr_officer, require_hr
from .forms import FrameworkExportForm, FrameworkImportForm
from .models import FrameworkImport
from .services import (
    FrameworkImportRefused,
    framework_export_csv,
    framework_import_commit,
    framework_import_upload,
)


def import_index(request):
    require_hr(request.user)
    form = FrameworkImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        framework_import = framework_import_upload(
            content=upload.read(),
            file_name=upload.name,
            version_label=form.cleaned_data["version_label"],
            deactivate_previous=form.cleaned_data["deactivate_previous"],
            replaces=form.cleaned_data["replaces"],
            user=request.user,
        )
        return redirect("moodle_frameworks:detail", pk=framework_import.pk)
    recent = FrameworkImport.objects.select_related("uploaded_by", "framework").defer("content")[:20]
    return render(
        request,
        "profiles/frameworks/index.html",
        {"form": form, "export_form": FrameworkExportForm(), "recent": recent},
    )


def import_detail(request, pk: int):
    require_hr(request.user)
    framework_import = get_object_or_404(FrameworkImport.objects.defer("content"), pk=pk)
    return render(
        request,
        "profiles/frameworks/detail.html",
        {"framework_import": framework_import, "summary": framework_import.summary},
    )


@require_POST
def import_commit(request, pk: int):
    require_hr(request.user)
    framework_import = get_object_or_404(FrameworkImport, pk=pk)
    try:
        framework = framework_import_commit(framework_import=framework_import, user=request.user)
    except FrameworkImportRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("Imported %(code)s, version %(version)s.")
            % {"code": framework.code, "version": framework.version},
        )
    return redirect("moodle_frameworks:detail", pk=pk)


def export(request):
    """A framework as Moodle's import tool reads it; HR officers read frameworks, so they may export them."""
    if not is_hr_officer(request.user):
        raise PermissionDenied
    form = FrameworkExportForm(request.GET or None)
    if not form.is_valid():
        messages.error(request, _("Choose a framework to export."))
        return redirect("moodle_frameworks:index" if is_hr(request.user) else "wagtailadmin_home")
    framework = form.cleaned_data["framework"]
    response = HttpResponse(framework_export_csv(framework=framework), content_type="text/csv; charset=utf-8")
    name = slugify(f"{framework.code}-{framework.version}") or "framework"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
