"""Charts as matplotlib Figures (object API only: no pyplot, safe in a request), labelled in Thai
or English with the font shipped in ``static/fonts`` so they render the same on any machine."""

from __future__ import annotations

import io
import textwrap
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from matplotlib.dates import AutoDateLocator, num2date  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator, PercentFormatter  # noqa: E402

from skills_site.fonts import matplotlib_thai_font  # noqa: E402
from skills_site.thai_calendar import (  # noqa: E402
    fiscal_quarter_period,
    fiscal_year_period,
    format_be_date,
    format_fiscal_year,
)

from .capability import AT_RISK, MET, OFF_TRACK, ON_TRACK  # noqa: E402

STATUS_COLOURS = {
    MET: "#1e7b3c",
    ON_TRACK: "#4f8fca",
    AT_RISK: "#d18b00",
    OFF_TRACK: "#b3261e",
    None: "#9aa5b1",
}
TARGET_COLOUR = "#5b6775"
# Text sizes in points: the PNGs are drawn at about 7 inches wide and shown scaled down to a phone's
# 390 px, so nothing smaller than LABEL_SIZE is used.
TITLE_SIZE = 14
LABEL_SIZE = 12
ACTUAL_COLOUR = "#1f4e79"
# A phone's chart is drawn narrow (about 440 px) with the same point sizes, so a 390 px screen shows its
# text at about 0.8 of its size instead of 0.4; long labels are wrapped shorter and cut after 3 lines.
PHONE_WIDTH = 4.0
_for_phone: ContextVar[bool] = ContextVar("charts_for_phone", default=False)


@contextmanager
def for_phone(enabled: bool = True) -> Iterator[None]:
    """Draw the charts made inside this block for a phone's width."""
    token = _for_phone.set(enabled)
    try:
        yield
    finally:
        _for_phone.reset(token)


def wants_phone_size(request) -> bool:
    """A chart URL asks for the phone's drawing with ``?size=phone`` (the pages' <picture> does)."""
    return request.GET.get("size") == "phone"


def status_label(status: str | None) -> str:
    return {
        MET: _("Met"),
        ON_TRACK: _("On track"),
        AT_RISK: _("At risk"),
        OFF_TRACK: _("Off track"),
    }.get(status, "—")


def period_label(*, period: str, fiscal_year: int, quarter: int | None, to_date: bool, language: str) -> str:
    """A row's period as people read it; a period still running says when its status is judged.

    A quarter and its year can show the same figures to date with different statuses: the quarter's
    trend is projected to the quarter's last day and compared with the quarter's target (the year's
    where it has none), the year's to 30 September. The label names that day so the difference is plain.
    """
    year = format_fiscal_year(fiscal_year, language)
    if period == "baseline":
        return _("Baseline %(year)s") % {"year": year}
    span = fiscal_quarter_period(fiscal_year, quarter) if quarter else fiscal_year_period(fiscal_year)
    label = _("%(year)s Q%(quarter)s") % {"year": year, "quarter": quarter} if quarter else year
    if not to_date:
        return label
    return _("%(period)s, to date: status projected to %(day)s") % {
        "period": label,
        "day": format_be_date(span.end, language),
    }


def fiscal_year_tick(year: int) -> str:
    return _("FY %(year)s") % {"year": year}


def _figure(width: float, height: float) -> Figure:
    if _for_phone.get():
        width = PHONE_WIDTH
    family = matplotlib_thai_font()
    figure = Figure(figsize=(width, height), dpi=110, layout="constrained")
    figure.set_layout_engine("constrained")
    matplotlib.rcParams["font.family"] = family
    return figure


def _percent_axis(axes, which: str) -> None:
    """A share axis ("x" or "y"): 0 to 100 %, never beyond."""
    (axes.set_xlim if which == "x" else axes.set_ylim)(0, 100)
    (axes.xaxis if which == "x" else axes.yaxis).set_major_formatter(PercentFormatter(decimals=0))


def _title(figure: Figure, text: str) -> None:
    """The chart's title across the whole figure (an axes' title is clipped where its labels are long)."""
    figure.suptitle("\n".join(textwrap.wrap(text, 30 if _for_phone.get() else 60)), fontsize=TITLE_SIZE)


def _legend_below(figure: Figure, axes, *, ncol: int, fontsize: int = LABEL_SIZE) -> None:
    """The legend under the plot, inside the figure: the layout engine makes room for it."""
    ncol = min(ncol, 2) if _for_phone.get() else ncol
    figure.legend(*axes.get_legend_handles_labels(), loc="outside lower center", ncol=ncol, frameon=False,
                  fontsize=fontsize)  # fmt: skip


def _wrapped(labels: list[str], width: int = 30) -> list[str]:
    """Long category labels on two or more lines, broken at spaces only (Thai words are not split).

    For a phone the lines are shorter, a run longer than a line (Thai has no spaces between words)
    is cut with an ellipsis, and a label keeps three lines at most.
    """
    phone = _for_phone.get()
    width = 16 if phone else width
    wrapped = []
    for label in labels:
        lines = textwrap.wrap(str(label), width, break_long_words=False) or [str(label)]
        if phone:
            kept = [_cut(line, width + 4) for line in lines[:3]]
            if len(lines) > 3 and not kept[-1].endswith("…"):
                kept[-1] += "…"
            lines = kept
        wrapped.append("\n".join(lines))
    return wrapped


