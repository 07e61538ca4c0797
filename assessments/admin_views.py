"""Wagtail admin views of the question bank: GIFT import (with its progress and result) and export."""

from __future__ import annotations

import re
import uuid

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from skills_site.text_files import encoding_note

from .bank import questions_export_gift, questions_import_gift
from .forms import GiftExportForm, GiftImportForm
from .gift import MAX_BYTES, GiftError
from .roles import BANK_EXPORT_PERMISSION

KEEP_SECONDS = 60 * 60
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _key(user, token: str, what: str) -> str:
    # Per person: one author cannot read another's progress or result by guessing a token.
    return f"assessments:gift-{what}:{user.pk}:{token}"


def _token(value: str | None) -> str | None:
    return value if value and _TOKEN.match(value) else None


def gift_index(request):
    """Upload a GIFT file (all its questions or none are created; descriptions and essays are left out
    and listed) or download the bank as GIFT."""
    if not request.user.has_perm("assessments.add_question"):
        raise PermissionDenied
    import_form = GiftImportForm(request.POST or None, request.FILES or None)
    problems: list[tuple[int, str]] = []
    token = _token(request.POST.get("progress_token")) if request.method == "POST" else None
    if request.method == "POST" and import_form.is_valid():
        data = import_form.cleaned_data

        def progress(done: int, total: int) -> None:
            if token:
                cache.set(_key(request.user, token, "progress"), {"done": done, "total": total}, KEEP_SECONDS)

        try:
            result = questions_import_gift(
                data=data["file"].read(),
                default_competency=data["competency"],
                default_category=data["category"],
                default_difficulty=data["difficulty"],
                progress=progress,
            )
        except GiftError as error:
            problems = error.problems
        else:
            token = token or uuid.uuid4().hex
            summary = {
                "file": data["file"].name,
                "created": len(result.created),
                "categories": sorted({q.category.name for q in result.created}),
                "skipped": [
                    {"line": item.line, "name": item.name, "kind": item.kind, "reason": item.reason}
                    for item in result.skipped
                ],
                "notes": [{"line": line, "note": note} for line, note in result.notes],
                "encoding": encoding_note(result.encoding),
            }
            cache.set(_key(request.user, token, "result"), summary, KEEP_SECONDS)
            return redirect(reverse("assessments_gift:index") + f"?result={token}")
    result_token = _token(request.GET.get("result"))
    result = cache.get(_key(request.user, result_token, "result")) if result_token else None
    return TemplateResponse(
        request,
        "assessments/admin/gift.html",
        {
            "import_form": import_form,
            "export_form": GiftExportForm(),
            "problems": problems,
            "result": result,
            "progress_token": uuid.uuid4().hex,
            "max_mb": MAX_BYTES // (1024 * 1024),
        },
    )


def gift_progress(request):
    """How far the import of ``?token=`` has got, polled by the upload form while the file is written."""
    if not request.user.has_perm("assessments.add_question"):
        raise PermissionDenied
    token = _token(request.GET.get("token"))
    if token is None:
        raise Http404
    state = cache.get(_key(request.user, token, "progress")) or {}
    done, total = state.get("done", 0), state.get("total", 0)
    return JsonResponse(
        {
            "stage": "writing" if total else "checking",
            "done": done,
            "total": total,
            "percent": min(100, done * 100 // total) if total else 0,
        }
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

