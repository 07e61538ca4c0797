"""Report pages: the capability report in the Wagtail admin (HR, and managers for their units),
"My team" for managers and "My skills" for every employee.

Every view checks who may see what itself, through ``profiles.access``; hiding a menu item
protects nothing. Figures come from ``plan_selectors``/``reports`` (cached by evidence version).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views.reports import ReportView

from skills_site.thai_calendar import format_fiscal_year

from .access import MIN_GROUP_SIZE, is_hr, is_manager, managed_unit_ids, report_scope_for, sees_small_groups
from .models import CapabilityPlan
from .plan_selectors import (
    CapabilityReport,
    capability_report,
    courses_for_competencies,
    learning_report,
    my_skills,
    report_cache_key,
    team_readiness,
)
from .report_forms import CapabilityFilterForm
from .reports import charts
from .reports.pdf import capability_pdf
from .reports.suppression import suppress_learning, suppress_report
from .selectors import employee_for_user

CHART_CACHE_SECONDS = 24 * 60 * 60


def report_scope(user) -> set[int] | None:
    """None when the user sees the whole department (HR), else the units they manage.

    Anyone else is refused: reports show other people's progress.
    """
    scope = report_scope_for(user)
    if scope == set():
        raise PermissionDenied
    return scope


def now() -> dt.datetime:
    return timezone.now()


class CapabilityReportMixin:
    """Filters, scope and the (cached) report, shared by every capability page, export, chart and PDF."""

    def dispatch(self, request, *args, **kwargs):
        self.allowed_unit_ids = report_scope(request.user)
        self.suppress_small = not sees_small_groups(request.user)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def filter_form(self) -> CapabilityFilterForm:
        data = self.request.GET.copy()
        if not data.get("plan"):
            first = (
                CapabilityPlan.objects.filter(is_active=True).order_by("-first_fiscal_year", "code").first()
            )
            if first is not None:
                data["plan"] = str(first.pk)
        if self.allowed_unit_ids is not None and not data.get("org_unit"):
            from .access import report_home_unit

            head = report_home_unit(self.request.user)
            if head is not None:
                data["org_unit"] = str(head.pk)
        return CapabilityFilterForm(data, allowed_unit_ids=self.allowed_unit_ids)

    @cached_property
    def report(self) -> CapabilityReport | None:
        form = self.filter_form
        if not form.is_valid() or form.cleaned_data.get("plan") is None:
            return None
        data = form.cleaned_data
        report = capability_report(
            data["plan"],
            now=now(),
            structure=data["structure"],
            unit_id=data["org_unit"].pk if data.get("org_unit") else None,
            group_id=data["personnel_group"].pk if data.get("personnel_group") else None,
            fiscal_year=data.get("fiscal_year"),
        )
        return suppress_report(report, MIN_GROUP_SIZE) if self.suppress_small else report

    @property
    def plan(self) -> CapabilityPlan | None:
        return self.filter_form.cleaned_data.get("plan") if self.filter_form.is_valid() else None

    def filter_summary(self) -> str:
        if not self.filter_form.is_valid():
            return ""
        data = self.filter_form.cleaned_data
        parts = [data["org_unit"].name if data.get("org_unit") else _("Whole department")]
        if data.get("personnel_group"):
            parts.append(data["personnel_group"].name)
        parts.append(
            _("counted where they were at the time")
            if data["structure"] == "at_time"
            else _("counted by today's structure")
        )
        return " · ".join(parts)

    def query_string(self, **extra) -> str:
        params = self.request.GET.copy()
        params.pop("export", None)
        for key, value in extra.items():
            params[key] = value
        return params.urlencode()


def _number(value):
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return int(value)


def _float(value):
    if value is None or pd.isna(value):
        return None
    return float(value)


class BaseCapabilityView(CapabilityReportMixin, ReportView):
    template_name = "profiles/reports/capability_report.html"
    header_icon = "table"
    paginate_by = None
    tab = ""
    frame_attribute = "table"

    def get_queryset(self):
        if self.report is None:
            return []
        frame = getattr(self.report, self.frame_attribute)
        return [self.row(record) for record in frame.to_dict("records")]

    def row(self, record: dict) -> dict:
        return record

    def get_filename(self):
        plan = self.plan.code if self.plan else "plan"
        return f"{plan}-{self.tab}-{timezone.localdate():%Y%m%d}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.filter_form.is_bound and not self.filter_form.is_valid():
            for errors in self.filter_form.errors.values():
                for error in errors:
                    messages.error(self.request, error)
        context.update(
            filter_form=self.filter_form,
            report=self.report,
            plan=self.plan,
            tab=self.tab,
            tabs=self.tabs(),
            query=self.query_string(),
            filter_summary=self.filter_summary(),
            chart_urls=self.chart_urls(),
            pdf_url=reverse("capability_report:pdf") + "?" + self.query_string(),
        )
        return context

    def tabs(self):
        query = self.query_string()
        return [
            (name, label, reverse(f"capability_report:{name}") + "?" + query)
            for name, label in (
                ("index", _("Targets by fiscal year")),
                ("by_unit", _("By org unit")),
                ("by_group", _("By personnel group")),
                ("levels", _("Level distribution")),
                ("learning", _("Courses and assessments")),
            )
        ]

    def chart_urls(self):
        return []


class CapabilityTableView(BaseCapabilityView):
    page_title = gettext_lazy("Capability report")
    results_template_name = "profiles/reports/capability_results.html"
    index_url_name = "capability_report:index"
    index_results_url_name = "capability_report:index_results"
    tab = "index"
    list_export = [
        "target", "competency", "min_level", "population", "fiscal_year", "quarter", "period", "as_of",
        "headcount", "reached", "actual_pct", "target_pct", "needed", "gap_headcount", "status_label",
    ]  # fmt: skip
    export_headings = {
        "target": gettext_lazy("Indicator"),
        "competency": gettext_lazy("Competency"),
        "min_level": gettext_lazy("Level or above"),
        "population": gettext_lazy("Population"),
        "fiscal_year": gettext_lazy("Fiscal year (B.E.)"),
        "quarter": gettext_lazy("Quarter"),
        "period": gettext_lazy("Period"),
        "as_of": gettext_lazy("As of"),
        "headcount": gettext_lazy("Staff"),
        "reached": gettext_lazy("Reached"),
        "actual_pct": gettext_lazy("Actual (%)"),
        "target_pct": gettext_lazy("Target (%)"),
        "needed": gettext_lazy("Needed"),
        "gap_headcount": gettext_lazy("Still to reach"),
        "status_label": gettext_lazy("Status"),
    }

    def row(self, record):
        period = {"baseline": _("Baseline"), "year": _("Fiscal year"), "quarter": _("Quarter")}[
            record["period"]
        ]
        return {
            **record,
            "quarter": _number(record["quarter"]),
            "period": period + (" " + _("(to date)") if record["to_date"] else ""),
            "period_key": record["period"],
            "headcount": _number(record["headcount"]),
            "reached": _number(record["reached"]),
            "needed": _number(record["needed"]),
            "gap_headcount": _number(record["gap_headcount"]),
            "actual_pct": _float(record["actual_pct"]),
            "target_pct": _float(record["target_pct"]),
            "as_of": record["as_of"] if isinstance(record["as_of"], dt.date) else None,
            "status_label": charts.status_label(record["status"]) if record["status"] else "",
        }

    def chart_urls(self):
        if self.report is None:
            return []
        query = self.query_string()
        urls = [
            (_("All targets this year"), reverse("capability_report:chart", args=["overview"]) + "?" + query)
        ]
        for spec in self.report.specs:
            urls.append(
                (spec.label, reverse("capability_report:chart", args=[f"target-{spec.id}"]) + "?" + query)
            )
        return urls


class CapabilityBreakdownView(BaseCapabilityView):
    results_template_name = "profiles/reports/breakdown_results.html"
    list_export = [
        "target", "competency", "min_level", "group", "headcount", "reached", "actual_pct", "target_pct",
        "needed", "gap_headcount",
    ]  # fmt: skip
    export_headings = {
        **CapabilityTableView.export_headings,
        "group": gettext_lazy("Breakdown"),
    }

    def row(self, record):
        return {
            **record,
            "actual_pct": _float(record["actual_pct"]),
            "target_pct": _float(record["target_pct"]),
            "needed": _number(record["needed"]),
            "gap_headcount": _number(record["gap_headcount"]),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["target_year"] = self.report.target_year if self.report else None
        return context


class CapabilityByUnitView(CapabilityBreakdownView):
    page_title = gettext_lazy("Capability by org unit")
    index_url_name = "capability_report:by_unit"
    index_results_url_name = "capability_report:by_unit_results"
    tab = "by_unit"
    frame_attribute = "by_unit"


class CapabilityByGroupView(CapabilityBreakdownView):
    page_title = gettext_lazy("Capability by personnel group")
    index_url_name = "capability_report:by_group"
    index_results_url_name = "capability_report:by_group_results"
    tab = "by_group"
    frame_attribute = "by_group"


class LevelDistributionView(BaseCapabilityView):
    page_title = gettext_lazy("Level distribution")
    results_template_name = "profiles/reports/distribution_results.html"
    index_url_name = "capability_report:levels"
    index_results_url_name = "capability_report:levels_results"
    tab = "levels"
    frame_attribute = "distribution"
    list_export = ["fiscal_year", "competency", "level", "headcount", "share_pct"]
    export_headings = {
        "fiscal_year": gettext_lazy("Fiscal year (B.E.)"),
        "competency": gettext_lazy("Competency"),
        "level": gettext_lazy("Level (0 = no confirmed level)"),
        "headcount": gettext_lazy("Staff"),
        "share_pct": gettext_lazy("Share (%)"),
    }

    def row(self, record):
        return {**record, "share_pct": _float(record["share_pct"])}

    def chart_urls(self):
        if self.report is None:
            return []
        url = reverse("capability_report:chart", args=["levels"]) + "?" + self.query_string()
        return [(_("Level distribution"), url)]


class LearningActivityView(BaseCapabilityView):
    """Course completion and assessment pass rates per fiscal year of the plan, for the same staff."""

    page_title = gettext_lazy("Course completion and assessment pass rates")
    results_template_name = "profiles/reports/learning_results.html"
    index_url_name = "capability_report:learning"
    index_results_url_name = "capability_report:learning_results"
    tab = "learning"
    list_export = [
        "fiscal_year", "enrolments", "completed_of_those", "completion_pct", "completions_in_year",
        "attempts", "passed", "pass_pct",
    ]  # fmt: skip
    export_headings = {
        "fiscal_year": gettext_lazy("Fiscal year (B.E.)"),
        "enrolments": gettext_lazy("Enrolments made"),
        "completed_of_those": gettext_lazy("Of those, completed"),
        "completion_pct": gettext_lazy("Completion rate (%)"),
        "completions_in_year": gettext_lazy("Completions in the year"),
        "attempts": gettext_lazy("Assessment attempts"),
        "passed": gettext_lazy("Passed"),
        "pass_pct": gettext_lazy("Pass rate (%)"),
    }

    def get_queryset(self):
        plan = self.plan
        if plan is None or self.report is None:
            return []
        from .selectors import subtree, unit_tree

        data = self.filter_form.cleaned_data
        unit_ids = subtree(unit_tree(), data["org_unit"].pk) if data.get("org_unit") else None
        key = report_cache_key(
            "learning", plan.pk, plan.fiscal_years, unit_ids and sorted(unit_ids),
            data["personnel_group"].pk if data.get("personnel_group") else None, timezone.localdate(),
        )  # fmt: skip
        frame = cache.get(key)
        if frame is None:
            frame = learning_report(
                years=plan.fiscal_years,
                unit_ids=unit_ids,
                group_id=data["personnel_group"].pk if data.get("personnel_group") else None,
            )
            cache.set(key, frame, timeout=CHART_CACHE_SECONDS)
        if self.suppress_small:
            frame = suppress_learning(frame, MIN_GROUP_SIZE)
        return [
            {
                **record,
                "completion_pct": _float(record["completion_pct"]),
                "pass_pct": _float(record["pass_pct"]),
            }
            for record in frame.to_dict("records")
        ]


class CapabilityChartView(CapabilityReportMixin, ReportView):
    """A chart of the report as PNG, cached with the report parameters and the evidence version."""

    def get(self, request, kind: str):
        report = self.report
        if report is None:
            raise Http404(_("Choose a plan and filters you are allowed to see."))
        language = translation.get_language()
        key = report_cache_key("chart", kind, self.query_string(), language, timezone.localdate())
        png = cache.get(key)
        if png is None:
            figure = self.figure(report, kind)
            png = charts.figure_png(figure)
            cache.set(key, png, timeout=CHART_CACHE_SECONDS)
        response = HttpResponse(png, content_type="image/png")
        response["Cache-Control"] = "private, max-age=300"
        return response

    def figure(self, report: CapabilityReport, kind: str):
        plan = self.plan
        if kind == "overview":
            return charts.plan_overview_figure(
                report.headline,
                title=_("%(plan)s · %(year)s")
                % {
                    "plan": plan.name,
                    "year": format_fiscal_year(report.target_year, translation.get_language()),
                },
            )
        if kind == "levels":
            year = report.target_year
            available = sorted(report.distribution["fiscal_year"].unique())
            if year not in available and available:
                year = available[-1]
            return charts.level_distribution_figure(report.distribution, fiscal_year=year, title=plan.name)
        if kind.startswith("target-") and kind[7:].isdigit():
            spec = report.spec(int(kind[7:]))
            if spec is not None:
                rows = report.table[report.table["target_id"] == spec.id]
                return charts.target_trend_figure(rows, title=spec.label)
        raise Http404(_("No such chart."))


class CapabilityPdfView(CapabilityReportMixin, ReportView):
    """The committee's report pack: cover, KPI table and charts."""

    def get(self, request):
        report = self.report
        if report is None:
            raise Http404(_("Choose a plan and filters you are allowed to see."))
        plan = self.plan
        language = translation.get_language()
        key = report_cache_key(
            "pdf", self.query_string(), language, self.suppress_small, timezone.localdate()
        )
        pdf = cache.get(key)
        if pdf is None:
            figures = [(_("All targets"), charts.plan_overview_figure(report.headline, title=plan.name))]
            for spec in report.specs:
                rows = report.table[report.table["target_id"] == spec.id]
                figures.append((spec.label, charts.target_trend_figure(rows, title=spec.label)))
            years = sorted(report.distribution["fiscal_year"].unique())
            if years:
                year = report.target_year if report.target_year in years else years[-1]
                figures.append(
                    (
                        _("Level distribution"),
                        charts.level_distribution_figure(
                            report.distribution, fiscal_year=year, title=plan.name
                        ),
                    )
                )
            pngs = [(caption, charts.figure_png(figure)) for caption, figure in figures]
            pdf = capability_pdf(
                title=_("Workforce digital capability report"),
                subtitle=str(plan),
                table=report.table,
                charts=pngs,
                as_of=report.as_of,
                language=language,
                filters=self.filter_summary(),
            )
            cache.set(key, pdf, timeout=CHART_CACHE_SECONDS)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="{plan.code}-report-{timezone.localdate():%Y%m%d}.pdf"'
        )
        return response


