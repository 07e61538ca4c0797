"""The level policy of ``levels``, vectorised: the state of the workforce at any moment.

``levels_at`` gives exactly what ``current_levels_bulk`` gives (tested against it), for every
employee and competency at once, from an evidence frame loaded in one query. The frame is sorted
once by (employee, competency, source rank, observed time, id); at a moment the deciding record of
each pair is then simply the last counting row of the pair.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.conf import settings

from .levels import SOURCE_RANK, Source

# The frame stores each source as a code into this list (ranks come from the policy itself).
SOURCE_CODES = [str(source) for source in SOURCE_RANK]
SELF_RANK = SOURCE_RANK[Source.SELF_ASSESSMENT]
NS_PER_DAY = 86_400 * 10**9

EVIDENCE_COLUMNS = [
    "id",
    "employee_id",
    "competency_id",
    "level",
    "source",
    "observed",
    "org_unit_id",
    "personnel_group_id",
]


def moment_ns(moment: dt.datetime) -> int:
    """A timezone-aware moment as nanoseconds since the epoch (UTC), the frame's time unit."""
    if moment.tzinfo is None:
        raise ValueError("A report moment must carry a time zone.")
    return pd.Timestamp(moment).value


@dataclass
class PreparedEvidence:
    """The evidence sorted for the policy, as plain numpy arrays (one per column)."""

    ids: np.ndarray
    employee: np.ndarray
    competency: np.ndarray
    level: np.ndarray
    rank: np.ndarray
    observed: np.ndarray
    expires: np.ndarray
    by_time: pd.DataFrame  # employee, observed, unit, group sorted by (employee, observed, id)

    @property
    def rows(self) -> int:
        return len(self.ids)


def empty_evidence_frame() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="int64") for column in EVIDENCE_COLUMNS}).astype(
        {"source": "object"}
    )


def prepare_evidence(frame: pd.DataFrame) -> PreparedEvidence:
    """Sort once; ``frame`` holds :data:`EVIDENCE_COLUMNS` with ``observed`` in UTC nanoseconds.

    Corrected records must already be left out (the loader does it, as ``evidence_in_force`` does).
    The frame is taken apart column by column, so that a large report never holds two sorted copies.
    """
    valid_days = settings.LEVEL_EVIDENCE_VALID_DAYS
    source = frame["source"]
    if not isinstance(source.dtype, pd.CategoricalDtype) or list(source.cat.categories) != SOURCE_CODES:
        source = source.astype(str).astype(pd.CategoricalDtype(SOURCE_CODES))
    codes = source.cat.codes.to_numpy()
    del source
    if len(codes) and codes.min() < 0:
        raise ValueError("Evidence with an unknown source cannot be ranked.")
    rank_of = np.array([SOURCE_RANK[code] for code in SOURCE_CODES], dtype="int8")
    days_of = np.array([valid_days[code] for code in SOURCE_CODES], dtype="int64")
    columns = {
        "ids": frame["id"].to_numpy(dtype="int64"),
        "employee": frame["employee_id"].to_numpy(),
        "competency": frame["competency_id"].to_numpy(),
        "level": frame["level"].to_numpy(),
        "observed": frame["observed"].to_numpy(dtype="int64"),
        "unit": frame["org_unit_id"].to_numpy(),
        "group": frame["personnel_group_id"].to_numpy(),
    }
    del frame  # from here on only the arrays hold the data
    columns["rank"] = rank_of[codes]
    columns["expires"] = columns["observed"] + days_of[codes] * NS_PER_DAY
    del codes
    by_time_order = np.lexsort((columns["ids"], columns["observed"], columns["employee"]))
    by_time = pd.DataFrame(
        {
            "employee_id": columns["employee"][by_time_order],
            "observed": columns["observed"][by_time_order],
            "org_unit_id": columns.pop("unit")[by_time_order],
            "personnel_group_id": columns.pop("group")[by_time_order],
        }
    )
    del by_time_order
    order = np.lexsort(
        (columns["ids"], columns["observed"], columns["rank"], columns["competency"], columns["employee"])
    )
    for name in list(columns):
        columns[name] = columns[name][order]  # the unsorted array is freed as it is replaced
    return PreparedEvidence(by_time=by_time, **columns)


def _last_per_key(*keys: np.ndarray) -> np.ndarray:
    """For arrays sorted by ``keys``, True on the last row of each run of equal keys."""
    n = len(keys[0])
    if n == 0:
        return np.zeros(0, dtype=bool)
    last = np.zeros(n, dtype=bool)
    last[-1] = True
    change = np.zeros(n - 1, dtype=bool)
    for key in keys:
        change |= key[1:] != key[:-1]
    last[:-1] = change
    return last


def levels_at(evidence: PreparedEvidence, moment: dt.datetime) -> pd.DataFrame:
    """Each employee's level per competency at ``moment``, as ``current_levels_bulk`` decides it.

    Columns: employee_id, competency_id, level, rank (3 confirmed by assessment or manager,
    2 course or import, 1 self-rated only), evidence_id (the deciding record).
    """
    m = moment_ns(moment)
    counting = (evidence.observed <= m) & (evidence.expires >= m)
    index = np.flatnonzero(counting)
    employee = evidence.employee[index]
    competency = evidence.competency[index]
    deciding = index[_last_per_key(employee, competency)]
    return pd.DataFrame(
        {
            "employee_id": evidence.employee[deciding],
            "competency_id": evidence.competency[deciding],
            "level": evidence.level[deciding],
            "rank": evidence.rank[deciding],
            "evidence_id": evidence.ids[deciding],
        }
    )


def placement_at(
    evidence: PreparedEvidence, employees: pd.DataFrame, moment: dt.datetime, *, structure: str = "at_time"
) -> pd.DataFrame:
    """Who is on the staff at ``moment`` and where they count.

    ``employees`` has employee_id, org_unit_id, personnel_group_id (today's), start and end (ns):
    only people on the staff at ``moment`` count.
    With ``structure="at_time"`` a person counts in the unit and group recorded with their most
    recent evidence observed by ``moment`` (today's when they had none yet), so a transfer does
    not rewrite history. ``structure="today"`` places everyone by today's structure.
    """
    m = moment_ns(moment)
    on_staff = employees["start"].to_numpy() <= m
    if "end" in employees:
        on_staff &= employees["end"].to_numpy() >= m
    staff = employees[on_staff][["employee_id", "org_unit_id", "personnel_group_id"]]
    if structure == "today" or staff.empty:
        return staff.reset_index(drop=True)
    if structure != "at_time":
        raise ValueError(f"Unknown structure {structure!r}: use 'at_time' or 'today'.")
    by_time = evidence.by_time
    employee = by_time["employee_id"].to_numpy()
    seen = np.flatnonzero(by_time["observed"].to_numpy() <= m)  # positions only: no copy of the rows
    latest_rows = seen[_last_per_key(employee[seen])]
    latest = pd.DataFrame(
        {
            "org_unit_id": by_time["org_unit_id"].to_numpy()[latest_rows],
            "personnel_group_id": by_time["personnel_group_id"].to_numpy()[latest_rows],
        },
        index=pd.Index(employee[latest_rows], name="employee_id"),
    )
    staff = staff.set_index("employee_id")
    unit = latest["org_unit_id"].reindex(staff.index)
    group = latest["personnel_group_id"].reindex(staff.index)
    placed = pd.DataFrame(
        {
            "org_unit_id": unit.fillna(staff["org_unit_id"]).astype("int64"),
            "personnel_group_id": group.fillna(staff["personnel_group_id"]).astype("int64"),
        },
        index=staff.index,
    )
    return placed.reset_index()
