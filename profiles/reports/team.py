"""Team readiness and personal level history: pure functions over small frames."""

from __future__ import annotations

import pandas as pd

from ..competencies.levels import CONFIRMED_RANK

MATRIX_COLUMNS = ["employee_id", "competency_id", "level", "rank", "target", "gap", "ready"]


def skills_matrix(levels: pd.DataFrame, members: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """People x competencies: level, role target, gap and whether the target is met.

    ``levels``: employee_id, competency_id, level, rank (from ``levels_at``).
    ``members``: employee_id, personnel_group_id. ``targets``: personnel_group_id, competency_id, target.
    Every member gets a row for every competency their group has a target in, and for every
    competency they have a level in. A target counts as met only on a confirmed level (rank >= 2),
    the same rule the capability report uses; a self-rating alone leaves the gap open.
    """
    expected = members.merge(targets, on="personnel_group_id", how="inner")[
        ["employee_id", "competency_id", "target"]
    ]
    observed = levels[levels["employee_id"].isin(members["employee_id"])][
        ["employee_id", "competency_id", "level", "rank"]
    ]
    matrix = expected.merge(observed, on=["employee_id", "competency_id"], how="outer")
    confirmed = matrix["level"].where(matrix["rank"] >= CONFIRMED_RANK)
    matrix["gap"] = (matrix["target"] - confirmed.fillna(0)).clip(lower=0).where(matrix["target"].notna())
    matrix["ready"] = matrix["gap"].eq(0)
    return matrix[MATRIX_COLUMNS].sort_values(["employee_id", "competency_id"]).reset_index(drop=True)


def readiness_by_competency(matrix: pd.DataFrame) -> pd.DataFrame:
    """Per competency: how many people have a target in it, how many meet it, and the share."""
    with_target = matrix[matrix["target"].notna()]
    grouped = with_target.groupby("competency_id").agg(
        with_target=("employee_id", "count"), ready=("ready", "sum"), mean_gap=("gap", "mean")
    )
    grouped["ready_pct"] = (100.0 * grouped["ready"] / grouped["with_target"]).round(1)
    return grouped.reset_index()


def level_history(evidence_levels: list[tuple]) -> pd.DataFrame:
    """Turn (date, competency_id, level) steps into a frame, keeping only the changes."""
    frame = pd.DataFrame(evidence_levels, columns=["date", "competency_id", "level"])
    if frame.empty:
        return frame
    frame = frame.sort_values(["competency_id", "date"])
    changed = frame.groupby("competency_id")["level"].transform(lambda s: s.ne(s.shift()))
    return frame[changed].reset_index(drop=True)
