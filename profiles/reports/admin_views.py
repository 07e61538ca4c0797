"""The capability report in the Wagtail admin (HR, committee viewers, and managers for their units):
its tabs, exports, charts and the PDF pack.

Every view checks who may see what itself, through ``organisation.access``; hiding a menu item
protects nothing. Figures come from ``selectors`` (cached by evidence version in ``cache``).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views.reports import ReportView

from skills_site.page_cache import page_cache_allow
from skills_site.thai_calendar import format_be_date, format_be_datetime

from ..organisation.access import MIN_GROUP_SIZE, report_home_unit, report_scope_for, sees_small_groups
from ..organisation.selectors import subtree, unit_tree
from . import charts
from .cache import cached, report_cache_key
from .capability import CapabilityReport, as_float, as_int
from .figures import capability_figure, report_pack_figures
from .forms import CapabilityFilterForm
from .models import CapabilityPlan
from .pdf import capability_pdf
from .selectors import FIGURES, capability_report, figure_people, learning_report
from .suppression import suppress_learning, suppress_report


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
        self.computed_at = now()
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
            now=self.computed_at,
            structure=data["structure"],
            unit_id=data["org_unit"].pk if data.get("org_unit") else None,
            group_id=data["personnel_group"].pk if data.get("personnel_group") else None,
            fiscal_year=data.get("fiscal_year"),
            as_recorded_on=data.get("as_recorded_on"),
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
        parts.append(self.moments_summary())
        return " · ".join(parts)

    def moments_summary(self) -> str:
        """When the figures were computed, and from the log as it stood when (every page and export)."""
        day = self.filter_form.cleaned_data.get("as_recorded_on") if self.filter_form.is_valid() else None
        computed = format_be_datetime(self.computed_at, translation.get_language())
        if day is None:
            return _("computed %(moment)s from the evidence as recorded now") % {"moment": computed}
        return _("computed %(moment)s from the evidence as recorded on %(day)s") % {
            "moment": computed,
            "day": format_be_date(day, translation.get_language()),
        }

    def figure_urls(self, record, **params) -> dict:
        """The people behind a row's staff, reached and not-yet figures (none where it has no figures)."""
        if as_int(record["headcount"]) is None:
            return {}
        params = {name: value for name, value in params.items() if value is not None}
        return {
            figure: self.people_url(target=record["target_id"], figure=figure, **params) for figure in FIGURES
        }

    def people_url(self, **params) -> str | None:
        """The list of people behind a figure (not for committee viewers: they see no names)."""
        if self.suppress_small:
            return None
        return reverse("capability_report:people") + "?" + self.query_string(**params)

    def query_string(self, **extra) -> str:
        params = self.request.GET.copy()
        params.pop("export", None)
        for key, value in extra.items():
            params[key] = value
        return params.urlencode()


