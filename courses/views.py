"""Learner, manager and public views. Every view checks its own permission and scope."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from profiles.organisation.access import can_view_employee, is_hr
from profiles.organisation.selectors import department_name, employee_for_user

from .certificates import certificate_pdf
from .forms import AssignForm, VerifyForm
from .models import CourseCataloguePage, CoursePage, Enrolment
from .selectors import (
    assign_scope,
    certificate_by_code,
    my_learning,
    normalise_certificate_code,
    published_prerequisites,
)
from .services import EnrolmentRefused, course_assign, enrolment_create, lesson_complete


def _live_course(course_id: int) -> CoursePage:
    course = CoursePage.objects.live().filter(pk=course_id).first()
    if course is None:
        raise Http404(_("No such course, or it is not published."))
    return course


def _employee_or_403(request):
    employee = employee_for_user(request.user)
    if employee is None:
        raise PermissionDenied(_("Your account has no staff profile, so you cannot enrol in courses."))
    return employee


@login_required
@require_POST
def enrol(request, course_id: int):
    course = _live_course(course_id)
    employee = _employee_or_403(request)
    try:
        enrolment, created = enrolment_create(employee=employee, course=course)
    except EnrolmentRefused as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(course.url)
    if created:
        messages.success(request, _("You are enrolled. Start with the first lesson."))
    return redirect(course.url)


@login_required
@require_POST
def complete_lesson(request, course_id: int, lesson_id: str):
    course = _live_course(course_id)
    employee = _employee_or_403(request)
    enrolment = Enrolment.objects.filter(employee=employee, course=course).select_related("course").first()
    if enrolment is None:
        raise PermissionDenied(_("You are not enrolled in this course."))
    try:
        result = lesson_complete(enrolment=enrolment, lesson_id=lesson_id)
    except ValidationError:
        raise Http404(_("This lesson is not part of the course.")) from None
    next_url = (
        course.url + course.reverse_subpage("lesson", kwargs={"number": result.next_number})
        if result.next_number and not result.course_completed
        else course.url
    )
    if "application/json" in request.headers.get("Accept", ""):
        # Marked automatically when the learner reached the end of the lesson (lesson.html).
        return JsonResponse(
            {
                "progress": result.progress_percent,
                "course_completed": result.course_completed,
                "next_url": next_url,
            }
        )
    if result.course_completed:
        messages.success(request, _("Course completed. Your certificate is ready."))
    return redirect(next_url)


@login_required
def assign(request, course_id: int):
    """A manager assigns a course to people or whole units among those they head; HR to anyone,
    any unit or a personnel group."""
    course = _live_course(course_id)
    hr = is_hr(request.user)
    scope = assign_scope(request.user)
    if not hr and not scope.people:
        raise PermissionDenied(_("Only managers and HR can assign courses."))
    people = scope.people
    status = {
        e.employee_id: e.status
        for e in Enrolment.objects.filter(course=course, employee_id__in=[p.pk for p in people])
    }
    prerequisites = published_prerequisites(course)
    form_options = {"scope": scope, "hr": hr, "status": status, "has_prerequisites": bool(prerequisites)}
    if request.method == "POST":
        form = AssignForm(request.POST, **form_options)
        refusal = _outside_scope(request.POST, scope, hr=hr)
        if refusal:
            # Ids that were never offered: someone edited the page. Nothing is assigned.
            form.is_valid()
            form.add_error(None, refusal)
            context = {"course": course, "form": form, "hr": hr, "prerequisites": prerequisites}
            return render(request, "courses/assign.html", context, status=403)
        if form.is_valid():
            chosen = set(form.cleaned_data["employees"])
            targets = {e.pk: e for e in people if str(e.pk) in chosen}
            if form.cleaned_data.get("org_unit"):
                for e in scope.members_of(int(form.cleaned_data["org_unit"])):
                    targets.setdefault(e.pk, e)
            if hr and form.cleaned_data.get("personnel_group"):
                for e in form.cleaned_data["personnel_group"].employees.filter(is_active=True):
                    targets.setdefault(e.pk, e)
            result = course_assign(
                course=course,
                employees=list(targets.values()),
                assigned_by=request.user,
                due_date=form.cleaned_data["due_date"],
                mandatory=form.cleaned_data["mandatory"],
                with_prerequisites=form.cleaned_data.get("with_prerequisites", False),
            )
            parts = [
                ngettext("%(n)d newly assigned", "%(n)d newly assigned", len(result.created))
                % {"n": len(result.created)},
                ngettext("%(n)d updated", "%(n)d updated", len(result.updated)) % {"n": len(result.updated)},
                ngettext("%(n)d already assigned", "%(n)d already assigned", len(result.unchanged))
                % {"n": len(result.unchanged)},
                ngettext("%(n)d already completed", "%(n)d already completed", len(result.already_completed))
                % {"n": len(result.already_completed)},
            ]
            messages.success(request, _("Assignment saved: %(summary)s.") % {"summary": ", ".join(parts)})
            _report_prerequisites(request, result, targets)
            return redirect(course.url)
    else:
        form = AssignForm(**form_options)
    return render(
        request,
        "courses/assign.html",
        {"course": course, "form": form, "hr": hr, "prerequisites": prerequisites},
    )


def _outside_scope(data, scope, *, hr: bool) -> str:
    """Why the posted people or unit are not the assigner's to choose, or "" when they are."""
    allowed = {str(e.pk) for e in scope.people}
    if any(pk not in allowed for pk in data.getlist("employees")):
        return _("You can assign courses only to people in the units you head.")
    unit = data.get("org_unit", "")
    if unit and unit not in {str(pk) for pk in scope.subtrees}:
        return _(
            "You can assign courses only to people in the units you head: that unit is not one of them."
        )
    if not hr and data.get("personnel_group"):
        return _("Only HR can assign a course to a whole personnel group.")
    return ""


