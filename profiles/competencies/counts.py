"""The workforce kept counted at fixed moments, so that a report reads a few thousand cells instead
of scanning the timeline.

At a counted moment (``CountedMoment``: the end of a day in Bangkok, a fiscal quarter's or the day
of a report "to date") the cells say how many people were on the staff per org unit and
personnel group (``StaffCell``), and how many of them held each confirmed level of each competency
(``LevelCell``), placed both ways the report offers (where they were at the time, and by today's
structure). The rules are the report's (see ``scan_cells``).

The cells are kept exact, not refreshed on a schedule: whatever changes a person's intervals
(``timeline.timeline_refresh``) or record (``Employee.save`` through ``organisation.changes``) counts
those people at every counted moment before and after, in the database, and adds the difference, in
the same transaction. A moment that is not counted (a report's "now") is read from the end of its
day, minus the difference of the few people whose intervals, placement or employment change between
the two (``changed_between``): only what is already scheduled, such as evidence dated later that
day. ``counts_differences`` compares the cells with a count from scratch
(``manage.py rebuild_timeline --check``).

On PostgreSQL, writers hold ``ROW SHARE`` on the counted moments while they add a difference, and
adding a counted moment takes ``EXCLUSIVE``: a new moment is counted from what is committed, and no
write can slip between its count and its first difference. Rows are written in key order, so two
writers never wait on each other in a cycle.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator

import numpy as np
import pandas as pd
from django.db import connection, transaction

from skills_site.thai_calendar import BANGKOK, bangkok_date

from ..organisation.changes import employees_in_bulk
from ..organisation.models import Employee
from .levels import CONFIRMED_RANK
from .models import CountedMoment, LevelCell, LevelInterval, PlacementInterval, StaffCell, Structure

STRUCTURES = (Structure.AT_TIME, Structure.TODAY)
STAFF_COLUMNS = ["k", "structure", "unit_id", "group_id", "n"]
LEVEL_COLUMNS = ["k", "structure", "unit_id", "group_id", "competency_id", "level", "n"]
# A moment is counted from the nearest counted one before it when it is at most this far: the people
# who changed in between are few; further apart, a count from scratch is cheaper.
FROM_NEIGHBOUR = dt.timedelta(days=35)
# Counted day ends that are not a fiscal quarter's end (bases for "to date"): the newest few are kept.
ROLLING_KEPT = 3


def day_end(day: dt.date) -> dt.datetime:
    """The last instant of a day in Bangkok: the moments that can be counted."""
    return dt.datetime.combine(day, dt.time.max, tzinfo=BANGKOK)


def is_day_end(at: dt.datetime) -> bool:
    return at.astimezone(BANGKOK).time() == dt.time.max


def counted_base(at: dt.datetime) -> dt.datetime:
    """The counted moment a moment is read from: the end of its day. Between an instant and the end
    of its day only what is already scheduled can change (a level that lapses later today), so the
    difference is a handful of people however busy the day was; the writes of the day keep it exact."""
    return day_end(bangkok_date(at))


def is_quarter_end(at: dt.datetime) -> bool:
    local = at.astimezone(BANGKOK)
    return is_day_end(at) and local.month in (3, 6, 9, 12) and (local + dt.timedelta(days=1)).day == 1


# --- counting from the timeline ------------------------------------------------------------------


def _people_filter(people) -> tuple[str, list]:
    """``people``: None (everyone), ids, or an SQL subquery of ids with its parameters."""
    if people is None:
        return "", []
    if isinstance(people, tuple):
        sql, params = people
        return f" AND e.id IN ({sql})", list(params)
    ids = sorted({int(pk) for pk in people})
    if not ids:
        return " AND 1 = 0", []
    return f" AND e.id IN ({', '.join(['%s'] * len(ids))})", ids


def _scan_raw(moment_ats: list[dt.datetime], *, people=None) -> tuple[list, list]:
    """The two aggregate queries behind ``scan_cells``: rows with both placements side by side."""
    if not moment_ats:
        return [], []
    ops = connection.ops
    params: list = []
    for index, at in enumerate(moment_ats):
        params += [index, ops.adapt_datetimefield_value(at), ops.adapt_datefield_value(bangkok_date(at))]
    row = "(%s::integer, %s::timestamptz, %s::date)" if connection.vendor == "postgresql" else "(%s, %s, %s)"
    values = ", ".join([row] * len(moment_ats))
    who, who_params = _people_filter(people)
    employee, placement, level = (
        Employee._meta.db_table, PlacementInterval._meta.db_table, LevelInterval._meta.db_table
    )  # fmt: skip
    staff = f"""
        WITH m(k, moment_at, moment_day) AS (VALUES {values}),
        staff AS (
            SELECT m.k AS k, m.moment_at AS moment_at, e.id AS employee_id,
                   COALESCE(p.org_unit_id, e.org_unit_id) AS unit_at,
                   COALESCE(p.personnel_group_id, e.personnel_group_id) AS group_at,
                   e.org_unit_id AS unit_today, e.personnel_group_id AS group_today
            FROM m
            JOIN {employee} e ON e.start_date <= m.moment_day
                 AND (e.end_date IS NULL OR e.end_date >= m.moment_day)
                 AND (e.is_active OR e.end_date IS NOT NULL){who}
            LEFT JOIN {placement} p ON p.employee_id = e.id AND p.valid_from <= m.moment_at
                 AND (p.valid_until IS NULL OR p.valid_until > m.moment_at)
        )"""
    staff_sql = f"""{staff}
        SELECT k, unit_at, group_at, unit_today, group_today, COUNT(*) FROM staff
        GROUP BY k, unit_at, group_at, unit_today, group_today"""
    levels_sql = f"""{staff}
        SELECT s.k, s.unit_at, s.group_at, s.unit_today, s.group_today, i.competency_id, i.level, COUNT(*)
        FROM staff s
        JOIN {level} i ON i.employee_id = s.employee_id AND i.valid_from <= s.moment_at
             AND (i.valid_until IS NULL OR i.valid_until > s.moment_at)
        WHERE i.rank >= %s
        GROUP BY s.k, s.unit_at, s.group_at, s.unit_today, s.group_today, i.competency_id, i.level"""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL work_mem = '64MB'")  # room to group the cells in memory
        cursor.execute(staff_sql, params + who_params)
        staff_rows = cursor.fetchall()
        cursor.execute(levels_sql, params + who_params + [int(CONFIRMED_RANK)])
        level_rows = cursor.fetchall()
    return staff_rows, level_rows


def _summed(raw, sign: int = 1, sums: tuple[dict, dict] | None = None) -> tuple[dict, dict]:
    """Raw rows (k, unit at the time, group, unit today, group, [competency, level], n) added, times
    ``sign``, into one count per cell and structure: {(k, structure, unit, group): n} for the staff,
    {(k, structure, unit, group, competency, level): n} for the levels."""
    staff, levels = sums if sums is not None else ({}, {})
    at_time, today = str(Structure.AT_TIME), str(Structure.TODAY)
    for into, rows in ((staff, raw[0]), (levels, raw[1])):
        for k, unit_at, group_at, unit_today, group_today, *rest in rows:
            n = rest.pop() * sign
            for key in ((k, at_time, unit_at, group_at, *rest), (k, today, unit_today, group_today, *rest)):
                into[key] = into.get(key, 0) + n
    return staff, levels


def scan_cells(moment_ats: list[dt.datetime], *, people=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Count the stored timeline at these moments, both structures: two aggregate queries.

    A person counts from the start of their first day to the end of their last (Bangkok dates; an
    inactive record without an end date is left out), in the unit and group of their placement then
    (today's where they have none) or by today's; their levels count when confirmed. Rows are
    ``STAFF_COLUMNS`` and ``LEVEL_COLUMNS``, ``k`` the moment's position in ``moment_ats``.
    """
    staff, levels = _summed(_scan_raw(moment_ats, people=people))
    return _sums_frame(staff, STAFF_COLUMNS), _sums_frame(levels, LEVEL_COLUMNS)


