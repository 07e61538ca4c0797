"""Keeping the level timeline: the stored result of the level policy over the whole evidence log.

Every evidence write refreshes the timeline of the pairs it touched in the same transaction
(``timeline_touch``), in a fixed number of queries however many pairs: the employee rows are
locked first, so two writes for the same person queue and the second sees the first's record.
Bulk writers (the HR import, the demo) wrap their work in ``timeline_deferred()`` and refresh
once at the end. ``timeline_rebuild`` recomputes from scratch; ``timeline_differences`` compares
what is stored with a rebuild (``manage.py rebuild_timeline --check``).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import transaction

from ..organisation.models import Employee
from .counts import counts_keep, counts_kept, counts_reset
from .levels import (
    PLACEMENT_FIELDS,
    ROW_FIELDS,
    EvidenceRow,
    Interval,
    Placement,
    PlacementRow,
    level_timeline,
    placement_timeline,
)
from .models import LevelEvidence, LevelInterval, PlacementInterval

_deferred: contextvars.ContextVar[set | None] = contextvars.ContextVar("timeline_deferred", default=None)

BATCH = 2000


def timeline_touch(pairs: Iterable[tuple[int, int]]) -> None:
    """Evidence of these (employee id, competency id) pairs changed: refresh them now, or at the end
    of the enclosing ``timeline_deferred()`` block."""
    pairs = set(pairs)
    if not pairs:
        return
    pending = _deferred.get()
    if pending is not None:
        pending |= pairs
        return
    timeline_refresh(pairs)


@contextlib.contextmanager
def timeline_deferred() -> Iterator[None]:
    """Collect the pairs touched inside the block and refresh them once, in bulk, at its end."""
    if _deferred.get() is not None:  # nested: the outer block refreshes
        yield
        return
    pending: set[tuple[int, int]] = set()
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    timeline_refresh(pending)


def evidence_rows(employee_ids: Iterable[int], competency_ids: Iterable[int] | None = None, *, log=None):
    """The policy's rows for these people, corrected records left out, grouped by pair; and their
    placement rows (corrections left out: a correction restates an observation, it is not one)."""
    log = LevelEvidence.objects.all() if log is None else log
    queryset = log.filter(employee_id__in=list(employee_ids))
    corrected = set(queryset.filter(corrects__isnull=False).values_list("corrects_id", flat=True))
    fields = sorted(set(ROW_FIELDS) | set(PLACEMENT_FIELDS) | {"corrects_id"})
    by_pair: dict[tuple[int, int], list[EvidenceRow]] = defaultdict(list)
    places: dict[int, list[PlacementRow]] = defaultdict(list)
    wanted = None if competency_ids is None else set(competency_ids)
    for values in queryset.values(*fields).iterator(chunk_size=BATCH):
        if values["corrects_id"] is None:
            places[values["employee_id"]].append(PlacementRow(*(values[f] for f in PLACEMENT_FIELDS)))
        if values["id"] in corrected or (wanted is not None and values["competency_id"] not in wanted):
            continue
        by_pair[(values["employee_id"], values["competency_id"])].append(
            EvidenceRow(*(values[f] for f in ROW_FIELDS))
        )
    return by_pair, places


@dataclass
class Timeline:
    levels: dict[tuple[int, int], list[Interval]]
    placements: dict[int, list[Placement]]


def timeline_compute(employee_ids: Iterable[int], competency_ids: Iterable[int] | None = None, *, log=None):
    """The timeline of these people computed from the log (``log``: a narrower queryset, e.g. the log
    as recorded by a past day), without storing it."""
    by_pair, places = evidence_rows(employee_ids, competency_ids, log=log)
    return Timeline(
        levels={pair: level_timeline(rows) for pair, rows in by_pair.items()},
        placements={employee_id: placement_timeline(rows) for employee_id, rows in places.items()},
    )


@transaction.atomic
def timeline_refresh(pairs: set[tuple[int, int]]) -> None:
    """Recompute and store the intervals of these pairs and the placements of their people."""
    if not pairs:
        return
    employee_ids = sorted({employee_id for employee_id, _c in pairs})
    competency_ids = sorted({competency_id for _e, competency_id in pairs})
    # Writes for the same person queue here, so the second one reads the first one's evidence.
    list(Employee.objects.select_for_update().filter(id__in=employee_ids).values_list("id", flat=True))
    timeline = timeline_compute(employee_ids, competency_ids)
    with counts_kept(set(employee_ids)):
        # Every pair of these people in these competencies is recomputed, touched or not: the same result.
        LevelInterval.objects.filter(employee_id__in=employee_ids, competency_id__in=competency_ids).delete()
        PlacementInterval.objects.filter(employee_id__in=employee_ids).delete()
        _store(timeline)


def _store(timeline: Timeline) -> None:
    LevelInterval.objects.bulk_create(
        (
            LevelInterval(
                employee_id=employee_id,
                competency_id=competency_id,
                valid_from=interval.valid_from,
                valid_until=interval.valid_until,
                level=interval.level,
                rank=interval.rank,
                method=interval.method,
                deciding_id=interval.deciding.id,
            )
            for (employee_id, competency_id), intervals in timeline.levels.items()
            for interval in intervals
        ),
        batch_size=BATCH,
    )
    PlacementInterval.objects.bulk_create(
        (
            PlacementInterval(
                employee_id=employee_id,
                valid_from=placement.valid_from,
                valid_until=placement.valid_until,
                org_unit_id=placement.org_unit_id,
                personnel_group_id=placement.personnel_group_id,
            )
            for employee_id, placements in timeline.placements.items()
            for placement in placements
        ),
        batch_size=BATCH,
    )


def _people_in_blocks(employee_ids: Iterable[int] | None, size: int = 2000) -> Iterator[list[int]]:
    ids = (
        list(Employee.objects.values_list("id", flat=True).order_by("id"))
        if employee_ids is None
        else sorted(employee_ids)
    )
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def timeline_rebuild(employee_ids: Iterable[int] | None = None) -> dict[str, int]:
    """Recompute the stored timeline from the whole log (of everyone, or of these people). The
    counted moments follow: for everyone they are counted again from scratch once at the end."""
    counts = {"people": 0, "intervals": 0, "placements": 0}
    counted = counts_reset() if employee_ids is None else []
    for block in _people_in_blocks(employee_ids):
        with transaction.atomic(), counts_kept(set(block)):
            timeline = timeline_compute(block)
            LevelInterval.objects.filter(employee_id__in=block).delete()
            PlacementInterval.objects.filter(employee_id__in=block).delete()
            _store(timeline)
        counts["people"] += len(block)
        counts["intervals"] += sum(len(v) for v in timeline.levels.values())
        counts["placements"] += sum(len(v) for v in timeline.placements.values())
    counts_keep(counted)
    return counts


def _stored_levels(block: list[int]) -> dict[tuple[int, int], list[tuple]]:
    stored: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    for row in (
        LevelInterval.objects.filter(employee_id__in=block)
        .order_by("valid_from")
        .values_list(
            "employee_id",
            "competency_id",
            "valid_from",
            "valid_until",
            "level",
            "rank",
            "method",
            "deciding_id",
        )
    ):
        stored[(row[0], row[1])].append(tuple(row[2:]))
    return stored


def _stored_placements(block: list[int]) -> dict[int, list[tuple]]:
    stored: dict[int, list[tuple]] = defaultdict(list)
    for row in (
        PlacementInterval.objects.filter(employee_id__in=block)
        .order_by("valid_from")
        .values_list("employee_id", "valid_from", "valid_until", "org_unit_id", "personnel_group_id")
    ):
        stored[row[0]].append(tuple(row[1:]))
    return stored


def timeline_differences(employee_ids: Iterable[int] | None = None, *, limit: int = 50) -> list[str]:
    """What the stored timeline says differently from a rebuild from the log (empty when consistent)."""
    differences: list[str] = []
    for block in _people_in_blocks(employee_ids):
        expected = timeline_compute(block)
        stored = _stored_levels(block)
        for pair in sorted(set(stored) | set(expected.levels)):
            want = [
                (i.valid_from, i.valid_until, i.level, i.rank, i.method, i.deciding.id)
                for i in expected.levels.get(pair, [])
            ]
            if stored.get(pair, []) != want:
                differences.append(
                    f"employee {pair[0]} competency {pair[1]}: stored {len(stored.get(pair, []))} "
                    f"interval(s), the log gives {len(want)}"
                )
        placed = _stored_placements(block)
        for employee_id in sorted(set(placed) | set(expected.placements)):
            want = [
                (p.valid_from, p.valid_until, p.org_unit_id, p.personnel_group_id)
                for p in expected.placements.get(employee_id, [])
            ]
            if placed.get(employee_id, []) != want:
                differences.append(f"employee {employee_id}: placements differ from the log")
        if len(differences) >= limit:
            break
    return differences[:limit]
