"""Small-group suppression for viewers who may only see aggregates (the committee).

Every figure computed over fewer than ``min_size`` people is blanked, and where a blanked figure
could be recovered by subtraction (one hidden row beside visible ones that add up to a shown
total), the next smallest row is blanked too.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

TARGET_FIGURES = ["headcount", "reached", "actual_pct", "needed", "gap_headcount", "status"]
LEARNING_FIGURES = {
    "enrolments": ["enrolments", "completed_of_those", "completion_pct", "completions_in_year"],
    "attempts": ["attempts", "passed", "pass_pct"],
}


def _blank(frame: pd.DataFrame, mask: pd.Series, columns: list[str]) -> pd.DataFrame:
    frame = frame.copy()
    present = [column for column in columns if column in frame.columns]
    for column in present:
        frame[column] = frame[column].astype(object)
        frame.loc[mask, column] = None
    frame["suppressed"] = mask if "suppressed" not in frame else frame["suppressed"] | mask
    return frame


def _small(values: pd.Series, min_size: int) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce")
    return numbers.notna() & (numbers < min_size)


def _with_complement(frame: pd.DataFrame, mask: pd.Series, group_by: list[str], size: str) -> pd.Series:
    """Hide one more row in any group where exactly one row is hidden, so it cannot be subtracted."""
    mask = mask.copy()
    if frame.empty:
        return mask
    sizes = pd.to_numeric(frame[size], errors="coerce")
    for _key, group in frame.groupby(group_by, sort=False):
        index = group.index
        hidden = mask.loc[index]
        if hidden.sum() == 1 and len(index) > 1:
            candidates = sizes.loc[index][~hidden]
            if not candidates.dropna().empty:
                mask.loc[candidates.idxmin()] = True
    return mask


def suppress_target_rows(frame: pd.DataFrame, min_size: int, *, complement_by: list[str] | None = None):
    """A capability table, headline or breakdown with small populations blanked."""
    if frame.empty or "headcount" not in frame:
        return frame.assign(suppressed=False) if "suppressed" not in frame else frame
    mask = _small(frame["headcount"], min_size)
    if complement_by:
        mask = _with_complement(frame, mask, complement_by, "headcount")
    return _blank(frame, mask, TARGET_FIGURES)


def suppress_distribution(frame: pd.DataFrame, min_size: int) -> pd.DataFrame:
    """Level counts: whole competencies with a small population, and every cell of 1 to min_size-1."""
    if frame.empty:
        return frame.assign(suppressed=False)
    totals = frame.groupby(["fiscal_year", "competency_id"])["headcount"].transform("sum")
    counts = pd.to_numeric(frame["headcount"], errors="coerce")
    mask = (totals < min_size) | ((counts > 0) & (counts < min_size))
    mask = _with_complement(frame, mask, ["fiscal_year", "competency_id"], "headcount")
    return _blank(frame, mask, ["headcount", "share_pct"])


def suppress_learning(frame: pd.DataFrame, min_size: int) -> pd.DataFrame:
    """Completion and pass rates per fiscal year, blanked where fewer than min_size took part."""
    frame = frame.copy()
    suppressed = pd.Series(False, index=frame.index)
    for size_column, columns in LEARNING_FIGURES.items():
        if size_column not in frame:
            continue
        mask = _small(frame[size_column], min_size) & (pd.to_numeric(frame[size_column]) > 0)
        for column in columns:
            frame[column] = frame[column].astype(object)
            frame.loc[mask, column] = None
        suppressed |= mask
    frame["suppressed"] = suppressed
    return frame


def suppress_report(report, min_size: int):
    """The whole capability report (tables, breakdowns, distribution) with small groups blanked."""
    return replace(
        report,
        table=suppress_target_rows(report.table, min_size),
        headline=suppress_target_rows(report.headline, min_size),
        by_unit=suppress_target_rows(report.by_unit, min_size, complement_by=["target_id"]),
        by_group=suppress_target_rows(report.by_group, min_size, complement_by=["target_id"]),
        distribution=suppress_distribution(report.distribution, min_size),
    )