def _sums_frame(sums: dict, columns: list[str]) -> pd.DataFrame:
    keys = [c for c in columns if c != "n"]
    if not sums:
        empty = {name: pd.Series(dtype=object if name == "structure" else "int64") for name in columns}
        return pd.DataFrame(empty)
    frame = pd.DataFrame(list(sums), columns=keys)
    frame["n"] = np.fromiter(sums.values(), dtype="int64", count=len(sums))
    for name in keys:
        if name != "structure":
            frame[name] = frame[name].astype("int64")
    return frame


def changed_between(start: dt.datetime, end: dt.datetime) -> tuple[str, list]:
    """An SQL subquery of the people whose count may differ between two moments: a confirmed level,
    a placement beginning or ending in between, or a first or last day in between (a few extra
    people, counted the same at both, change nothing)."""
    ops = connection.ops
    after, until = ops.adapt_datetimefield_value(start), ops.adapt_datetimefield_value(end)
    first, last = ops.adapt_datefield_value(bangkok_date(start)), ops.adapt_datefield_value(bangkok_date(end))
    employee, placement, level = (
        Employee._meta.db_table, PlacementInterval._meta.db_table, LevelInterval._meta.db_table
    )  # fmt: skip
    sql = f"""
        SELECT employee_id FROM {level} WHERE valid_from > %s AND valid_from <= %s AND rank >= %s
        UNION SELECT employee_id FROM {level} WHERE valid_until > %s AND valid_until <= %s AND rank >= %s
        UNION SELECT employee_id FROM {placement} WHERE valid_from > %s AND valid_from <= %s
        UNION SELECT employee_id FROM {placement} WHERE valid_until > %s AND valid_until <= %s
        UNION SELECT id FROM {employee} WHERE start_date >= %s AND start_date <= %s
        UNION SELECT id FROM {employee} WHERE end_date >= %s AND end_date <= %s"""
    rank = int(CONFIRMED_RANK)
    params = [after, until, rank, after, until, rank, after, until, after, until, first, last, first, last]
    return sql, params


