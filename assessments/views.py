"""Taking attempts, self-assessments, manager reviews and item statistics."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from profiles.models import ProficiencyLevel
from profiles.organisation.access import is_manager
from profiles.organisation.selectors import employee_for_user
from skills_site.fonts import matplotlib_thai_font

from . import reports
from .forms import ReviewForm, ratings_from_post, responses_from_post
from .models import AssessmentPage, Attempt, AttemptQuestion, Question, SelfAssessment, SelfAssessmentPage
from .selectors import (
    attempt_questions,
    attempt_review,
    attempts_of,
    can_view_statistics,
    live_assessments,
    may_review,
    page_item_statistics,
    pending_reviews_for,
    self_assessment_review_items,
    submitted_attempts_version,
)
from .services import (
    AlreadySubmitted,
    AssessmentRefused,
    TimeIsUp,
    attempt_save,
    attempt_start,
    attempt_submit,
    self_assessment_review,
    self_assessment_submit,
)

REVIEWS_PER_PAGE = 50


def _employee_or_403(request):
    employee = employee_for_user(request.user)
    if employee is None:
        raise PermissionDenied(_("Only staff with a profile can take assessments."))
    return employee


def _own_attempt(request, attempt_id: int, *, with_page: bool = True) -> Attempt:
    related = ("page", "employee") if with_page else ("employee",)
    attempt = get_object_or_404(Attempt.objects.select_related(*related), pk=attempt_id)
    if attempt.employee.user_id != request.user.id:
        raise PermissionDenied(_("This attempt belongs to someone else."))
    return attempt


@login_required
def home(request):
    """Where staff find assessments and self-assessments; managers find their team's reviews."""
    employee = employee_for_user(request.user)
    context = live_assessments(
        assessments=AssessmentPage.objects.all(), self_assessments=SelfAssessmentPage.objects.all()
    )
    context["employee"] = employee
    context["attempts"] = list(attempts_of(employee)[:20]) if employee else []
    context["is_reviewer"] = is_manager(request.user) or pending_reviews_for(request.user).exists()
    context["pending_count"] = pending_reviews_for(request.user).count() if context["is_reviewer"] else 0
    return render(request, "assessments/home.html", context)


@login_required
@require_POST
def start(request, page_id: int):
    page = get_object_or_404(AssessmentPage.objects.live(), pk=page_id)
    employee = _employee_or_403(request)
    try:
        attempt = attempt_start(page=page, employee=employee, now=timezone.now())
    except AssessmentRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(page.url)
    return redirect("assessments:attempt", attempt_id=attempt.pk)


@login_required
@require_GET
def attempt_take(request, attempt_id: int):
    """The attempt as drawn, with the responses saved so far: no weights, answers or feedback."""
    attempt = _own_attempt(request, attempt_id)
    now = timezone.now()
    if attempt.status == Attempt.Status.IN_PROGRESS and attempt.is_expired(now):
        try:
            attempt_submit(attempt=attempt, employee=attempt.employee, now=now, timed_out=True)
            messages.warning(
                request, _("Time ran out: the answers saved before the deadline were submitted.")
            )
        except AlreadySubmitted:
            pass
        return redirect("assessments:result", attempt_id=attempt.pk)
    if attempt.status != Attempt.Status.IN_PROGRESS:
        return redirect("assessments:result", attempt_id=attempt.pk)
    rows = [_form_row(row) for row in attempt_questions(attempt)]
    remaining = attempt.remaining_seconds(now)
    return render(
        request,
        "assessments/attempt.html",
        {
            "attempt": attempt,
            "page": attempt.page,
            "rows": rows,
            "sections": attempt_sections(rows, SECTION_SIZE),
            "answered_count": str(sum(row["answered"] for row in rows)),
            "question_count": str(len(rows)),
            "remaining": remaining,
            # as the page's clock shows it, minutes:seconds, before its script starts counting down
            "remaining_text": None if remaining is None else f"{remaining // 60}:{remaining % 60:02d}",
        },
    )


SECTION_SIZE = 10


def attempt_sections(rows: list[dict], size: int = SECTION_SIZE) -> list[dict]:
    """A long test in parts of ``size`` questions (one part when it is no longer than that); the page
    shows one part at a time, every question stays in the one form."""
    sections = []
    for index in range(0, len(rows), size):
        part, number = rows[index : index + size], index // size + 1
        for row in part:
            row["section"] = number  # the navigator's link opens the question's part
        first, last = part[0]["position"], part[-1]["position"]
        sections.append({"number": number, "first": first, "last": last, "rows": part})
    return sections


