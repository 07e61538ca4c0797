"""Wagtail admin views of the question bank: GIFT import and export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .bank import questions_export_gift, questions_import_gift
from .forms import GiftExportForm, GiftImportForm
from .gift import GiftError
from .roles import BANK_EXPORT_PERMISSION


def gift_index(request):
    """Upload a GIFT file (all questions or none are created) or download the bank as GIFT."""
    if not request.user.has_perm("assessments.add_question"):
        raise PermissionDenied
    import_form = GiftImportForm(request.POST or None, request.FILES or None)
    problems: list[tuple[int, str]] = []
    if request.method == "POST" and import_form.is_valid():
        data = import_form.cleaned_data
        try:
            created = questions_import_gift(
                data=data["file"].read(),
                default_competency=data["competency"],
                default_category=data["category"],
                default_difficulty=data["difficulty"],
            )
        except GiftError as error:
            problems = error.problems
            messages.error(
                request, _("The file was not imported; nothing was stored. Fix these lines and try again.")
            )
        else:
            messages.success(request, _("%(count)s questions imported.") % {"count": len(created)})
            return redirect("assessments_gift:index")
    return TemplateResponse(
        request,
        "assessments/admin/gift.html",
        {"import_form": import_form, "export_form": GiftExportForm(), "problems": problems},
    )


def gift_export(request):
    """The whole bank with its answer keys: for those who may change questions, not only read them."""
    if not request.user.has_perm(BANK_EXPORT_PERMISSION):
        raise PermissionDenied
    form = GiftExportForm(request.GET or None)
    category = form.cleaned_data["category"] if form.is_valid() else None
    response = HttpResponse(
        questions_export_gift(category=category), content_type="text/plain; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="question-bank-{stamp}.gift.txt"'
    return response
