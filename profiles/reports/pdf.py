"""The committee's report pack as a PDF: a cover with the headline, the KPI table and the charts, in Thai.

fpdf2 with the bundled Laksaman font and HarfBuzz text shaping, so Thai vowels and tone marks sit
where they should. Charts are the PNGs of the same Figure functions the pages use.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace
from PIL import Image

from skills_site.fonts import THAI_FONT_BOLD, THAI_FONT_REGULAR
from skills_site.thai_calendar import format_be_date

from .capability import AT_RISK, MET, OFF_TRACK, ON_TRACK
from .charts import STATUS_COLOURS, period_label, status_label

FONT = "Laksaman"


def _pct(value) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:.1f}%"


def _int(value) -> str:
    return "—" if value is None or pd.isna(value) else f"{int(value):,}"


STATUS_ORDER = (MET, ON_TRACK, AT_RISK, OFF_TRACK)


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def headline_counts(headline: pd.DataFrame) -> list[tuple[str | None, int]]:
    """How many targets are met, on track, at risk and off track (and, if any, without a status)."""
    statuses = headline["status"].tolist() if len(headline) else []
    counts = [(status, statuses.count(status)) for status in STATUS_ORDER]
    unknown = sum(1 for status in statuses if status not in STATUS_ORDER)
    return counts + ([(None, unknown)] if unknown else [])


def _cover(
    pdf: FPDF, *, title: str, subtitle: str, headline: pd.DataFrame, as_of, language: str, filters: str
) -> None:
    pdf.add_page()
    pdf.set_font(FONT, "B", 26)
    pdf.ln(6)
    pdf.multi_cell(0, 12, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 16)
    pdf.multi_cell(0, 9, subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 13)
    stamp = _("Figures as of %(date)s") % {"date": format_be_date(as_of, language, long=True)}
    pdf.multi_cell(0, 7, stamp, align="C", new_x="LMARGIN", new_y="NEXT")
    if filters:
        pdf.set_font(FONT, "", 11)
        pdf.multi_cell(0, 6, filters, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(5)

    # one box per status: how many of the plan's targets are there this year
    counts = headline_counts(headline)
    gap = 4
    width = (pdf.epw - gap * (len(counts) - 1)) / len(counts)
    top = pdf.get_y()
    for index, (status, count) in enumerate(counts):
        x = pdf.l_margin + index * (width + gap)
        pdf.set_fill_color(*_rgb(STATUS_COLOURS.get(status, STATUS_COLOURS[None])))
        pdf.set_text_color(255, 255, 255)
        pdf.rect(x, top, width, 30, style="F")
        pdf.set_xy(x, top + 3)
        pdf.set_font(FONT, "B", 26)
        pdf.cell(width, 13, str(count), align="C")
        pdf.set_xy(x, top + 17)
        pdf.set_font(FONT, "", 13)
        pdf.cell(width, 8, status_label(status) if status else _("No status yet"), align="C")
    pdf.set_text_color(0, 0, 0)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_xy(pdf.l_margin, top + 33)
    pdf.set_font(FONT, "", 11)
    note = _(
        "The plan's %(count)s targets by their status in the current fiscal year "
        "(the plan's last year once it is over)."
    ) % {"count": len(headline)}
    pdf.multi_cell(0, 6, note, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    if not len(headline):
        return
    with pdf.table(
        col_widths=(80, 70, 24, 24, 35, 44),
        headings_style=FontFace(emphasis="BOLD", fill_color=(225, 232, 240)),
        line_height=6.5,
        text_align=("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT"),
    ) as grid:
        grid.row([_("Indicator"), _("Period"), _("Target"), _("Actual"), _("Still to reach"), _("Status")])
        for row in headline.itertuples():
            grid.row(
                [
                    str(row.target),
                    period_label(
                        period=row.period,
                        fiscal_year=int(row.fiscal_year),
                        quarter=None,
                        to_date=bool(row.to_date),
                        language=language,
                    ),
                    _pct(row.target_pct),
                    _pct(row.actual_pct),
                    _int(row.gap_headcount),
                    status_label(row.status),
                ]
            )


def _chart_page(pdf: FPDF, caption: str, png: bytes) -> None:
    """One chart to a landscape page, as large as the page allows at its own proportions."""
    pdf.add_page()
    pdf.set_font(FONT, "B", 14)
    pdf.multi_cell(0, 8, caption, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    with Image.open(io.BytesIO(png)) as picture:
        ratio = picture.height / picture.width
    room_w, room_h = pdf.epw, pdf.eph - (pdf.get_y() - pdf.t_margin)
    width = min(room_w, room_h / ratio)
    pdf.image(io.BytesIO(png), x=pdf.l_margin + (room_w - width) / 2, w=width, h=width * ratio)


def capability_pdf(
    *,
    title: str,
    subtitle: str,
    table: pd.DataFrame,
    headline: pd.DataFrame,
    charts: list[tuple[str, bytes]],
    as_of: dt.datetime,
    language: str,
    filters: str = "",
) -> bytes:
    """``table`` is the capability table, ``headline`` its one row per target for the cover;
    ``charts`` are (caption, PNG bytes) pairs, one to a page."""
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(title)
    pdf.add_font(FONT, "", str(THAI_FONT_REGULAR))
    pdf.add_font(FONT, "B", str(THAI_FONT_BOLD))
    pdf.set_text_shaping(True)
    pdf.set_margins(12, 12, 12)
    pdf.set_auto_page_break(auto=True, margin=12)
    _cover(pdf, title=title, subtitle=subtitle, headline=headline, as_of=as_of, language=language,
           filters=filters)  # fmt: skip

    # KPI table
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.cell(0, 10, _("Indicators: target, actual and status per fiscal year"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    headings = [
        _("Indicator"), _("Population"), _("Fiscal year"), _("Target"), _("Actual"), _("Staff"),
        _("Still to reach"), _("Status"),
    ]  # fmt: skip
    with pdf.table(
        col_widths=(56, 44, 60, 18, 18, 16, 26, 36),
        headings_style=FontFace(emphasis="BOLD", fill_color=(225, 232, 240)),
        line_height=6.5,
        text_align=("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "LEFT"),
    ) as grid:
        grid.row(headings)
        for row in table.itertuples():
            period = period_label(
                period=row.period,
                fiscal_year=int(row.fiscal_year),
                quarter=None if pd.isna(row.quarter) else int(row.quarter),
                to_date=bool(row.to_date),
                language=language,
            )
            grid.row(
                [
                    str(row.target),
                    str(row.population),
                    period,
                    _pct(row.target_pct),
                    _pct(row.actual_pct),
                    _int(row.headcount),
                    _int(row.gap_headcount),
                    status_label(row.status),
                ]  # fmt: skip
            )

    for caption, png in charts:
        _chart_page(pdf, caption, png)
    return bytes(pdf.output())