# --- Staff pages: "My skills" and "My team" -------------------------------------------------------


def _png_response(png: bytes) -> HttpResponse:
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def my_skills_page(request):
    """The signed-in employee's levels against role targets, their history and the evidence."""
    employee = employee_for_user(request.user)
    skills = my_skills(employee, now=now()) if employee else None
    return render(
        request,
        "profiles/my_skills.html",
        {
            "employee": employee,
            "skills": skills,
            "recommended": recommended_courses(employee, skills),
            "is_manager": is_manager(request.user),
        },
    )


@login_required
def my_skills_chart(request, kind: str):
    employee = employee_for_user(request.user)
    if employee is None:
        raise Http404(_("No staff profile is linked to your account."))
    key = report_cache_key("my-skills", employee.pk, kind, translation.get_language(), timezone.localdate())
    png = cache.get(key)
    if png is None:
        skills = my_skills(employee, now=now())
        if kind == "levels":
            rows = pd.DataFrame(
                [
                    {
                        "label": f"{row.competency.code} {row.competency.name}"[:48],
                        "level": row.level if row.current and not row.current.is_self_rated else None,
                        "target": row.target,
                    }
                    for row in _chart_rows(skills)
                ],
                columns=["label", "level", "target"],
            )
            figure = charts.skills_against_targets_figure(
                rows.astype({"level": "float", "target": "float"}),
                title=_("My levels against my role targets"),
            )
        elif kind == "history":
            shown = {row.competency.id for row in _chart_rows(skills)}
            history = skills.history
            if not history.empty:
                history = history[history["competency_id"].isin(shown)]
            figure = charts.level_history_figure(history, title=_("How my levels changed"))
        else:
            raise Http404(_("No such chart."))
        png = charts.figure_png(figure)
        cache.set(key, png, timeout=CHART_CACHE_SECONDS)
    return _png_response(png)


