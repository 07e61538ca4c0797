"""The training demand chart: what a few budget ceilings buy (a matplotlib Figure, no pyplot)."""

from __future__ import annotations

import matplotlib
import pandas as pd
from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from skills_site.fonts import matplotlib_thai_font
from skills_site.numbers import baht

BAR_COLOUR = "#1f4e79"
FULL_COLOUR = "#1e7b3c"
LINE_COLOUR = "#d18b00"


def ceiling_curve_figure(curve: pd.DataFrame, *, title: str) -> Figure:
    """For each ceiling, and for the cheapest plan that meets every target it can: the targets met
    (bars, left axis) and the share of the shortfall closed (line, right axis); under each bar the
    ceiling and what the plan costs. ``curve`` from ``selectors.ceiling_curve``."""
    matplotlib.rcParams["font.family"] = matplotlib_thai_font()
    figure = Figure(figsize=(7.4, 3.9), dpi=110, layout="constrained")
    axes = figure.add_subplot()
    labels = []
    for row in curve.itertuples():
        head = (
            _("Ceiling %(amount)s") % {"amount": baht(row.ceiling)}
            if pd.notna(row.ceiling)
            else _("No ceiling")
        )
        labels.append(f"{head}\n" + _("costs %(amount)s") % {"amount": baht(row.cost)})
    positions = list(range(len(curve)))
    met = curve["targets_met"].astype(int).tolist()
    colours = [FULL_COLOUR if pd.isna(c) else BAR_COLOUR for c in curve["ceiling"]]
    bars = axes.bar(positions, met, color=colours, width=0.5, label=_("Targets met (expected)"))
    total = int(curve["targets"].max()) if len(curve) else 0
    for bar, value in zip(bars, met, strict=True):
        axes.text(
            bar.get_x() + bar.get_width() / 2,
            value + 0.08,
            f"{value} / {total}",
            ha="center",
            va="bottom",
            fontsize=9,
            color="#1d2733",
        )
    axes.set_ylim(0, max(total, 1) + 0.8)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel(_("Targets met"))
    axes.set_xticks(positions, labels, fontsize=8)
    share = axes.twinx()
    (line,) = share.plot(
        positions,
        curve["closed_pct"],
        color=LINE_COLOUR,
        marker="o",
        linewidth=2,
        label=_("Shortfall closed (%)"),
    )
    for x, value in zip(positions, curve["closed_pct"], strict=True):
        share.annotate(
            f"{value:.0f}%",
            (x, value),
            textcoords="offset points",
            xytext=(14, -4),
            fontsize=8,
            color=LINE_COLOUR,
        )
    share.set_ylim(0, 125)
    share.set_yticks([0, 25, 50, 75, 100])
    share.set_ylabel(_("Shortfall closed (%)"))
    share.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:.0f}%"))
    for side in ("top",):
        axes.spines[side].set_visible(False)
        share.spines[side].set_visible(False)
    axes.grid(axis="y", color="#d8dee6", linewidth=0.8)
    axes.set_axisbelow(True)
    axes.set_title(title, fontsize=11)
    axes.legend(
        [bars, line],
        [bars.get_label(), line.get_label()],
        loc="upper left",
        frameon=False,
        fontsize=8,
        ncol=2,
    )
    return figure
