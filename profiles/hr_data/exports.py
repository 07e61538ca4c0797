"""Spreadsheet exports that cannot smuggle a formula into Excel or LibreOffice (CSV injection).

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by spreadsheet programs; such text is prefixed with an apostrophe. Numbers stay numbers.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_exports_make_formula_safe() -> None:
    """Every CSV/XLSX export in the admin goes through Wagtail's ``SpreadsheetExportMixin``: ours
    (capability reports, enrolments) and Wagtail's own (site history, locked and aging pages,
    workflows, redirects), whose cells carry page titles, file names and names that people type.

    Wagtail's XLSX writer already stores formula-looking text as text, but its CSV writer does not,
    and its own views cannot be subclassed one by one without copying their URL set-up; so the
    mixin itself is made safe, once, from ``ProfilesConfig.ready``.
    """
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    if getattr(SpreadsheetExportMixin, "formula_safe", False):
        return
    wagtail_preprocess = SpreadsheetExportMixin.preprocess_field_value

    def preprocess_field_value(self, field, value, export_format):
        return neutralise_formula(wagtail_preprocess(self, field, value, export_format))

    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
    SpreadsheetExportMixin.formula_safe = True