_INPUTS = {
    Question.Kind.SINGLE: "radio",
    Question.Kind.TRUE_FALSE: "radio",
    Question.Kind.MULTIPLE: "checkbox",
    Question.Kind.NUMERIC: "number",
    Question.Kind.SHORT_TEXT: "text",
    Question.Kind.MATCHING: "matching",
}


def _form_row(row: AttemptQuestion) -> dict:
    """One question of the form with the answer saved so far, as plain values for the template.

    Positions index the order stored at the start, so an option removed since keeps the others'
    places. Dicts, because the template engine reads a key several times faster than it follows
    attributes and properties, and the form lists every option of every question; numbers as
    text, because the engine puts every number it prints through the locale's number format.
    """
    response = row.response or {}
    chosen = {response["choice"]} if "choice" in response else set(response.get("choices", []))
    choices = row.choices_by_id
    pairs = response.get("pairs", {})
    lefts = [
        {
            "field": f"answer-{row.question_id}-{index}",
            "text": choices[pk].text_html,
            "selected": (
                str(row.match_order.index(pairs[str(pk)]))
                if pairs.get(str(pk)) in row.match_order
                else None
            ),
        }
        for index, pk in enumerate(row.choice_order)
        if pk in choices and row.question.kind == Question.Kind.MATCHING
    ]
    return {
        "position": str(row.position),
        "text": row.question.text_html,
        "field": f"answer-{row.question_id}",
        "input": _INPUTS[row.question.kind],
        "options": [
            {"index": str(index), "text": choices[pk].text_html, "chosen": pk in chosen}
            for index, pk in enumerate(row.choice_order)
            if pk in choices
        ],
        "lefts": lefts,
        "rights": [
            {"index": str(index), "text": choices[pk].match}
            for index, pk in enumerate(row.match_order)
            if pk in choices
        ],
        "text_value": response.get("text", ""),
        # as the navigator shows it before the script runs: a matching question once every pair is set
        "answered": all(left["selected"] is not None for left in lefts) if lefts else bool(response),
    }


def _rows_for_post(attempt: Attempt) -> list[AttemptQuestion]:
    """What reading the posted form needs: the option orders and each question's kind, no texts."""
    return list(
        AttemptQuestion.objects.filter(attempt=attempt)
        .select_related("question")
        .only("id", "attempt_id", "question_id", "choice_order", "match_order", "question__kind")
    )


@login_required
@require_POST
def attempt_autosave(request, attempt_id: int):
    """Save the whole form; answers JSON with the time left, never anything about correctness.

    The most frequent request on exam day (three or more per sitting), so it reads no page and no
    question texts.
    """
    attempt = _own_attempt(request, attempt_id, with_page=False)
    now = timezone.now()
    if request.headers.get("X-Requested-With") != "fetch":
        return _save_without_script(request, attempt, now)
    try:
        responses = responses_from_post(_rows_for_post(attempt), request.POST)
        saved = attempt_save(attempt=attempt, employee=attempt.employee, responses=responses, now=now)
    except TimeIsUp as refusal:
        return JsonResponse({"error": refusal.message, "expired": True}, status=409)
    except AlreadySubmitted as refusal:
        return JsonResponse({"error": refusal.message, "submitted": True}, status=409)
    except AssessmentRefused as refusal:
        return JsonResponse({"error": refusal.message}, status=400)
    return JsonResponse({"saved": saved, "remaining_seconds": attempt.remaining_seconds(now)})


def _save_without_script(request, attempt: Attempt, now):
    """The "Save answers" button when the page's script is not running: save, then show the page."""
    try:
        responses = responses_from_post(_rows_for_post(attempt), request.POST)
        attempt_save(attempt=attempt, employee=attempt.employee, responses=responses, now=now)
    except AssessmentRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Your answers were saved."))
    return redirect("assessments:attempt", attempt_id=attempt.pk)


