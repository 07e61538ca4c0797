"""Outside learning pages: an employee's claims and imported completions, a new claim, one claim (with
its review for the reviewer), its proof, and the claims a manager or HR may review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..competencies.models import ProficiencyLevel
from ..organisation.access import is_hr, is_manager
from ..organisation.selectors import employee_for_user
from .files import CONTENT_TYPES
from .forms import ClaimForm, ReviewForm
from .models import PriorLearningClaim
from .selectors import (
    claim_choices,
    claims_of,
    claims_to_review,
    completions_of,
    may_review,
    may_see,
    pending_count,
)
from .services import ClaimRefused, claim_review, claim_submit

PER_PAGE = 50


def _reviewer(user) -> bool:
    return is_hr(user) or is_manager(user)


@login_required
def my_claims(request):
    employee = employee_for_user(request.user)
    context = {
        "employee": employee,
        "claims": list(claims_of(employee)) if employee else [],
        "completions": list(completions_of(employee)) if employee else [],
        "to_review": pending_count(request.user) if _reviewer(request.user) else None,
    }
    return render(request, "profiles/prior_learning/my_claims.html", context)


@login_required
def claim_new(request):
    employee = employee_for_user(request.user)
    if employee is None:
        raise PermissionDenied(_("Only staff with a profile can claim outside learning."))
    competencies, scales = claim_choices(employee)
    form = ClaimForm(request.POST or None, request.FILES or None, competencies=competencies, scales=scales)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim = claim_submit(
                employee=employee,
                title=data["title"],
                provider=data["provider"],
                completed_on=data["completed_on"],
                hours=data["hours"],
                competency=data["competency"],
                level=data["level"],
                file_name=data["file"].name,
                content=data["file"].read(),
                now=timezone.now(),
            )
        except ClaimRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Your claim was sent to your manager for review."))
            return redirect("profiles:prior_learning_detail", pk=claim.pk)
    return render(
        request,
        "profiles/prior_learning/claim_form.html",
        {"form": form, "employee": employee, "has_choices": bool(competencies)},
    )


def _claim_or_404(request, pk: int) -> PriorLearningClaim:
    claim = get_object_or_404(
        PriorLearningClaim.objects.select_related(
            "employee", "employee__org_unit", "competency", "competency__framework", "reviewer"
        ),
        pk=pk,
    )
    if not may_see(request.user, claim):
        raise Http404  # another person's claim: as if it did not exist
    return claim


def _review_form(claim: PriorLearningClaim, data=None) -> ReviewForm:
    levels = list(
        ProficiencyLevel.objects.filter(framework_id=claim.competency.framework_id).order_by("level")
    )
    return ReviewForm(data, levels=levels, initial_level=claim.level_claimed)


@login_required
def claim_detail(request, pk: int):
    claim = _claim_or_404(request, pk)
    reviewing = claim.state == PriorLearningClaim.State.SUBMITTED and may_review(request.user, claim)
    return render(
        request,
        "profiles/prior_learning/claim_detail.html",
        {
            "claim": claim,
            "review_form": _review_form(claim) if reviewing else None,
            "own": claim.employee.user_id == request.user.id,
        },
    )


@login_required
@require_POST
def claim_review_view(request, pk: int):
    claim = _claim_or_404(request, pk)
    if not may_review(request.user, claim):
        raise PermissionDenied(_("Only the employee's manager or HR reviews this claim."))
    form = _review_form(claim, request.POST)
    if not form.is_valid():
        return render(
            request,
            "profiles/prior_learning/claim_detail.html",
            {"claim": claim, "review_form": form, "own": False},
            status=400,
        )
    accept = form.cleaned_data["decision"] == "accept"
    try:
        claim_review(
            claim=claim,
            reviewer=request.user,
            accept=accept,
            level=form.cleaned_data.get("level"),
            reason=form.cleaned_data["reason"],
            now=timezone.now(),
        )
    except ClaimRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("Accepted: the evidence is recorded.")
            if accept
            else _("Rejected: the employee has been told why."),
        )
    return redirect("profiles:prior_learning_detail", pk=pk)


@login_required
def claim_file(request, pk: int):
    """The proof, to the employee and the people who may see the claim; never through a public URL."""
    claim = _claim_or_404(request, pk)
    try:
        handle = claim.file.open("rb")
    except (FileNotFoundError, OSError, ValueError):  # ValueError: no file (removed at anonymisation)
        raise Http404(_("The file is missing.")) from None
    inline = claim.file_type != PriorLearningClaim.FileType.PDF
    response = FileResponse(
        handle,
        content_type=CONTENT_TYPES[claim.file_type],
        as_attachment=not inline,
        filename=f"claim-{claim.pk}.{claim.file_type}",
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


@login_required
def reviews(request):
    """Claims waiting for this manager's (or HR's) review, then the ones reviewed lately."""
    if not _reviewer(request.user):
        raise PermissionDenied(_("Only managers and HR review outside learning."))
    claims = claims_to_review(request.user)
    waiting = claims.filter(state=PriorLearningClaim.State.SUBMITTED).order_by("submitted_at", "id")
    page = Paginator(waiting, PER_PAGE).get_page(request.GET.get("page"))
    recent = list(
        claims.exclude(state=PriorLearningClaim.State.SUBMITTED).order_by("-reviewed_at", "-id")[:20]
    )
    return render(request, "profiles/prior_learning/reviews.html", {"page": page, "recent": recent})