def _chart_rows(skills) -> list:
    """The competencies worth a chart: those with a role target, else those with a level."""
    rows = [row for profile in skills.frameworks for row in profile.rows]
    with_target = [row for row in rows if row.target is not None]
    return with_target or [row for row in rows if row.current is not None]


def _team_scope(request) -> tuple[list[int], int | None]:
    """The units whose staff this user may see as a team, and the one chosen (``?unit=``)."""
    from .access import headed_units
    from .selectors import subtree, unit_tree

    if is_hr(request.user):
        allowed = None
    else:
        allowed = managed_unit_ids(request.user)
        if not allowed:
            raise PermissionDenied(_("My team is for heads of units."))
    raw = request.GET.get("unit")
    if raw:
        if not raw.isdigit() or (allowed is not None and int(raw) not in allowed):
            raise PermissionDenied(_("You can only see the teams of units you manage."))
        return sorted(subtree(unit_tree(), int(raw))), int(raw)
    if allowed is None:
        head = headed_units(request.user).first()
        if head is None:
            raise Http404(_("Choose a unit."))
        return sorted(subtree(unit_tree(), head.pk)), head.pk
    return sorted(allowed), None


def _team_members(request):
    from .models import Employee

    unit_ids, chosen = _team_scope(request)
    members = Employee.objects.filter(org_unit_id__in=unit_ids).exclude(user=request.user)
    return members, chosen


