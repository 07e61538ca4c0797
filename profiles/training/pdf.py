"""The PDF annex of a training plan, fit to attach to a budget request: in Thai (or English), with the
department's name, the B.E. fiscal year, baht with thousands separators, page numbers, the date it was
prepared and the assumptions. fpdf2 with the bundled Laksaman font and HarfBuzz shaping, as the
capability report pack (``reports/pdf.py``)."""

from __future__ import annotations

import datetime as dt
import io

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from skills_site.fonts import THAI_FONT_BOLD, THAI_FONT_REGULAR
from skills_site.numbers import baht, number
from skills_site.thai_calendar import format_be_date, format_fiscal_year

from .selectors import TrainingPlan
from .tables import PlanTables

FONT = "Laksaman"
HEADINGS = FontFace(emphasis="BOLD", fill_color=(225, 232, 240))


class _Annex(FPDF):
    def __init__(self, *, header_text: str, footer_text: str):
        super().__init__(orientation="L", unit="mm", format="A4")
        self.header_text = header_text
        self.footer_text = footer_text

    def header(self):
        self.set_font(FONT, "", 9)
        self.set_text_color(90, 100, 115)
        self.cell(0, 6, self.header_text, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.ln(1)

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, "", 9)
        self.set_text_color(90, 100, 115)
        page = _("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}
        self.cell(0, 6, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 6, page, align="R")
        self.set_text_color(0, 0, 0)


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(2)
    pdf.set_font(FONT, "B", 14)
    pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)


