"""HR's admin pages for outside completions: upload (a dry run), the dry run, commit, an empty template."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..organisation.access import require_hr
from .completions import (
    CompletionsNotCommittable,
    completions_commit,
    completions_template,
    completions_upload,
)
from .forms import CompletionImportForm
from .models import CompletionImport


def index(request):
    require_hr(request.user)
    form = CompletionImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        completion_import = completions_upload(
            content=upload.read(), file_name=upload.name, user=request.user
        )
        return redirect("outside_learning_import:detail", pk=completion_import.pk)
    recent = CompletionImport.objects.select_related("uploaded_by").defer("content")[:20]
    return render(request, "profiles/prior_learning/import_index.html", {"form": form, "recent": recent})


def detail(request, pk: int):
    require_hr(request.user)
    completion_import = get_object_or_404(CompletionImport.objects.defer("content"), pk=pk)
    return render(
        request,
        "profiles/prior_learning/import_detail.html",
        {"completion_import": completion_import, "summary": completion_import.summary},
    )


@require_POST
def commit(request, pk: int):
    require_hr(request.user)
    completion_import = get_object_or_404(CompletionImport, pk=pk)
    try:
        plan = completions_commit(completion_import=completion_import, user=request.user)
    except CompletionsNotCommittable as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Recorded %(create)s completions; %(unchanged)s were already here.")
            % {"create": len(plan.to_record), "unchanged": plan.unchanged},
        )
    return redirect("outside_learning_import:detail", pk=pk)


def template(request):
    require_hr(request.user)
    response = HttpResponse(completions_template(language=get_language() or "th"), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="outside-learning-template.csv"'
    return response
