"""The committee's report pack as a PDF: a cover, the KPI table and the charts, in Thai.

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

from skills_site.fonts import THAI_FONT_BOLD, THAI_FONT_REGULAR
from skills_site.thai_calendar import format_be_date, format_fiscal_year

from .charts import status_label

FONT = "Laksaman"


def _pct(value) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:.1f}%"


def _int(value) -> str:
    return "—" if value is None or pd.isna(value) else f"{int(value):,}"


def capability_pdf(
    *,
    title: str,
    subtitle: str,
    table: pd.DataFrame,
    charts: list[tuple[str, bytes]],
    as_of: dt.datetime,
    language: str,
    filters: str = "",
) -> bytes:
    """``table`` is the capability table; ``charts`` are (caption, PNG bytes) pairs."""
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(title)
    pdf.add_font(FONT, "", str(THAI_FONT_REGULAR))
    pdf.add_font(FONT, "B", str(THAI_FONT_BOLD))
    pdf.set_text_shaping(True)
    pdf.set_auto_page_break(auto=True, margin=15)

    # cover
    pdf.add_page()
    pdf.set_font(FONT, "B", 28)
    pdf.ln(45)
    pdf.multi_cell(0, 14, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 18)
    pdf.ln(4)
    pdf.multi_cell(0, 10, subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font(FONT, "", 14)
    stamp = _("Figures as of %(date)s") % {"date": format_be_date(as_of, language, long=True)}
    pdf.multi_cell(0, 8, stamp, align="C", new_x="LMARGIN", new_y="NEXT")
    if filters:
        pdf.multi_cell(0, 8, filters, align="C", new_x="LMARGIN", new_y="NEXT")

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
        col_widths=(58, 50, 40, 20, 20, 18, 28, 40),
        headings_style=FontFace(emphasis="BOLD", fill_color=(225, 232, 240)),
        line_height=6.5,
        text_align=("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "LEFT"),
    ) as grid:
        grid.row(headings)
        for row in table.itertuples():
            if row.period == "baseline":
                period = _("Baseline %(year)s") % {"year": format_fiscal_year(row.fiscal_year, language)}
            elif row.period == "quarter":
                period = f"{format_fiscal_year(row.fiscal_year, language)} Q{int(row.quarter)}"
            else:
                period = format_fiscal_year(row.fiscal_year, language)
            if row.to_date:
                period += " " + _("(to date)")
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

    # charts, two to a page
    for index, (caption, png) in enumerate(charts):
        if index % 2 == 0:
            pdf.add_page()
        pdf.set_font(FONT, "B", 12)
        pdf.cell(0, 8, caption, new_x="LMARGIN", new_y="NEXT")
        pdf.image(io.BytesIO(png), w=150)
        pdf.ln(3)
    return bytes(pdf.output())