# --- the stored cells ----------------------------------------------------------------------------


def _lock(mode: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {CountedMoment._meta.db_table} IN {mode} MODE")


def _add(moment_ids: list[int], staff: pd.DataFrame, levels: pd.DataFrame) -> None:
    """Add these rows (``k`` indexing ``moment_ids``) to the stored cells."""
    sums: tuple[dict, dict] = ({}, {})
    for into, frame in zip(sums, (staff, levels), strict=True):
        for *key, n in frame.itertuples(index=False, name=None):
            key = tuple(key)
            into[key] = into.get(key, 0) + int(n)
    _write(moment_ids, *sums)


def _write(moment_ids: list[int], staff: dict, levels: dict) -> None:
    """Add the summed counts (keys start with the position in ``moment_ids``) to the stored cells, in
    key order, leaving out what adds nothing."""
    for model, sums, keys in (
        (StaffCell, staff, ["moment_id", "structure", "org_unit_id", "personnel_group_id"]),
        (
            LevelCell,
            levels,
            ["moment_id", "structure", "org_unit_id", "personnel_group_id", "competency_id", "level"],
        ),
    ):
        rows = sorted(
            (int(moment_ids[key[0]]), key[1], *(int(v) for v in key[2:]), n) for key, n in sums.items() if n
        )
        if not rows:
            continue
        table = model._meta.db_table
        columns = ", ".join([*keys, '"count"'])
        upsert = f'ON CONFLICT ({", ".join(keys)}) DO UPDATE SET "count" = {table}."count" + excluded."count"'
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # one array per column: a statement per structure
                numbers = [name for name in [*keys, "n"] if name != "structure"]
                arrays = ", ".join(["%s::bigint[]"] * len(numbers))
                selected = ", ".join("%s" if name == "structure" else f"u.{name}" for name in [*keys, "n"])
                for structure in sorted({row[1] for row in rows}):
                    mine = [row for row in rows if row[1] == structure]
                    cursor.execute(
                        f"INSERT INTO {table} ({columns}) SELECT {selected} "
                        f"FROM unnest({arrays}) AS u({', '.join(numbers)}) {upsert}",
                        [structure]
                        + [_array_literal(row[i] for row in mine) for i in range(len(keys) + 1) if i != 1],
                    )
            else:
                placeholders = ", ".join(["%s"] * (len(keys) + 1))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) {upsert}", rows)