def _report_prerequisites(request, result, people: dict) -> None:
    """Tell the assigner which prerequisites were assigned too, or who still lacks them."""
    for prerequisite, assigned in _walk_prerequisites(result):
        count = len(assigned.created) + len(assigned.updated)
        if count:
            messages.info(
                request,
                ngettext(
                    "Prerequisite “%(title)s” also assigned to %(n)d person.",
                    "Prerequisite “%(title)s” also assigned to %(n)d people.",
                    count,
                )
                % {"title": prerequisite.title, "n": count},
            )
    if result.prerequisites_assigned or not result.missing_prerequisites:
        return
    names = sorted(people[pk].full_name for pk in result.missing_prerequisites if pk in people)
    shown = ", ".join(names[:10]) + (_(" and %(n)d more") % {"n": len(names) - 10} if len(names) > 10 else "")
    titles = sorted({p.title for lacking in result.missing_prerequisites.values() for p in lacking})
    messages.warning(
        request,
        ngettext(
            "%(n)d person has not completed the prerequisites (%(courses)s): %(names)s. "
            "Assign those courses as well so they can be taken in order.",
            "%(n)d people have not completed the prerequisites (%(courses)s): %(names)s. "
            "Assign those courses as well so they can be taken in order.",
            len(names),
        )
        % {"n": len(names), "courses": ", ".join(titles), "names": shown},
    )


def _walk_prerequisites(result):
    for prerequisite, assigned in result.prerequisites_assigned:
        yield prerequisite, assigned
        yield from _walk_prerequisites(assigned)


def catalogue(request):
    """A stable address for the navigation: the (first) live course catalogue page."""
    page = CourseCataloguePage.objects.live().order_by("path").first()
    if page is None:
        raise Http404(_("There is no course catalogue yet."))
    return redirect(page.get_url(request))


@login_required
def my_learning_view(request):
    employee = employee_for_user(request.user)
    learning = my_learning(employee=employee, request=request) if employee else None
    return render(request, "courses/my_learning.html", {"employee": employee, "learning": learning})


@login_required
def certificate_download(request, enrolment_id: int):
    """The learner's certificate; their manager and HR may download it too."""
    enrolment = (
        Enrolment.objects.select_related("employee", "course")
        .filter(pk=enrolment_id, completed_at__isnull=False)
        .first()
    )
    if enrolment is None or not can_view_employee(request.user, enrolment.employee):
        raise Http404(_("No such certificate."))
    verify_url = request.build_absolute_uri(
        reverse("courses:verify_code", kwargs={"code": enrolment.certificate_code})
    )
    language = translation.get_language() or "th"
    pdf = certificate_pdf(
        enrolment=enrolment, verify_url=verify_url, organisation=department_name(language), language=language
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{enrolment.certificate_code}.pdf"'
    return response


def verify(request):
    """Public: type a certificate code to check it."""
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        code = normalise_certificate_code(form.cleaned_data["code"])
        if code:
            return redirect("courses:verify_code", code=code)
        form.add_error("code", _("A certificate code has twelve letters and digits, like ABCD-EFGH-JKLM."))
    return render(request, "courses/verify.html", {"form": form})


def verify_code(request, code: str):
    """Public: whether a certificate is genuine. Shows the name, the course and the date, nothing else."""
    enrolment = certificate_by_code(code)
    status = 200 if enrolment else 404
    return render(
        request,
        "courses/verify_result.html",
        {"certificate": enrolment, "code": code, "form": VerifyForm()},
        status=status,
    )
