"""Training demand in the Wagtail admin (Plans & reports → Training demand): the plan, its chart, the
Excel and PDF annexes, and "Assign the plan" (a dry run first).

HR sees and assigns the whole department; a head of unit (or an HR officer limited to a subtree) with
admin access sees and assigns the share of their units. Anyone else is refused; every view checks it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from skills_site.thai_calendar import bangkok_date, format_be_date, format_fiscal_year

from ..organisation.access import is_hr, managed_unit_ids
from ..organisation.selectors import department_name, employee_for_user
from ..reports.cache import cached, report_cache_key
from ..reports.charts import figure_png
from ..reports.models import CapabilityPlan
from .charts import ceiling_curve_figure
from .exports import training_workbook
from .forms import TrainingDemandForm
from .pdf import training_pdf
from .selectors import TrainingPlan, ceiling_curve, training_plan
from .services import PlanChanged, already_assigned, assignment_preview, training_plan_assign
from .tables import plan_tables


def now() -> dt.datetime:
    return timezone.now()


def training_scope(user) -> set[int] | None:
    """None: the whole department (HR); else the units whose share the user sees and assigns."""
    if is_hr(user):
        return None
    units = managed_unit_ids(user)
    if not units:
        raise PermissionDenied
    return units


@dataclass
class Request:
    scope: set[int] | None
    form: TrainingDemandForm
    plan: CapabilityPlan | None
    training: TrainingPlan | None
    query: str


def parse(request) -> Request:
    """The user's scope, the choices from the query string and the plan they give (None: none to show)."""
    scope = training_scope(request.user)
    moment = now()
    data = request.GET.copy()
    if not data.get("plan"):
        first = CapabilityPlan.objects.filter(is_active=True).order_by("-first_fiscal_year", "code").first()
        if first is not None:
            data["plan"] = str(first.pk)
    form = TrainingDemandForm(data, now=moment)
    if form.is_valid() and not data.get("fiscal_year") and form.cleaned_data.get("fiscal_year"):
        data["fiscal_year"] = str(form.cleaned_data["fiscal_year"])  # show the year chosen by default
        form = TrainingDemandForm(data, now=moment)
    plan = training = None
    if form.is_valid() and form.cleaned_data.get("plan") is not None:
        plan = form.cleaned_data["plan"]
        ceiling = form.cleaned_data.get("ceiling")
        training = training_plan(
            plan,
            fiscal_year=form.cleaned_data["fiscal_year"],
            ceiling=float(ceiling) if ceiling is not None else None,
            now=moment,
        )
    params = request.GET.copy()
    for key in ("plan", "fiscal_year", "ceiling"):
        params.pop(key, None)
    if form.is_valid() and plan is not None:
        params["plan"] = str(plan.pk)
        params["fiscal_year"] = str(form.cleaned_data["fiscal_year"])
        if form.cleaned_data.get("ceiling") is not None:
            params["ceiling"] = str(form.cleaned_data["ceiling"])
    return Request(scope=scope, form=form, plan=plan, training=training, query=params.urlencode())


def scope_label(scope: set[int] | None, user) -> str:
    if scope is None:
        return _("Whole department")
    return _("Your units' share")


def _form_errors(request, form) -> None:
    if form.is_bound and not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)


def demand_page(request):
    parsed = parse(request)
    _form_errors(request, parsed.form)
    language = translation.get_language()
    context = {
        "form": parsed.form,
        "plan": parsed.plan,
        "query": parsed.query,
        "scope": parsed.scope,
        "scope_label": scope_label(parsed.scope, request.user),
        "training": parsed.training,
    }
    if parsed.training is not None:
        context.update(
            tables=plan_tables(parsed.training, language=language, unit_ids=parsed.scope),
            year_label=format_fiscal_year(parsed.training.fiscal_year, language),
            as_of_label=format_be_date(parsed.training.needs.as_of, language),
            assumptions=parsed.training.needs.assumptions,
            department=department_name(language),
        )
    return render(request, "profiles/training/demand.html", context)


def _require_training(parsed: Request) -> TrainingPlan:
    if parsed.training is None:
        raise Http404(_("Choose a plan and a fiscal year you are allowed to see."))
    return parsed.training