@login_required
def my_team_page(request):
    """A manager's team: skills matrix coloured by gap, readiness, who needs what, courses for gaps."""
    from .access import headed_units

    members, chosen = _team_members(request)
    team = team_readiness(members, as_of=now())
    gap_courses = courses_for_gaps(team)
    for need in team.needs:
        need["courses"] = [link.course for link in gap_courses.get(need["competency"].id, [])]
    return render(
        request,
        "profiles/team/readiness.html",
        {
            "team": team,
            "units": headed_units(request.user).order_by("code"),
            "chosen_unit": chosen,
            "query": request.GET.urlencode(),
            "can_assign": can_assign_courses(request.user),
            "is_manager": True,
        },
    )


@login_required
def my_team_chart(request):
    members, chosen = _team_members(request)
    key = report_cache_key("team", request.user.pk, chosen, translation.get_language(), timezone.localdate())
    png = cache.get(key)
    if png is None:
        team = team_readiness(members, as_of=now())
        frame = pd.DataFrame(
            [
                {"label": f"{r['competency'].code} {r['competency'].name}"[:48], "ready_pct": r["ready_pct"]}
                for r in team.readiness
            ],
            columns=["label", "ready_pct"],
        )
        png = charts.figure_png(charts.readiness_figure(frame, title=_("Team readiness per competency")))
        cache.set(key, png, timeout=CHART_CACHE_SECONDS)
    return _png_response(png)