def _cut(line: str, limit: int) -> str:
    """``line`` cut to about ``limit`` characters with an ellipsis, never between a letter and its marks."""
    if len(line) <= limit:
        return line
    end = limit - 1
    while end < len(line) and unicodedata.category(line[end]) == "Mn":
        end += 1
    return line[:end] + "…"


def _row_height(labels: list[str]) -> float:
    """Inches per bar of a horizontal bar chart, enough for its longest wrapped label."""
    lines = max((label.count("\n") + 1 for label in _wrapped(labels)), default=1)
    return 0.3 + 0.25 * lines


def _whole_levels(axis) -> None:
    """A level axis: ticks on whole levels only."""
    axis.set_major_locator(MaxNLocator(integer=True))


def _style(axes) -> None:
    axes.tick_params(labelsize=LABEL_SIZE)
    axes.xaxis.label.set_size(LABEL_SIZE)
    axes.yaxis.label.set_size(LABEL_SIZE)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.grid(axis="y", color="#d8dee6", linewidth=0.8)
    axes.set_axisbelow(True)


def target_trend_figure(rows: pd.DataFrame, *, title: str) -> Figure:
    """One target: the share asked for and the share reached, per fiscal year (B.E. labels)."""
    figure = _figure(7.2, 4.2)
    axes = figure.add_subplot()
    years = rows[rows["period"].isin(["baseline", "year"])].sort_values("fiscal_year")
    x = years["fiscal_year"].astype(int).tolist()
    targets = years.dropna(subset=["target_pct"])
    actuals = years.dropna(subset=["actual_pct"])
    axes.plot(
        targets["fiscal_year"], targets["target_pct"], linestyle="--", marker="o", color=TARGET_COLOUR,
        label=_("Target"),
    )  # fmt: skip
    axes.plot(
        actuals["fiscal_year"], actuals["actual_pct"], marker="s", color=ACTUAL_COLOUR, linewidth=2.2,
        label=_("Actual"),
    )  # fmt: skip
    for row in actuals.itertuples():
        axes.annotate(
            f"{row.actual_pct:.0f}%", (row.fiscal_year, row.actual_pct), textcoords="offset points",
            xytext=(0, 7), ha="center", fontsize=LABEL_SIZE, color=ACTUAL_COLOUR, annotation_clip=False,
        )  # fmt: skip
    axes.set_xticks(x, [fiscal_year_tick(year) for year in x])
    _percent_axis(axes, "y")
    axes.set_ylabel(_("Share of staff (%)"))
    _title(figure, title)
    axes.legend(loc="lower right", frameon=False, fontsize=LABEL_SIZE)
    _style(axes)
    return figure


def plan_overview_figure(headline: pd.DataFrame, *, title: str) -> Figure:
    """Every target of a plan: reached against asked for this year, coloured by status."""
    count = max(len(headline), 1)
    figure = _figure(7.2, 0.8 * count + 2.0)
    axes = figure.add_subplot()
    labels = [str(label) for label in headline["target"]][::-1]
    actual = pd.to_numeric(headline["actual_pct"], errors="coerce").fillna(0).tolist()[::-1]
    target = pd.to_numeric(headline["target_pct"], errors="coerce").fillna(0).tolist()[::-1]
    colours = [STATUS_COLOURS.get(status, STATUS_COLOURS[None]) for status in headline["status"]][::-1]
    positions = range(len(labels))
    axes.barh(positions, actual, color=colours, height=0.4, label=_("Actual"))
    axes.scatter(target, positions, marker="|", s=400, color="#1d2733", label=_("Target"), zorder=3)
    for y, (value, status) in enumerate(zip(actual, headline["status"].tolist()[::-1], strict=True)):
        # the figure and status sit above the bar, left-aligned, so they never overflow the 100 % axis
        axes.text(
            1, y + 0.24, f"{value:.0f}% · {status_label(status)}", va="bottom", ha="left",
            fontsize=LABEL_SIZE, color="#1d2733",
        )  # fmt: skip
    axes.set_yticks(list(positions), _wrapped(labels))
    axes.set_ylim(-0.5, len(labels))  # room above the top bar for its label
    _percent_axis(axes, "x")
    axes.set_xlabel(_("Share of staff (%)"))
    _title(figure, title)
    _legend_below(figure, axes, ncol=2)
    _style(axes)
    return figure