def chart(request):
    parsed = parse(request)
    training = _require_training(parsed)
    language = translation.get_language()
    ceiling = training.ceiling

    def build() -> bytes:
        curve = ceiling_curve(parsed.plan, fiscal_year=training.fiscal_year, now=now(), extra_ceiling=ceiling)
        title = _("What a budget buys · %(year)s") % {
            "year": format_fiscal_year(training.fiscal_year, language)
        }
        return figure_png(ceiling_curve_figure(curve, title=title))

    key = report_cache_key("training-chart", parsed.query, language, bangkok_date(now()))
    response = HttpResponse(cached(key, build), content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response


def _filename(training: TrainingPlan, plan: CapabilityPlan, suffix: str) -> str:
    return f"{plan.code}-training-FY{training.fiscal_year}-{timezone.localdate():%Y%m%d}.{suffix}"


def workbook(request):
    parsed = parse(request)
    training = _require_training(parsed)
    language = translation.get_language()
    tables = plan_tables(training, language=language, unit_ids=parsed.scope, all_candidates=True)
    content = training_workbook(
        training,
        tables,
        plan_name=parsed.plan.name,
        department=department_name(language),
        language=language,
        scope=scope_label(parsed.scope, request.user),
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(training, parsed.plan, "xlsx")}"'
    return response


def pdf(request):
    """The annex to a budget request, in Thai whatever the reader's language."""
    with translation.override("th"):
        return _pdf(request)


def _pdf(request):
    parsed = parse(request)
    training = _require_training(parsed)
    language = "th"
    tables = plan_tables(training, language=language, unit_ids=parsed.scope)
    curve = ceiling_curve(
        parsed.plan, fiscal_year=training.fiscal_year, now=now(), extra_ceiling=training.ceiling
    )
    title = _("What a budget buys · %(year)s") % {"year": format_fiscal_year(training.fiscal_year, language)}
    content = training_pdf(
        training,
        tables,
        plan_name=parsed.plan.name,
        department=department_name(language),
        language=language,
        scope=scope_label(parsed.scope, request.user),
        chart_png=figure_png(ceiling_curve_figure(curve, title=title)),
        prepared=now(),
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(training, parsed.plan, "pdf")}"'
    return response


def assign(request):
    """GET: the dry run (what assigning would do). POST: assign exactly that dry run."""
    parsed = parse(request)
    training = _require_training(parsed)
    me = employee_for_user(request.user)
    preview = assignment_preview(
        training,
        unit_ids=parsed.scope,
        exclude_employee_id=me.pk if (me and parsed.scope is not None) else None,
    )
    back = reverse("training_demand:index") + "?" + parsed.query
    if request.method == "POST":
        expected = request.POST.get("fingerprint", "")
        try:
            report = training_plan_assign(
                plan=parsed.plan,
                training=training,
                preview=preview,
                expected_fingerprint=expected,
                user=request.user,
                scope_label=scope_label(parsed.scope, request.user),
            )
        except PlanChanged:
            done = already_assigned(expected)
            if done is not None:
                messages.info(
                    request, assigned_message(done) + " " + _("(This dry run had already been assigned.)")
                )
                return redirect(back)
            messages.error(
                request,
                _(
                    "The plan has changed since your dry run (new evidence, courses or enrolments). "
                    "Nothing was assigned: check the new dry run below."
                ),
            )
            return redirect(reverse("training_demand:assign") + "?" + parsed.query)
        messages.success(request, assigned_message(report.as_dict()))
        return redirect(back)
    return render(
        request,
        "profiles/training/assign.html",
        {
            "training": training,
            "plan": parsed.plan,
            "preview": preview,
            "query": parsed.query,
            "back": back,
            "scope": parsed.scope,
            "scope_label": scope_label(parsed.scope, request.user),
            "year_label": format_fiscal_year(training.fiscal_year, translation.get_language()),
            "post_url": reverse("training_demand:assign") + "?" + parsed.query,
        },
    )


def assigned_message(outcome: dict) -> str:
    parts = [
        ngettext("%(count)s new assignment", "%(count)s new assignments", outcome["created"])
        % {"count": outcome["created"]},
        ngettext("%(count)s due date updated", "%(count)s due dates updated", outcome["updated"])
        % {"count": outcome["updated"]},
        ngettext("%(count)s already assigned", "%(count)s already assigned", outcome["unchanged"])
        % {"count": outcome["unchanged"]},
    ]
    if outcome.get("already_completed"):
        parts.append(
            ngettext(
                "%(count)s already completed", "%(count)s already completed", outcome["already_completed"]
            )
            % {"count": outcome["already_completed"]}
        )
    return _("Training plan assigned: %(parts)s.") % {"parts": ", ".join(parts)}