def _array_literal(values) -> str:
    """An integer array as PostgreSQL's text form: far quicker to send than a list of ints."""
    return "{" + ",".join(map(str, values)) + "}"


@contextlib.contextmanager
def counts_kept(employee_ids: set[int]) -> Iterator[None]:
    """Keep the counted moments exact across a change of these people's intervals or records: count
    them before and after (ids added to the set inside the block count after), add the difference.
    Inside ``employees_changing_in_bulk`` it leaves them alone: everything is recounted at the end."""
    if employees_in_bulk():
        yield
        return
    with transaction.atomic():
        before_ids = sorted(employee_ids)
        if before_ids:
            # writes for the same person queue here (``timeline_refresh`` takes the same locks)
            list(Employee.objects.select_for_update().filter(id__in=before_ids).values_list("id", flat=True))
        _lock("ROW SHARE")
        kept = list(CountedMoment.objects.order_by("moment_at").values_list("id", "moment_at"))
        ats = [at for _id, at in kept]
        sums = _summed(_scan_raw(ats, people=before_ids), sign=-1) if kept and before_ids else None
        yield
        if not kept or not employee_ids:
            return
        sums = _summed(_scan_raw(ats, people=sorted(employee_ids)), sums=sums)
        _write([moment_id for moment_id, _at in kept], *sums)


def counts_keep(moment_ats: Iterable[dt.datetime]) -> None:
    """Start counting at these day ends (those not counted yet): from the nearest counted moment
    before, within ``FROM_NEIGHBOUR``, plus the difference of who changed in between; else from scratch."""
    wanted = sorted({at for at in moment_ats})
    if any(not is_day_end(at) for at in wanted):
        raise ValueError("Only the end of a day in Bangkok can be a counted moment.")
    with transaction.atomic():
        _lock("EXCLUSIVE")
        kept = dict(CountedMoment.objects.values_list("moment_at", "id"))
        for at in wanted:
            if at in kept:
                continue
            base = max((k for k in kept if k < at and at - k <= FROM_NEIGHBOUR), default=None)
            moment = CountedMoment.objects.create(moment_at=at)
            if base is None:
                staff, levels = scan_cells([at])
                _add([moment.id], staff, levels)
            else:
                staff, levels = stored_cells([kept[base]])
                changed_staff, changed_levels = scan_cells([at, base], people=changed_between(base, at))
                staff = pd.concat([staff, _at_position(changed_staff, 0, 1)], ignore_index=True)
                levels = pd.concat([levels, _at_position(changed_levels, 0, 1)], ignore_index=True)
                _add([moment.id], staff, levels)
            kept[at] = moment.id
        rolling = sorted(at for at in kept if not is_quarter_end(at))
        stale = rolling[:-ROLLING_KEPT]
        if stale:
            CountedMoment.objects.filter(moment_at__in=stale).delete()


def _at_position(frame: pd.DataFrame, plus: int, minus: int) -> pd.DataFrame:
    """Rows at position ``plus`` as they are and at ``minus`` negated, all moved to position 0."""
    frame = frame[frame["k"].isin([plus, minus])]
    sign = np.where(frame["k"].to_numpy() == plus, 1, -1)
    return frame.assign(k=0, n=frame["n"].to_numpy() * sign)


def _cell_rows(
    moment_ids: list[int], structure: str, competency_ids: list[int] | None
) -> tuple[np.ndarray, np.ndarray]:
    """The stored cells of these counted moments placed by one structure, as integer arrays:
    staff (k, unit, group, n) and levels (k, unit, group, competency, level, n), ``k`` the position
    in ``moment_ids``. Read with the cursor: at 100,000 staff a report reads some 100,000 cells."""
    if not moment_ids:
        return np.zeros((0, 4), dtype="int64"), np.zeros((0, 6), dtype="int64")
    ids = ", ".join(str(int(i)) for i in moment_ids)
    only = ""
    if competency_ids is not None:
        only = f" AND competency_id IN ({', '.join(str(int(c)) for c in competency_ids) or 'NULL'})"
    Structure.checked(structure)
    where = f"moment_id IN ({ids}) AND structure = '{structure}' AND \"count\" <> 0"
    staff_columns = ["moment_id", "org_unit_id", "personnel_group_id", '"count"']
    level_columns = ["moment_id", "org_unit_id", "personnel_group_id", "competency_id", "level", '"count"']
    staff = _integer_rows(
        f"SELECT {', '.join(staff_columns)} FROM {StaffCell._meta.db_table} WHERE {where}", staff_columns
    )
    levels = _integer_rows(
        f"SELECT {', '.join(level_columns)} FROM {LevelCell._meta.db_table} WHERE {where}{only}",
        level_columns,
    )
    order = np.array(moment_ids, dtype="int64")
    sorter = np.argsort(order)
    for rows in (staff, levels):
        rows[:, 0] = sorter[np.searchsorted(order, rows[:, 0], sorter=sorter)]
    return staff, levels