def recommended_courses(employee, skills) -> list[dict]:
    """Courses whose completion would close one of the employee's gaps, not yet completed."""
    if employee is None or skills is None:
        return []
    wanted = {
        row.competency.id: row.target
        for profile in skills.frameworks
        for row in profile.rows
        if row.target is not None
        and (row.current is None or row.current.is_self_rated or row.level < row.target)
    }
    names = {row.competency.id: row.competency for profile in skills.frameworks for row in profile.rows}
    courses = courses_for_competencies(wanted, exclude_completed_by=employee)
    result, seen = [], set()
    for competency_id, links in courses.items():
        for link in links:
            if link.course_id in seen:
                continue
            seen.add(link.course_id)
            competency = names[competency_id]
            result.append(
                {
                    "title": link.course.title,
                    "url": link.course.url,
                    "reason": _("evidences level %(level)s in %(competency)s (your target: %(target)s)")
                    % {"level": link.level, "competency": competency.code, "target": wanted[competency_id]},
                }
            )
    return result


def courses_for_gaps(team) -> dict[int, list]:
    """For each competency where someone falls short: courses reaching the highest target asked."""
    wanted: dict[int, int] = {}
    for need in team.needs:
        wanted[need["competency"].id] = max(wanted.get(need["competency"].id, 0), need["target"])
    return courses_for_competencies(wanted)


def can_assign_courses(user) -> bool:
    from courses.selectors import can_assign

    return can_assign(user)


def dashboard_headlines(limit: int = 3) -> list[dict]:
    """This year's status of every target of the active plans, for HR's dashboard."""
    result = []
    for plan in CapabilityPlan.objects.filter(is_active=True).order_by("-first_fiscal_year", "code")[:limit]:
        report = capability_report(plan, now=now())
        rows = [
            {
                "target": record["target"],
                "actual_pct": _float(record["actual_pct"]),
                "target_pct": _float(record["target_pct"]),
                "gap_headcount": _number(record["gap_headcount"]),
                "status": record["status"],
                "status_label": charts.status_label(record["status"]),
                "fiscal_year": record["fiscal_year"],
            }
            for record in report.headline.to_dict("records")
        ]
        counts = {
            status: sum(1 for row in rows if row["status"] == status) for status in charts.STATUS_COLOURS
        }
        result.append(
            {
                "plan": plan,
                "rows": rows,
                "counts": counts,
                "url": reverse("capability_report:index") + f"?plan={plan.pk}",
            }
        )
    return result