@login_required
@require_POST
def attempt_finish(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    now = timezone.now()
    try:
        responses = responses_from_post(_rows_for_post(attempt), request.POST)
        attempt = attempt_submit(attempt=attempt, employee=attempt.employee, now=now, responses=responses)
    except AlreadySubmitted:
        messages.info(request, _("This attempt was already submitted; it was recorded once."))
        return redirect("assessments:result", attempt_id=attempt.pk)
    except AssessmentRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("assessments:attempt", attempt_id=attempt.pk)
    if attempt.timed_out:
        messages.warning(
            request,
            _("Time was up: the answers saved before the deadline were submitted; later changes were not."),
        )
    else:
        messages.success(request, _("Your answers were submitted."))
    return redirect("assessments:result", attempt_id=attempt.pk)


@login_required
@require_GET
def attempt_result(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    if attempt.status != Attempt.Status.SUBMITTED:
        return redirect("assessments:attempt", attempt_id=attempt.pk)
    now = timezone.now()
    results = list(attempt.results.select_related("competency"))
    level_names = {
        (lv.framework_id, lv.level): lv
        for lv in ProficiencyLevel.objects.filter(
            framework_id__in={r.competency.framework_id for r in results}
        )
    }
    for result in results:
        result.level_name = level_names.get((result.competency.framework_id, result.level))
    return render(
        request,
        "assessments/result.html",
        {
            "attempt": attempt,
            "page": attempt.page,
            "results": results,
            "review": attempt_review(attempt, now=now),
        },
    )


# --- Self-assessment ------------------------------------------------------------------------


@login_required
@require_POST
def self_assessment_send(request, page_id: int):
    page = get_object_or_404(SelfAssessmentPage.objects.live(), pk=page_id)
    employee = _employee_or_403(request)
    statement_ids = list(page.statements.values_list("id", flat=True))
    try:
        ratings = ratings_from_post(statement_ids, request.POST)
        self_assessment_submit(page=page, employee=employee, ratings=ratings, now=timezone.now())
    except AssessmentRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(page.url)
    messages.success(request, _("Thank you. Your self-rated levels were recorded and sent to your manager."))
    return redirect(page.url)


@login_required
def team_reviews(request):
    """Self-assessments of the manager's team waiting for review."""
    if not (is_manager(request.user) or pending_reviews_for(request.user).exists()):
        raise PermissionDenied(_("Only managers and HR review self-assessments."))
    paginator = Paginator(pending_reviews_for(request.user).order_by("submitted_at", "id"), REVIEWS_PER_PAGE)
    pending = paginator.get_page(request.GET.get("page"))
    return render(request, "assessments/team_reviews.html", {"pending": pending, "paginator": paginator})


@login_required
def review(request, submission_id: int):
    submission = get_object_or_404(
        SelfAssessment.objects.select_related("employee", "page", "employee__org_unit"), pk=submission_id
    )
    if not may_review(request.user, submission):
        raise PermissionDenied(_("Only the employee's manager or HR may review this self-assessment."))
    form = ReviewForm(request.POST or None, items=self_assessment_review_items(submission))
    if request.method == "POST" and submission.status == SelfAssessment.Status.PENDING and form.is_valid():
        try:
            self_assessment_review(
                self_assessment=submission,
                reviewer=request.user,
                levels=form.levels(),
                note=form.cleaned_data["note"],
                now=timezone.now(),
            )
        except AssessmentRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("The review was recorded."))
        return redirect("assessments:team_reviews")
    return render(request, "assessments/review.html", {"submission": submission, "form": form})


# --- Item statistics ------------------------------------------------------------------------


def _statistics_page(request, page_id: int) -> AssessmentPage:
    page = get_object_or_404(AssessmentPage, pk=page_id)
    if not can_view_statistics(request.user, page):
        raise PermissionDenied(_("Only the assessment's authors and HR see its statistics."))
    return page


@login_required
def statistics(request, page_id: int):
    page = _statistics_page(request, page_id)
    data = page_item_statistics(page)
    return render(request, "assessments/statistics.html", {"page": page, **data})


@login_required
def statistics_chart(request, page_id: int):
    """The score distribution as PNG, cached until another attempt is submitted."""
    page = _statistics_page(request, page_id)
    key = f"assessments:scores-png:{page.pk}:{submitted_attempts_version(page)}:{get_language()}"
    png = cache.get(key)
    if png is None:
        scores = [
            float(s)
            for s in Attempt.objects.filter(page=page, status=Attempt.Status.SUBMITTED).values_list(
                "score_percent", flat=True
            )
        ]
        figure = reports.score_distribution_figure(
            scores,
            title=_("Score distribution: %(title)s") % {"title": page.title},
            xlabel=_("Score (%)"),
            ylabel=_("Attempts"),
            font=matplotlib_thai_font(),
        )
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        png = buffer.getvalue()
        cache.set(key, png, timeout=60 * 60)
    return HttpResponse(png, content_type="image/png")
