"""Figures for people: baht and counts with thousands separators (1,234,500), the same in Thai and
English, on pages, in spreadsheets' text cells and in PDF files."""

from __future__ import annotations

import math


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def baht(value) -> str:
    """Whole baht with thousands separators: 1234500.4 -> "1,234,500"; nothing -> "—"."""
    if _missing(value):
        return "—"
    return f"{round(float(value)):,}"


def number(value, places: int = 0) -> str:
    """A count or measure with thousands separators and ``places`` decimals; nothing -> "—"."""
    if _missing(value):
        return "—"
    return f"{float(value):,.{int(places)}f}"
