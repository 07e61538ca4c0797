"""Which chart each report page shows, built from what the selectors return (pure: no request).

The views cache the PNGs of these figures through ``cache.cached``; nothing here reads a request.
"""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from skills_site.thai_calendar import format_fiscal_year

from . import charts
from .capability import CapabilityReport


def capability_figure(report: CapabilityReport, kind: str, *, plan_name: str, language: str) -> Figure | None:
    """A chart of the report: ``overview``, ``levels`` or ``target-<id>``; None if no such chart."""
    if kind == "overview":
        return charts.plan_overview_figure(
            report.headline,
            title=_("%(plan)s · %(year)s")
            % {"plan": plan_name, "year": format_fiscal_year(report.target_year, language)},
        )
    if kind == "levels":
        year = report.target_year
        available = sorted(report.distribution["fiscal_year"].unique())
        if year not in available and available:
            year = available[-1]
        return charts.level_distribution_figure(report.distribution, fiscal_year=year, title=plan_name)
    if kind.startswith("target-") and kind[7:].isdigit():
        spec = report.spec(int(kind[7:]))
        if spec is not None:
            rows = report.table[report.table["target_id"] == spec.id]
            return charts.target_trend_figure(rows, title=spec.label)
    return None


def report_pack_figures(report: CapabilityReport, *, plan_name: str) -> list[tuple[str, Figure]]:
    """The PDF pack's charts with their captions: all targets, each target, the level distribution."""
    figures = [(_("All targets"), charts.plan_overview_figure(report.headline, title=plan_name))]
    for spec in report.specs:
        rows = report.table[report.table["target_id"] == spec.id]
        figures.append((spec.label, charts.target_trend_figure(rows, title=spec.label)))
    years = sorted(report.distribution["fiscal_year"].unique())
    if years:
        year = report.target_year if report.target_year in years else years[-1]
        figures.append(
            (
                _("Level distribution"),
                charts.level_distribution_figure(report.distribution, fiscal_year=year, title=plan_name),
            )
        )
    return figures


def chart_rows(skills) -> list:
    """The competencies worth a chart: those with a role target, else those with a level."""
    rows = [row for profile in skills.frameworks for row in profile.rows]
    with_target = [row for row in rows if row.target is not None]
    return with_target or [row for row in rows if row.current is not None]


def my_skills_figure(skills, kind: str) -> Figure | None:
    """My skills: ``levels`` against role targets, or the ``history`` of each level; None if no such chart."""
    if kind == "levels":
        rows = pd.DataFrame(
            [
                {
                    "label": f"{row.competency.code} {row.competency.name}"[:48],
                    "level": row.level if row.current and not row.current.is_self_rated else None,
                    "target": row.target,
                }
                for row in chart_rows(skills)
            ],
            columns=["label", "level", "target"],
        )
        return charts.skills_against_targets_figure(
            rows.astype({"level": "float", "target": "float"}),
            title=_("My levels against my role targets"),
        )
    if kind == "history":
        shown = {row.competency.id for row in chart_rows(skills)}
        history = skills.history
        if not history.empty:
            history = history[history["competency_id"].isin(shown)]
        return charts.level_history_figure(history, title=_("How my levels changed"))
    return None


def team_readiness_figure(team) -> Figure:
    """My team: the share at or above its role target, per competency."""
    frame = pd.DataFrame(
        [
            {"label": f"{r['competency'].code} {r['competency'].name}"[:48], "ready_pct": r["ready_pct"]}
            for r in team.readiness
        ],
        columns=["label", "ready_pct"],
    )
    return charts.readiness_figure(frame, title=_("Team readiness per competency"))