class BaseCapabilityView(CapabilityReportMixin, ReportView):
    """A tab of the capability report; every export row also says when it was computed and from the
    evidence log as recorded when."""

    template_name = "profiles/reports/capability_report.html"
    header_icon = "table"
    paginate_by = None
    tab = ""
    frame_attribute = "table"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.list_export = [*type(self).list_export, "computed_at", "as_recorded_on"]
        self.export_headings = {
            **type(self).export_headings,
            "computed_at": _("Computed at"),
            "as_recorded_on": _("From the evidence as recorded on"),
        }

    def to_row_dict(self, item):
        day = self.filter_form.cleaned_data.get("as_recorded_on") if self.filter_form.is_valid() else None
        return super().to_row_dict(
            {**item, "computed_at": self.computed_at, "as_recorded_on": day or _("now (everything recorded)")}
        )

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
        page_cache_allow(self.request)  # the HTML tab only: exports and charts do not come here
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
        quarter = as_int(record["quarter"])
        return {
            **record,
            "quarter": quarter,
            "period": charts.period_label(
                period=record["period"],
                fiscal_year=int(record["fiscal_year"]),
                quarter=quarter,
                to_date=bool(record["to_date"]),
                language=translation.get_language(),
            ),
            "period_key": record["period"],
            "headcount": as_int(record["headcount"]),
            "reached": as_int(record["reached"]),
            "needed": as_int(record["needed"]),
            "gap_headcount": as_int(record["gap_headcount"]),
            "actual_pct": as_float(record["actual_pct"]),
            "target_pct": as_float(record["target_pct"]),
            "as_of": record["as_of"] if isinstance(record["as_of"], dt.date) else None,
            "status_label": charts.status_label(record["status"]) if record["status"] else "",
            "people": self.figure_urls(record, year=record["fiscal_year"], quarter=as_int(record["quarter"])),
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
        by = {"by_unit": "org_unit", "by_group": "personnel_group"}[self.tab]
        year = self.report.target_year
        return {
            **record,
            "actual_pct": as_float(record["actual_pct"]),
            "target_pct": as_float(record["target_pct"]),
            "needed": as_int(record["needed"]),
            "gap_headcount": as_int(record["gap_headcount"]),
            "people": self.figure_urls(record, year=year, by=by, key=record["group_id"]),
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
        counted = as_int(record["headcount"]) is not None
        return {
            **record,
            "share_pct": as_float(record["share_pct"]),
            "people_url": self.people_url(
                competency=record["competency_id"], level=record["level"], year=record["fiscal_year"]
            )
            if counted
            else None,
        }

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
        data = self.filter_form.cleaned_data
        unit_ids = subtree(unit_tree(), data["org_unit"].pk) if data.get("org_unit") else None
        key = report_cache_key(
            "learning", plan.pk, plan.fiscal_years, unit_ids and sorted(unit_ids),
            data["personnel_group"].pk if data.get("personnel_group") else None, timezone.localdate(),
        )  # fmt: skip
        frame = cached(
            key,
            lambda: learning_report(
                years=plan.fiscal_years,
                unit_ids=unit_ids,
                group_id=data["personnel_group"].pk if data.get("personnel_group") else None,
            ),
        )
        if self.suppress_small:
            frame = suppress_learning(frame, MIN_GROUP_SIZE)
        return [
            {
                **record,
                "completion_pct": as_float(record["completion_pct"]),
                "pass_pct": as_float(record["pass_pct"]),
            }
            for record in frame.to_dict("records")
        ]


class CapabilityPeopleView(BaseCapabilityView):
    """The people behind one figure: who is counted, where, at which level, and why."""

    page_title = gettext_lazy("People behind a figure")
    results_template_name = "profiles/reports/people_results.html"
    index_url_name = "capability_report:people"
    index_results_url_name = "capability_report:people_results"
    tab = "people"
    paginate_by = 500
    list_export = [
        "employee_number", "name", "unit", "group", "placed_since", "level", "reached", "source",
        "observed_on", "reference",
    ]  # fmt: skip
    export_headings = {
        "employee_number": gettext_lazy("Employee number"),
        "name": gettext_lazy("Name"),
        "unit": gettext_lazy("Counted in org unit"),
        "group": gettext_lazy("Counted in personnel group"),
        "placed_since": gettext_lazy("Placed there by evidence of"),
        "level": gettext_lazy("Confirmed level"),
        "reached": gettext_lazy("At the target level"),
        "source": gettext_lazy("Decided by"),
        "observed_on": gettext_lazy("Observed on"),
        "reference": gettext_lazy("Reference"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not sees_small_groups(request.user):
            raise PermissionDenied(_("Committee viewers see the figures, not the names behind them."))
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def people(self):
        plan, form = self.plan, self.filter_form
        if plan is None or not form.is_valid():
            return None
        get = self.request.GET
        number = {
            name: get.get(name, "") for name in ("target", "competency", "level", "year", "quarter", "key")
        }
        if any(value and not value.isdigit() for value in number.values()) or not number["year"]:
            raise Http404(_("That figure does not exist."))
        figure = get.get("figure", "headcount")
        by = get.get("by") or None
        if figure not in FIGURES or by not in (None, "org_unit", "personnel_group"):
            raise Http404(_("That figure does not exist."))
        data = form.cleaned_data

        def as_int_or_none(name):
            return int(number[name]) if number[name] else None

        people = figure_people(
            plan,
            now=self.computed_at,
            fiscal_year=int(number["year"]),
            quarter=as_int_or_none("quarter"),
            figure=figure,
            target_id=as_int_or_none("target"),
            competency_id=as_int_or_none("competency"),
            level=as_int_or_none("level"),
            by=by,
            key=as_int_or_none("key"),
            structure=data["structure"] or "at_time",
            unit_id=data["org_unit"].pk if data.get("org_unit") else None,
            group_id=data["personnel_group"].pk if data.get("personnel_group") else None,
            as_recorded_on=data.get("as_recorded_on"),
        )
        if people is None:
            raise Http404(_("That figure does not exist."))
        return people

    def get_queryset(self):
        return self.people.rows if self.people is not None else []

    def row(self, record):
        return record

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["people"] = self.people
        return context

    def tabs(self):
        return []


class CapabilityChartView(CapabilityReportMixin, ReportView):
    """A chart of the report as PNG, cached with the report parameters and the evidence version."""

    def get(self, request, kind: str):
        page_cache_allow(request)
        report = self.report
        if report is None:
            raise Http404(_("Choose a plan and filters you are allowed to see."))
        language = translation.get_language()

        phone = charts.wants_phone_size(request)

        def build() -> bytes:
            with charts.for_phone(phone):
                figure = capability_figure(report, kind, plan_name=self.plan.name, language=language)
                if figure is None:
                    raise Http404(_("No such chart."))
                return charts.figure_png(figure)

        key = report_cache_key("chart", kind, self.query_string(), phone, language, timezone.localdate())
        return png_response(cached(key, build))


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

        def build() -> bytes:
            pngs = [
                (caption, charts.figure_png(figure))
                for caption, figure in report_pack_figures(report, plan_name=plan.name)
            ]
            return capability_pdf(
                title=_("Workforce digital capability report"),
                subtitle=str(plan),
                table=report.table,
                headline=report.headline,
                charts=pngs,
                as_of=report.as_of,
                language=language,
                filters=self.filter_summary(),
            )

        pdf = cached(key, build)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="{plan.code}-report-{timezone.localdate():%Y%m%d}.pdf"'
        )
        return response


def png_response(png: bytes) -> HttpResponse:
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response