def training_pdf(
    training: TrainingPlan,
    tables: PlanTables,
    *,
    plan_name: str,
    department: str,
    language: str,
    scope: str,
    chart_png: bytes,
    prepared: dt.datetime,
) -> bytes:
    year = format_fiscal_year(training.fiscal_year, language)
    title = _("Training demand and budget, %(year)s") % {"year": year}
    prepared_label = _("Prepared on %(date)s") % {"date": format_be_date(prepared, language, long=True)}
    pdf = _Annex(header_text=f"{department} · {title}", footer_text=prepared_label)
    pdf.set_title(title)
    pdf.add_font(FONT, "", str(THAI_FONT_REGULAR))
    pdf.add_font(FONT, "B", str(THAI_FONT_BOLD))
    pdf.set_text_shaping(True)
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.alias_nb_pages()
    totals = tables.totals

    pdf.add_page()
    pdf.set_font(FONT, "B", 22)
    pdf.multi_cell(0, 11, _("Annex: %(title)s") % {"title": title}, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 13)
    for line in (
        department,
        plan_name,
        scope,
        prepared_label,
        _("Budget ceiling: %(ceiling)s baht") % {"ceiling": baht(training.ceiling)}
        if training.ceiling is not None
        else _("No budget ceiling: the cheapest plan that meets every target it can"),
    ):
        if line:
            pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")

    _heading(pdf, _("Totals"))
    with pdf.table(
        col_widths=(90, 60),
        headings_style=HEADINGS,
        line_height=6.5,
        text_align=("LEFT", "RIGHT"),
        width=150,
        align="LEFT",
    ) as grid:
        grid.row([_("Item"), _("Amount")])
        for label, value in (
            (_("Cost (baht)"), baht(totals["cost"])),
            (_("Staff time (baht)"), baht(totals["staff_time_cost"])),
            (_("People to train"), number(totals["people"])),
            (_("Seats"), number(totals["seats"])),
            (_("Runs"), number(totals["runs"], 0)),
            (_("Learning hours"), number(totals["hours"], 1)),
            (_("Targets met with the plan"), f"{totals['targets_met']} / {totals['targets']}"),
        ):
            grid.row([label, value])

    if tables.notices:
        _heading(pdf, _("To note"))
        for notice in tables.notices:
            pdf.multi_cell(0, 6, "• " + notice.text, new_x="LMARGIN", new_y="NEXT")

    _heading(pdf, _("Per target"))
    with pdf.table(
        col_widths=(60, 38, 17, 17, 17, 19, 19, 19, 22, 22, 27),
        headings_style=HEADINGS,
        line_height=5.5,
        text_align=("LEFT", "LEFT", *(["RIGHT"] * 7), "LEFT", "LEFT"),
    ) as grid:
        grid.row(
            [
                _("Indicator"),
                _("Population"),
                _("Target (%)"),
                _("Staff"),
                _("At the level"),
                _("Still to reach"),
                _("In training"),
                _("Planned"),
                _("Expected (%)"),
                _("Without the plan"),
                _("With the plan"),
            ]
        )
        for r in tables.targets:
            grid.row(
                [
                    r["target"],
                    r["population"],
                    number(r["target_pct"], 1),
                    number(r["headcount"]),
                    number(r["reached"]),
                    number(r["gap"]),
                    number(r["in_training"]),
                    number(r["planned"]),
                    number(r["expected_pct"], 1),
                    r["status_without_label"],
                    r["status_with_label"]
                    + (
                        " " + _("(short by %(n)s)") % {"n": number(r["short_by"], 1)} if r["short_by"] else ""
                    ),
                ]
            )

    _heading(pdf, _("Per course"))
    with pdf.table(
        col_widths=(70, 36, 16, 14, 18, 18, 26, 26, 30),
        headings_style=HEADINGS,
        line_height=5.5,
        text_align=("LEFT", "LEFT", *(["RIGHT"] * 7)),
    ) as grid:
        grid.row(
            [
                _("Course"),
                _("Delivery"),
                _("Seats"),
                _("Runs"),
                _("Hours per person"),
                _("Learning hours"),
                _("Cost per seat (baht)"),
                _("Cost per run (baht)"),
                _("Cost (baht)"),
            ]
        )
        for r in tables.courses:
            grid.row(
                [
                    r["title"],
                    r["mode"],
                    number(r["seats"]),
                    number(r["runs"]) if r["run_based"] else "—",
                    number(r["hours_per_seat"], 1),
                    number(r["hours"], 1),
                    baht(r["cost_per_seat"]),
                    baht(r["cost_per_run"]) if r["cost_per_run"] is not None else "—",
                    baht(r["cost"]),
                ]
            )
        grid.row(
            [
                _("Total"),
                "",
                number(totals["seats"]),
                number(totals["runs"]),
                "",
                number(totals["hours"], 1),
                "",
                "",
                baht(totals["cost"]),
            ]
        )

    _heading(pdf, _("Per org unit"))
    with pdf.table(
        col_widths=(110, 30, 30, 40, 40),
        headings_style=HEADINGS,
        line_height=5.5,
        text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        width=250,
        align="LEFT",
    ) as grid:
        grid.row([_("Org unit"), _("People"), _("Seats"), _("Hours away from work"), _("Cost (baht)")])
        for r in tables.units:
            grid.row(
                [r["unit"], number(r["people"]), number(r["seats"]), number(r["hours"], 1), baht(r["cost"])]
            )

    pdf.add_page()
    _heading(pdf, _("What a budget buys"))
    pdf.image(io.BytesIO(chart_png), w=200)

    _heading(pdf, _("Assumptions"))
    a = training.needs.assumptions
    leavers = totals["leavers"]
    lines = [
        _("Staff counted: today's active staff who will still be there at the end of %(year)s.")
        % {"year": year},
        _(
            "Known leavers by then: %(total)s (contracts ending: %(ends)s; retiring: %(retiring)s). "
            "A civil servant "
            "retires at the end of the fiscal year in which they turn 60, where the date of birth is known."
        )
        % {
            "total": number(leavers["total"]),
            "ends": number(leavers["end_date"]),
            "retiring": number(leavers["retirement"]),
        },
        _("Only confirmed levels count: a level resting only on a self-assessment does not."),
        _(
            "Success rate of a course: the share of its past completers whose confirmed level reached "
            "the course's "
            "level within %(months)s months; %(rate)s%% where fewer than %(n)s completions can be measured."
        )
        % {
            "months": a.months_to_success,
            "rate": number(a.default_success_rate * 100),
            "n": a.min_completions,
        },
        _("Cost of one staff hour: %(cost)s baht (staff time is shown apart from the cost).")
        % {"cost": baht(a.staff_hour_cost)},
        _("Planner: %(status)s; the plan's cost is within %(gap)s%% of the lower bound no plan can beat.")
        % {"status": totals["status_label"], "gap": number(totals["gap_pct"] or 0, 2)},
    ]
    for line in lines:
        pdf.multi_cell(0, 6, "• " + line, new_x="LMARGIN", new_y="NEXT")
    if tables.rates:
        pdf.ln(2)
        with pdf.table(
            col_widths=(90, 30, 20, 35, 35, 35),
            headings_style=HEADINGS,
            line_height=5.5,
            text_align=("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
            width=245,
            align="LEFT",
        ) as grid:
            grid.row(
                [
                    _("Course"),
                    _("Competency"),
                    _("Level"),
                    _("Completions measured"),
                    _("Reached the level"),
                    _("Success rate used (%)"),
                ]
            )
            for r in tables.rates:
                rate = number(r["success_pct"], 1) + ("" if r["measured"] else " *")
                grid.row(
                    [
                        r["course"],
                        r["competency"],
                        str(r["level"]),
                        number(r["completions"]),
                        number(r["successes"]),
                        rate,
                    ]
                )
        pdf.ln(1)
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(
            0,
            5,
            "* "
            + _(
                "Fewer than %(n)s completions to measure: the rate of the least successful course that "
                "evidences the same "
                "level, or %(rate)s%% where there is none."
            )
            % {"n": a.min_completions, "rate": number(a.default_success_rate * 100)},
            new_x="LMARGIN",
            new_y="NEXT",
        )
    return bytes(pdf.output())