def level_distribution_figure(distribution: pd.DataFrame, *, fiscal_year: int, title: str) -> Figure:
    """Staff per confirmed level, one stacked bar per competency, for one fiscal year."""
    year = distribution[distribution["fiscal_year"] == fiscal_year]
    # suppressed cells (blanked for viewers who see aggregates only) are drawn as empty
    year = year.assign(headcount=pd.to_numeric(year["headcount"], errors="coerce").fillna(0))
    table = year.pivot_table(
        index="competency", columns="level", values="headcount", aggfunc="sum", sort=False
    )
    table = table.fillna(0)
    figure = _figure(7.2, 0.45 * max(len(table), 1) + 2.4)
    axes = figure.add_subplot()
    left = pd.Series(0.0, index=table.index)
    levels = [level for level in table.columns if level != 0] + ([0] if 0 in table.columns else [])
    cmap = matplotlib.colormaps["Blues"]
    for position, level in enumerate(levels):
        colour = "#d8dee6" if level == 0 else cmap(0.25 + 0.7 * position / max(len(levels) - 1, 1))
        label = _("No confirmed level") if level == 0 else _("Level %(level)s") % {"level": level}
        axes.barh(
            list(table.index)[::-1], table[level].tolist()[::-1], left=left.tolist()[::-1], color=colour,
            label=label,
        )  # fmt: skip
        left += table[level]
    axes.set_xlabel(_("Staff"))
    _title(figure, f"{title} · {fiscal_year_tick(fiscal_year)}")
    _legend_below(figure, axes, ncol=3)
    _style(axes)
    return figure


def skills_against_targets_figure(rows: pd.DataFrame, *, title: str) -> Figure:
    """One person's (or a team's average) level per competency, with the role target marked.

    ``rows``: label, level (NaN when not yet assessed), target (NaN when none).
    """
    figure = _figure(7.2, _row_height(rows["label"].tolist()) * max(len(rows), 1) + 1.8)
    axes = figure.add_subplot()
    labels = rows["label"].tolist()[::-1]
    levels = rows["level"].fillna(0).tolist()[::-1]
    targets = rows["target"].tolist()[::-1]
    colours = [
        "#1e7b3c" if pd.notna(t) and level >= t else ("#d18b00" if pd.notna(t) else ACTUAL_COLOUR)
        for level, t in zip(levels, targets, strict=True)
    ]
    positions = list(range(len(labels)))
    axes.barh(positions, levels, color=colours, height=0.6, label=_("Current level"))
    marked = [(t, y) for y, t in enumerate(targets) if pd.notna(t)]
    if marked:
        axes.scatter([t for t, _y in marked], [y for _t, y in marked], marker="|", s=300, color="#1d2733",
                     label=_("Role target"), zorder=3)  # fmt: skip
    axes.set_yticks(positions, _wrapped(labels))
    top = max([*levels, *[t for t in targets if pd.notna(t)], 1])
    axes.set_xlim(0, top + 0.5)
    _whole_levels(axes.xaxis)
    axes.set_xlabel(_("Level"))
    _title(figure, title)
    _legend_below(figure, axes, ncol=2)
    _style(axes)
    axes.grid(axis="x", color="#d8dee6", linewidth=0.8)
    return figure


def level_history_figure(history: pd.DataFrame, *, title: str) -> Figure:
    """How levels changed over time: ``history`` has date, label and level (one line per label)."""
    figure = _figure(7.2, 4.6)
    axes = figure.add_subplot()
    for label, part in history.sort_values("date").groupby("label", sort=False):
        axes.step(part["date"], part["level"], where="post", marker="o", label=str(label))
    axes.set_ylabel(_("Level"))
    _whole_levels(axes.yaxis)
    axes.set_ylim(bottom=0)
    _title(figure, title)
    _legend_below(figure, axes, ncol=2, fontsize=LABEL_SIZE - 1)
    ticks = 4 if _for_phone.get() else 7  # room for 12 pt B.E. dates
    axes.xaxis.set_major_locator(AutoDateLocator(minticks=3, maxticks=ticks))
    axes.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(_be_year_formatter))
    _style(axes)
    return figure


def _be_year_formatter(value, _position) -> str:
    day = num2date(value)
    return f"{day.month:02d}/{day.year + 543}"


def readiness_figure(readiness: pd.DataFrame, *, title: str) -> Figure:
    """Share of a team at or above its role target, per competency (``label``, ``ready_pct``)."""
    figure = _figure(7.2, _row_height(readiness["label"].tolist()) * max(len(readiness), 1) + 1.8)
    axes = figure.add_subplot()
    labels = readiness["label"].tolist()[::-1]
    values = readiness["ready_pct"].fillna(0).tolist()[::-1]
    colours = ["#1e7b3c" if v >= 80 else "#d18b00" if v >= 50 else "#b3261e" for v in values]
    axes.barh(range(len(labels)), values, color=colours, height=0.6)
    for y, value in enumerate(values):
        inside = value > 85
        axes.text(
            value - 1 if inside else value + 1, y, f"{value:.0f}%", va="center",
            ha="right" if inside else "left", fontsize=LABEL_SIZE, color="#fff" if inside else "#1d2733",
        )  # fmt: skip
    axes.set_yticks(range(len(labels)), _wrapped(labels))
    _percent_axis(axes, "x")
    axes.set_xlabel(_("Share of the team at the role target (%)"))
    _title(figure, title)
    _style(axes)
    return figure


def figure_png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
