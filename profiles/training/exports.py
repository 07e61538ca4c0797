"""The Excel annex of a training plan: the same rows as the page (``tables``), a sheet each, with every
text cell made formula-safe (``hr_data.exports``) and baht as numbers with thousands separators."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from skills_site.thai_calendar import format_be_date, format_fiscal_year

from ..hr_data.exports import neutralise_formula
from .selectors import TrainingPlan
from .tables import PlanTables

BAHT = "#,##0"
COUNT = "#,##0"
ONE_PLACE = "#,##0.0"


def _sheet(
    book: Workbook, title: str, headings: list[str], rows: list[list], formats: dict[int, str] | None = None
):
    sheet = book.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header = []
    for heading in headings:
        cell = WriteOnlyCell(sheet, value=neutralise_formula(str(heading)))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    formats = formats or {}
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            value = (
                neutralise_formula(str(value))
                if isinstance(value, str) or hasattr(value, "__html__")
                else value
            )
            cell = WriteOnlyCell(sheet, value=value)
            if index in formats and isinstance(value, int | float):
                cell.number_format = formats[index]
            cells.append(cell)
        sheet.append(cells)
    return sheet


def training_workbook(
    training: TrainingPlan, tables: PlanTables, *, plan_name: str, department: str, language: str, scope: str
) -> bytes:
    book = Workbook(write_only=True)
    totals = tables.totals
    a = training.needs.assumptions
    summary = [
        [_("Department"), department],
        [_("Plan"), plan_name],
        [_("Fiscal year"), format_fiscal_year(training.fiscal_year, language)],
        [_("Scope"), scope],
        [_("Prepared on"), format_be_date(training.needs.as_of, language, long=True)],
        [_("Budget ceiling (baht)"), training.ceiling if training.ceiling is not None else _("none")],
        [_("People to train"), totals["people"]],
        [_("Seats"), totals["seats"]],
        [_("Runs"), totals["runs"]],
        [_("Learning hours"), totals["hours"]],
        [_("Cost (baht)"), totals["cost"]],
        [_("Staff time (baht)"), totals["staff_time_cost"]],
        [_("Targets met with the plan"), f"{totals['targets_met']} / {totals['targets']}"],
        [_("Planner"), str(totals["status_label"])],
        [_("Gap to the lower bound (%)"), totals["gap_pct"] if totals["gap_pct"] is not None else "—"],
        [_("Known leavers by the year's end"), totals["leavers"]["total"]],
        [_("of whom contracts ending"), totals["leavers"]["end_date"]],
        [_("of whom retiring"), totals["leavers"]["retirement"]],
        [_("Cost of one staff hour (baht)"), a.staff_hour_cost],
        [
            _("Success rate assumed below %(n)s completions (%%)") % {"n": a.min_completions},
            round(a.default_success_rate * 100, 1),
        ],
    ]
    summary += [[_("Note"), notice.text] for notice in tables.notices]
    _sheet(book, _("Summary"), [_("Item"), _("Value")], summary, {1: BAHT})
    _sheet(
        book,
        _("Targets"),
        [
            _("Indicator"),
            _("Competency"),
            _("Level or above"),
            _("Population"),
            _("Target (%)"),
            _("Staff at the year's end"),
            _("Known leavers"),
            _("At the level now"),
            _("Needed"),
            _("Still to reach"),
            _("In training"),
            _("Shortfall (people)"),
            _("Candidates"),
            _("Planned"),
            _("Expected from the plan"),
            _("Expected at the year's end"),
            _("Expected (%)"),
            _("Trend forecast"),
            _("Status without the plan"),
            _("Status with the plan"),
            _("Short by"),
        ],
        [
            [
                r["target"],
                r["competency"],
                r["min_level"],
                r["population"],
                r["target_pct"],
                r["headcount"],
                r["leavers"],
                r["reached"],
                r["needed"],
                r["gap"],
                r["in_training"],
                r["shortfall"],
                r["candidates"],
                r["planned"],
                r["planned_expected"],
                r["expected"],
                r["expected_pct"] if r["expected_pct"] is not None else "—",
                r["status_trend_label"],
                r["status_without_label"],
                r["status_with_label"],
                r["short_by"],
            ]
            for r in tables.targets
        ],
        {11: ONE_PLACE, 14: ONE_PLACE, 15: ONE_PLACE, 20: ONE_PLACE},
    )
    _sheet(
        book,
        _("Courses"),
        [
            _("Course"),
            _("Delivery"),
            _("Seats"),
            _("Runs"),
            _("Seats per run"),
            _("Hours per person"),
            _("Learning hours"),
            _("Cost per seat (baht)"),
            _("Cost per run (baht)"),
            _("Cost (baht)"),
            _("Staff time (baht)"),
            "Q1",
            "Q2",
            "Q3",
            "Q4",
        ],
        [
            [
                r["title"],
                r["mode"],
                r["seats"],
                r["runs"] if r["run_based"] else "—",
                r["seats_per_run"] if r["seats_per_run"] else "—",
                r["hours_per_seat"],
                r["hours"],
                r["cost_per_seat"],
                r["cost_per_run"] if r["cost_per_run"] is not None else "—",
                r["cost"],
                r["staff_time_cost"],
                r["q1"],
                r["q2"],
                r["q3"],
                r["q4"],
            ]
            for r in tables.courses
        ]
        + [
            [
                _("Total"),
                "",
                totals["seats"],
                totals["runs"],
                "",
                "",
                totals["hours"],
                "",
                "",
                totals["cost"],
                totals["staff_time_cost"],
                "",
                "",
                "",
                "",
            ]
        ],
        {6: ONE_PLACE, 7: BAHT, 8: BAHT, 9: BAHT, 10: BAHT},
    )
    _sheet(
        book,
        _("Units"),
        [
            _("Org unit"),
            _("People"),
            _("Seats"),
            _("Hours away from work"),
            _("Cost (baht)"),
            _("Staff time (baht)"),
        ],
        [
            [r["unit"], r["people"], r["seats"], r["hours"], r["cost"], r["staff_time_cost"]]
            for r in tables.units
        ],
        {3: ONE_PLACE, 4: BAHT, 5: BAHT},
    )
    _sheet(
        book,
        _("People"),
        [
            _("Employee number"),
            _("Name"),
            _("Org unit"),
            _("Course"),
            _("Prerequisite for"),
            _("Quarter"),
            _("Due date"),
        ],
        [
            [
                r["employee_number"],
                r["name"],
                r["unit"],
                r["course"],
                r["prerequisite_for"],
                f"Q{r['quarter']}",
                r["due_date"],
            ]
            for r in tables.people
        ],
    )
    labels = {row["target_id"]: row["target"] for row in tables.targets}
    _sheet(
        book,
        _("Candidates"),
        [
            _("Indicator"),
            _("Employee number"),
            _("Name"),
            _("Org unit"),
            _("Current level"),
            _("Levels to go"),
            _("Courses open to them"),
            _("Planned course"),
        ],
        [
            [
                labels.get(target_id, ""),
                r["employee_number"],
                r["name"],
                r["unit"],
                r["level"] if r["level"] is not None else "—",
                r["gap"],
                r["courses"],
                r["planned"],
            ]
            for target_id, rows in tables.candidates.items()
            for r in rows
        ],
    )
    _sheet(
        book,
        _("Success rates"),
        [
            _("Course"),
            _("Competency"),
            _("Level"),
            _("Completions measured"),
            _("Reached the level"),
            _("Success rate used (%)"),
            _("Source"),
        ],
        [
            [
                r["course"],
                r["competency"],
                r["level"],
                r["completions"],
                r["successes"],
                r["success_pct"],
                r["source_label"],
            ]
            for r in tables.rates
        ],
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
