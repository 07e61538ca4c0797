"""Course completion and assessment pass rates per fiscal year (pure; frames in, frame out)."""

from __future__ import annotations

import pandas as pd

from skills_site.thai_calendar import BANGKOK, BE_OFFSET

LEARNING_COLUMNS = [
    "fiscal_year", "enrolments", "completed_of_those", "completion_pct", "completions_in_year",
    "attempts", "passed", "pass_pct",
]  # fmt: skip


def fiscal_years_of(moments: pd.Series) -> pd.Series:
    """The B.E. fiscal year of each timestamp (Bangkok date; October starts the next year)."""
    local = pd.to_datetime(moments, utc=True).dt.tz_convert(BANGKOK)
    return (local.dt.year + (local.dt.month >= 10).astype(int) + BE_OFFSET).astype("Int64")


def learning_by_fiscal_year(
    enrolments: pd.DataFrame, attempts: pd.DataFrame, years: list[int]
) -> pd.DataFrame:
    """Per fiscal year: enrolments made and how many of them are completed, completions that year,
    submitted assessment attempts and how many passed.

    ``enrolments``: enrolled_at, completed_at (NaT when open). ``attempts``: submitted_at, passed.
    """
    rows = []
    enrolled_year = (
        fiscal_years_of(enrolments["enrolled_at"]) if len(enrolments) else pd.Series(dtype="Int64")
    )
    completed = enrolments["completed_at"].notna() if len(enrolments) else pd.Series(dtype=bool)
    completed_year = (
        fiscal_years_of(enrolments.loc[completed, "completed_at"])
        if completed.any()
        else pd.Series(dtype="Int64")
    )
    attempt_year = fiscal_years_of(attempts["submitted_at"]) if len(attempts) else pd.Series(dtype="Int64")
    for year in years:
        made = enrolled_year == year
        n_made = int(made.sum())
        n_done = int((made & completed).sum()) if n_made else 0
        in_year = attempt_year == year
        n_attempts = int(in_year.sum())
        n_passed = (
            int(attempts.loc[in_year.to_numpy(), "passed"].fillna(False).astype(bool).sum())
            if n_attempts
            else 0
        )
        rows.append(
            {
                "fiscal_year": year,
                "enrolments": n_made,
                "completed_of_those": n_done,
                "completion_pct": round(100.0 * n_done / n_made, 1) if n_made else None,
                "completions_in_year": int((completed_year == year).sum()),
                "attempts": n_attempts,
                "passed": n_passed,
                "pass_pct": round(100.0 * n_passed / n_attempts, 1) if n_attempts else None,
            }
        )
    return pd.DataFrame(rows, columns=LEARNING_COLUMNS)
