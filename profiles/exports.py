"""Spreadsheet exports that cannot smuggle a formula into Excel or LibreOffice (CSV injection).

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by spreadsheet programs; such text is prefixed with an apostrophe. Numbers stay numbers.
"""

from __future__ import annotations

from wagtail.admin.views.generic import IndexView

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class FormulaSafeExportMixin:
    """For Wagtail's ``SpreadsheetExportMixin`` views (reports and model index views)."""

    def preprocess_field_value(self, field, value, export_format):
        return neutralise_formula(super().preprocess_field_value(field, value, export_format))


class FormulaSafeIndexView(FormulaSafeExportMixin, IndexView):
    """A ModelViewSet index view whose CSV/XLSX export is formula-safe."""