def _integer_rows(sql: str, columns: list[str]) -> np.ndarray:
    """Rows of integers as an array. On PostgreSQL as one comma-separated text parsed in C: reading
    the 100,000-odd cells of a report as Python tuples took longer than the database took to find them."""
    width = len(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            row = f"concat_ws(',', {', '.join(columns)})"
            cursor.execute(f"SELECT string_agg({row}, ',') FROM ({sql}) AS cells")
            text = cursor.fetchone()[0]
            if not text:
                return np.zeros((0, width), dtype="int64")
            return np.fromstring(text, dtype="int64", sep=",").reshape(-1, width)
        cursor.execute(sql)
        return np.array(cursor.fetchall(), dtype="int64").reshape(-1, width)


def stored_cells(moment_ids: list[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The stored cells of these counted moments, both structures, as ``STAFF_COLUMNS`` and
    ``LEVEL_COLUMNS`` rows (``k`` the position in ``moment_ids``)."""
    staff_parts, level_parts = [], []
    for structure in STRUCTURES:
        staff, levels = _cell_rows(moment_ids, str(structure), None)
        staff_parts.append(_frame(staff, structure, STAFF_COLUMNS))
        level_parts.append(_frame(levels, structure, LEVEL_COLUMNS))
    return pd.concat(staff_parts, ignore_index=True), pd.concat(level_parts, ignore_index=True)


def _frame(rows: np.ndarray, structure, columns: list[str]) -> pd.DataFrame:
    names = [c for c in columns if c != "structure"]
    frame = pd.DataFrame(rows, columns=names)
    frame.insert(1, "structure", str(structure))
    return frame[columns]


def _rows_of(frame: pd.DataFrame, structure: str, columns: list[str]) -> np.ndarray:
    """A scan's rows for one structure as an integer array of ``columns``."""
    return frame.loc[frame["structure"] == structure, columns].to_numpy("int64")


def counted_cells(
    moment_ats: list[dt.datetime], *, structure: str, competency_ids: Iterable[int]
) -> tuple[np.ndarray, np.ndarray]:
    """The workforce counted at these moments, placed by ``structure``, as cell rows for
    ``reports.capability.counts_from_cells``: staff (k, unit, group, n) and levels (k, unit, group,
    competency, level, n), ``k`` the moment's position. Rows of one cell may repeat (they add up).

    A day end is read from its counted cells (counted first if it is not yet); any other moment is
    the end of its day minus the difference of the few people whose count changes later that day.
    """
    Structure.checked(structure)
    competency_ids = sorted({int(c) for c in competency_ids})
    base_of = {at: counted_base(at) for at in moment_ats}
    needed = sorted(set(base_of.values()))
    if not needed:
        return np.zeros((0, 4), dtype="int64"), np.zeros((0, 6), dtype="int64")
    if CountedMoment.objects.filter(moment_at__in=needed).count() < len(needed):
        counts_keep(needed)
    with _consistent_read():
        _lock("ROW SHARE")  # no counted moment is added or dropped while we read
        ids = dict(CountedMoment.objects.filter(moment_at__in=needed).values_list("moment_at", "id"))
        if len(ids) < len(needed):  # dropped in between by another request keeping newer ones
            raise RuntimeError("A counted moment went away while it was read; try again.")
        staff, levels = _cell_rows([ids[at] for at in needed], structure, competency_ids)
        slot = {at: k for k, at in enumerate(needed)}
        staff_parts, level_parts = [], []
        for k, at in enumerate(moment_ats):
            for rows, parts in ((staff, staff_parts), (levels, level_parts)):
                mine = rows[rows[:, 0] == slot[base_of[at]]].copy()
                mine[:, 0] = k
                parts.append(mine)
        between = [(k, at, base_of[at]) for k, at in enumerate(moment_ats) if base_of[at] != at]
        if between:  # every such moment and its base in one count, of anyone who changed in any gap
            subqueries = [changed_between(at, base) for _k, at, base in between]
            people = (" UNION ".join(sql for sql, _p in subqueries), [p for _s, ps in subqueries for p in ps])
            pairs = [moment for _k, at, base in between for moment in (at, base)]
            changed_staff, changed_levels = scan_cells(pairs, people=people)
            changed_staff = _rows_of(changed_staff, structure, ["k", "unit_id", "group_id", "n"])
            changed_levels = _rows_of(
                changed_levels[changed_levels["competency_id"].isin(competency_ids)],
                structure,
                ["k", "unit_id", "group_id", "competency_id", "level", "n"],
            )
            for j, (k, _at, _base) in enumerate(between):
                for rows, parts in ((changed_staff, staff_parts), (changed_levels, level_parts)):
                    mine = rows[(rows[:, 0] == 2 * j) | (rows[:, 0] == 2 * j + 1)].copy()
                    mine[:, -1] *= np.where(mine[:, 0] == 2 * j, 1, -1)
                    mine[:, 0] = k
                    parts.append(mine)
    return np.concatenate(staff_parts), np.concatenate(level_parts)


@contextlib.contextmanager
def _consistent_read() -> Iterator[None]:
    """One snapshot for the stored cells and the differences added to them (PostgreSQL's repeatable
    read when this is the outermost transaction)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def counts_recount() -> None:
    """Count every counted moment again from scratch (after a change in bulk), writers kept out."""
    with transaction.atomic():
        _lock("EXCLUSIVE")
        kept = list(CountedMoment.objects.order_by("moment_at").values_list("id", "moment_at"))
        if not kept:
            return
        ids = [moment_id for moment_id, _at in kept]
        StaffCell.objects.filter(moment_id__in=ids).delete()
        LevelCell.objects.filter(moment_id__in=ids).delete()
        staff, levels = scan_cells([at for _id, at in kept])
        _add(ids, staff, levels)


def counts_reset() -> list[dt.datetime]:
    """Forget every counted moment (before a rebuild of the whole timeline); returns them."""
    with transaction.atomic():
        _lock("EXCLUSIVE")
        moments = list(CountedMoment.objects.order_by("moment_at").values_list("moment_at", flat=True))
        CountedMoment.objects.all().delete()
    return moments


def counts_differences(*, limit: int = 50) -> list[str]:
    """Where the counted cells differ from the timeline counted from scratch (empty when exact)."""
    kept = list(CountedMoment.objects.order_by("moment_at").values_list("id", "moment_at"))
    if not kept:
        return []
    with _consistent_read():
        stored = stored_cells([moment_id for moment_id, _at in kept])
        scanned = scan_cells([at for _id, at in kept])
    differences = []
    for name, mine, fresh in (("staff", stored[0], scanned[0]), ("level", stored[1], scanned[1])):
        keys = [c for c in mine.columns if c != "n"]
        merged = (
            mine.groupby(keys)["n"].sum().to_frame("stored")
            .join(fresh.groupby(keys)["n"].sum().to_frame("counted"), how="outer")
            .fillna(0)
        )  # fmt: skip
        wrong = merged[merged["stored"] != merged["counted"]]
        for key, values in wrong.head(limit - len(differences)).iterrows():
            cell = dict(zip(keys, key if isinstance(key, tuple) else (key,), strict=True))
            at = kept[int(cell.pop("k"))][1].astimezone(BANGKOK)
            differences.append(
                f"{name} cell {cell} at {at:%Y-%m-%d}: kept {int(values['stored'])}, "
                f"the timeline gives {int(values['counted'])}"
            )
        if len(differences) >= limit:
            break
    return differences
