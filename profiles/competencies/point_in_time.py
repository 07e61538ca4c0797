"""The level timeline at a moment, for a whole workforce at once.

Reports load the stored intervals (``LevelInterval``, ``PlacementInterval``) once as frames and
pick, per moment, the rows that hold then: work proportional to the staff and competencies shown,
not to the evidence log. There is no policy here: every level was decided by ``levels`` when its
evidence was recorded. Times are UTC nanoseconds; an open interval ends at ``NEVER_NS``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .models import Structure
from .timeline import Timeline

NEVER_NS = np.iinfo("int64").max

LEVEL_COLUMNS = ["employee_id", "competency_id", "level", "rank", "evidence_id", "valid_from", "valid_until"]
PLACEMENT_COLUMNS = ["employee_id", "org_unit_id", "personnel_group_id", "valid_from", "valid_until"]
LEVEL_DTYPES = {
    "employee_id": "int64", "competency_id": "int64", "level": "int16", "rank": "int8",
    "evidence_id": "int64", "valid_from": "int64", "valid_until": "int64",
}  # fmt: skip
PLACEMENT_DTYPES = {
    "employee_id": "int64", "org_unit_id": "int64", "personnel_group_id": "int64", "valid_from": "int64",
    "valid_until": "int64",
}  # fmt: skip


def moment_ns(moment: dt.datetime) -> int:
    """A timezone-aware moment as nanoseconds since the epoch (UTC), the frames' time unit."""
    if moment.tzinfo is None:
        raise ValueError("A report moment must carry a time zone.")
    return pd.Timestamp(moment).value


def _ns(moment: dt.datetime | None) -> int:
    return NEVER_NS if moment is None else moment_ns(moment)


@dataclass
class TimelineFrames:
    """The intervals a report needs, as frames: ``levels`` (LEVEL_COLUMNS) and ``placements``."""

    levels: pd.DataFrame
    placements: pd.DataFrame

    @property
    def rows(self) -> int:
        return len(self.levels) + len(self.placements)


def empty_frame(columns: list[str], dtypes: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype=dtypes[column]) for column in columns})


def frames_of(timeline: Timeline, competency_ids: list[int] | None = None) -> TimelineFrames:
    """Frames of a timeline computed in memory (a report "as recorded on" a past day)."""
    wanted = None if competency_ids is None else set(competency_ids)
    levels = [
        (e, c, i.level, i.rank, i.deciding.id, _ns(i.valid_from), _ns(i.valid_until))
        for (e, c), intervals in timeline.levels.items()
        if wanted is None or c in wanted
        for i in intervals
    ]
    placements = [
        (e, p.org_unit_id, p.personnel_group_id, _ns(p.valid_from), _ns(p.valid_until))
        for e, rows in timeline.placements.items()
        for p in rows
    ]
    return TimelineFrames(
        levels=pd.DataFrame(levels, columns=LEVEL_COLUMNS).astype(LEVEL_DTYPES),
        placements=pd.DataFrame(placements, columns=PLACEMENT_COLUMNS).astype(PLACEMENT_DTYPES),
    )


def levels_at(frames: TimelineFrames, moment: dt.datetime) -> pd.DataFrame:
    """Each employee's level per competency at ``moment``.

    Columns: employee_id, competency_id, level, rank (3 confirmed by assessment or manager,
    2 course or import, 1 self-rated only), evidence_id (the deciding record).
    """
    m = moment_ns(moment)
    levels = frames.levels
    holds = (levels["valid_from"].to_numpy() <= m) & (levels["valid_until"].to_numpy() > m)
    return levels.loc[holds, ["employee_id", "competency_id", "level", "rank", "evidence_id"]].reset_index(
        drop=True
    )


def placement_at(
    frames: TimelineFrames, employees: pd.DataFrame, moment: dt.datetime, *, structure: str = "at_time"
) -> pd.DataFrame:
    """Who is on the staff at ``moment`` and where they count.

    ``employees`` has employee_id, org_unit_id, personnel_group_id (today's), start and end (ns):
    only people on the staff at ``moment`` count (from the start of their first day to the end of
    their last). With ``structure="at_time"`` a person counts in the unit and group of their
    placement at that moment (today's before their first evidence), so a transfer does not
    rewrite history; ``structure="today"`` places everyone by today's structure.
    """
    Structure.checked(structure)
    m = moment_ns(moment)
    on_staff = (employees["start"].to_numpy() <= m) & (employees["end"].to_numpy() >= m)
    staff = employees.loc[on_staff, ["employee_id", "org_unit_id", "personnel_group_id"]]
    if structure == "today" or staff.empty:
        return staff.assign(placed_since=-1).reset_index(drop=True)
    placements = frames.placements
    holds = (placements["valid_from"].to_numpy() <= m) & (placements["valid_until"].to_numpy() > m)
    there = placements.loc[holds, ["employee_id", "org_unit_id", "personnel_group_id", "valid_from"]]
    there = there.drop_duplicates("employee_id", keep="last").set_index("employee_id")
    placed = staff.set_index("employee_id")
    known = there.reindex(placed.index)
    placed = pd.DataFrame(
        {
            "org_unit_id": known["org_unit_id"].fillna(placed["org_unit_id"]).astype("int64"),
            "personnel_group_id": known["personnel_group_id"]
            .fillna(placed["personnel_group_id"])
            .astype("int64"),
            # when the placement began (its evidence's time), or -1: today's unit and group
            "placed_since": known["valid_from"].fillna(-1).astype("int64"),
        },
        index=placed.index,
    )
    return placed.reset_index()
