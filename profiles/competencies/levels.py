"""The level policy: the one place that turns the evidence log into a level.

How a level is derived, for one employee and one competency, at a moment t:

1. **What counts.** Evidence observed at or before t that has not expired by t and has not been
   corrected. Evidence counts for a whole number of days per source
   (``settings.LEVEL_EVIDENCE_VALID_DAYS``: three years for assessments, manager reviews, courses
   and imports, one year for self-assessments), counted in Bangkok calendar days with the day of
   observation as day 1: evidence observed on 1 Oct 2024 for 365 days counts through 30 Sep 2025
   and no longer from 00:00 on 1 Oct 2025. A record that a later record ``corrects`` never counts,
   at any date (a correction says the original was wrong, so it changes figures for earlier dates
   too; a report "as recorded on" an earlier day leaves out what was recorded after it).
2. **Which source decides.** Sources are ranked by how much they can be trusted: assessment =
   manager review (3) > completed course = imported rating (2) > self-assessment (1). The level
   comes from the highest rank that has counting evidence, so an unconfirmed self-rating never
   outranks an assessment or a manager review, whatever its date or level.
3. **How results of that rank combine** (``settings.LEVEL_COMBINATION_METHODS``, per source): the
   counting records of the deciding rank are taken in order (observation time, then recording
   time, then id) and each applies its source's method to the level so far:
   - ``highest`` (assessments, courses): raises the level to its own if higher, never lowers it:
     the highest level demonstrated within validity, so one bad day does not erase a level;
   - ``most_recent`` (manager reviews, imports, self-assessments): sets the level to its own, up or
     down: a manager can lower a level (with a reason);
   - ``decaying_average``: as Canvas defines it, each new result counts for
     ``LEVEL_DECAYING_AVERAGE_WEIGHT`` per cent (65 by default) and the average so far for the
     rest; the level is the result rounded half up.
   The deciding record is the one that last set or confirmed the level.
4. **Ties** (the same observation time): the record recorded later comes later in that order;
   with the same recording time too, the higher id.

No counting evidence means no level ("not yet assessed"), which is different from level 0.

``level_timeline`` applies the policy over the whole history of one pair, giving the intervals in
which each level held; those are stored (``LevelInterval``) as evidence is recorded, and reports,
team pages and "My skills" read them. ``decide`` answers for one moment, with every record that
counted, for "why is this person at level 3?".
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet, TextChoices
from django.utils.translation import gettext_lazy as _

from skills_site.thai_calendar import BANGKOK

from ..organisation.models import Employee
from .models import LevelEvidence, LevelInterval

Source = LevelEvidence.Source

SOURCE_RANK: dict[str, int] = {
    Source.ASSESSMENT: 3,
    Source.MANAGER_REVIEW: 3,
    Source.COURSE: 2,
    Source.IMPORT: 2,
    Source.SELF_ASSESSMENT: 1,
    Source.PRIOR_LEARNING: 2,  # reviewed by a manager or HR, not measured by a test: like a course or import
}
# A level counts towards a plan target from a course or import upwards; a self-assessment alone does not.
CONFIRMED_RANK = SOURCE_RANK[Source.COURSE]


class Method(TextChoices):
    HIGHEST = "highest", _("the highest result within validity")
    MOST_RECENT = "most_recent", _("the most recent result")
    DECAYING_AVERAGE = "decaying_average", _("a decaying average of the results")


class EvidenceRow(NamedTuple):
    """The fields of one evidence record that the policy needs; bulk reads use these."""

    id: int
    employee_id: int
    competency_id: int
    level: int
    source: str
    observed_at: dt.datetime
    recorded_at: dt.datetime


EvidenceLike = LevelEvidence | EvidenceRow
ROW_FIELDS = EvidenceRow._fields


@dataclass
class CurrentLevel:
    """An employee's level in one competency at a moment, with the evidence behind it.

    ``deciding`` and ``counted`` hold full ``LevelEvidence`` records when details were asked for,
    and light ``EvidenceRow`` tuples otherwise; read from the timeline, ``counted`` is empty.
    """

    employee_id: int
    competency_id: int
    level: int
    deciding: EvidenceLike
    counted: list[EvidenceLike] = field(default_factory=list)
    method: str = Method.MOST_RECENT
    valid_until: dt.datetime | None = None  # when this level stops holding, as far as known now

    @property
    def source(self) -> str:
        return self.deciding.source

    @property
    def rank(self) -> int:
        return SOURCE_RANK[self.deciding.source]

    @property
    def is_self_rated(self) -> bool:
        return self.deciding.source == Source.SELF_ASSESSMENT

    @property
    def method_label(self) -> str:
        return Method(self.method).label


@dataclass(frozen=True)
class Interval:
    """One stretch of a pair's timeline: ``[valid_from, valid_until)``, open-ended when None."""

    valid_from: dt.datetime
    valid_until: dt.datetime | None
    level: int
    rank: int
    method: str
    deciding: EvidenceLike


def what_a_result_can_change(source: str) -> str:
    """For the page before an attempt or a review: how a new result of this source combines."""
    method = method_of(source)
    if method == Method.HIGHEST:
        return _(
            "The highest level you show within %(days)s days counts, so a weaker result does not lower "
            "a level you have shown; only a manager's review can lower it."
        ) % {"days": f"{valid_days(source):,}"}
    if method == Method.DECAYING_AVERAGE:
        return _(
            "Each new result counts for %(weight)s%% and the average of your earlier results within "
            "%(days)s days for the rest, so one result moves your level only part of the way."
        ) % {"weight": settings.LEVEL_DECAYING_AVERAGE_WEIGHT, "days": f"{valid_days(source):,}"}
    return _("Your newest result replaces the earlier ones, up or down; it counts for %(days)s days.") % {
        "days": f"{valid_days(source):,}"
    }


def valid_days(source: str) -> int:
    return settings.LEVEL_EVIDENCE_VALID_DAYS[source]


def method_of(source: str) -> str:
    return settings.LEVEL_COMBINATION_METHODS[source]


def expires_at(evidence: EvidenceLike) -> dt.datetime:
    """The first moment the record no longer counts: 00:00 Bangkok, ``valid_days`` after its day."""
    day = evidence.observed_at.astimezone(BANGKOK).date() + dt.timedelta(days=valid_days(evidence.source))
    return dt.datetime.combine(day, dt.time.min, tzinfo=BANGKOK)


def counts_at(evidence: EvidenceLike, moment: dt.datetime) -> bool:
    return evidence.observed_at <= moment < expires_at(evidence)


def as_of_moment(as_of: dt.date | dt.datetime | None) -> dt.datetime:
    """A date means the end of that day in Bangkok; None means now."""
    if as_of is None:
        return dt.datetime.now(tz=BANGKOK)
    if isinstance(as_of, dt.datetime):
        if as_of.tzinfo is None:
            return as_of.replace(tzinfo=BANGKOK)
        return as_of
    return dt.datetime.combine(as_of, dt.time.max, tzinfo=BANGKOK)


def order_key(evidence: EvidenceLike) -> tuple:
    """The order in which results are combined: observed, then recorded, then entered."""
    return (evidence.observed_at, evidence.recorded_at, evidence.id)


def round_half_up(value: float) -> int:
    return int(math.floor(value + 0.5))


def combine(records: list[EvidenceLike]) -> tuple[int, EvidenceLike, str]:
    """Fold the counting records of the deciding rank (in ``order_key`` order) into one level.

    Returns the level, the deciding record and the method of the deciding record's source.
    """
    weight = settings.LEVEL_DECAYING_AVERAGE_WEIGHT / 100
    state: float | None = None
    deciding = records[0]
    for record in records:
        method = method_of(record.source)
        if state is None or method == Method.MOST_RECENT:
            state, deciding = float(record.level), record
        elif method == Method.HIGHEST:
            if record.level >= state:
                state, deciding = float(record.level), record
        elif method == Method.DECAYING_AVERAGE:
            state, deciding = weight * record.level + (1 - weight) * state, record
        else:
            raise ValueError(f"Unknown combination method {method!r} for {record.source!r}")
    return round_half_up(state), deciding, method_of(deciding.source)


def decide(evidence: Iterable[EvidenceLike], moment: dt.datetime) -> CurrentLevel | None:
    """Apply the policy to the evidence of one employee in one competency (corrections removed)."""
    counted = [item for item in evidence if counts_at(item, moment)]
    if not counted:
        return None
    top = max(SOURCE_RANK[item.source] for item in counted)
    ranked = sorted((item for item in counted if SOURCE_RANK[item.source] == top), key=order_key)
    level, deciding, method = combine(ranked)
    counted.sort(key=lambda item: (SOURCE_RANK[item.source], *order_key(item)), reverse=True)
    return CurrentLevel(
        employee_id=deciding.employee_id,
        competency_id=deciding.competency_id,
        level=level,
        deciding=deciding,
        counted=counted,
        method=method,
        valid_until=_next_change(counted, moment),
    )


def _next_change(counted: list[EvidenceLike], moment: dt.datetime) -> dt.datetime | None:
    """The earliest expiry among the counting records: the level may change then (or later evidence)."""
    expiries = [expires_at(item) for item in counted if expires_at(item) > moment]
    return min(expiries, default=None)


def level_timeline(evidence: Iterable[EvidenceLike]) -> list[Interval]:
    """The whole history of one pair: the intervals in which each level (and deciding record) held.

    The level can only change when a record starts or stops counting, so the policy is applied at
    those instants; consecutive instants with the same outcome are one interval.
    """
    records = list(evidence)
    instants = sorted({item.observed_at for item in records} | {expires_at(item) for item in records})
    intervals: list[Interval] = []
    current: Interval | None = None
    for instant in instants:
        decided = decide(records, instant)
        same = (
            current is not None
            and decided is not None
            and (decided.level, decided.deciding.id, decided.rank)
            == (current.level, current.deciding.id, current.rank)
        )
        if same:
            continue
        if current is not None:
            intervals.append(_closed(current, instant))
            current = None
        if decided is not None:
            current = Interval(instant, None, decided.level, decided.rank, decided.method, decided.deciding)
    if current is not None:
        intervals.append(current)
    return intervals


def _closed(interval: Interval, until: dt.datetime) -> Interval:
    return Interval(
        interval.valid_from, until, interval.level, interval.rank, interval.method, interval.deciding
    )


class PlacementRow(NamedTuple):
    id: int
    employee_id: int
    observed_at: dt.datetime
    recorded_at: dt.datetime
    org_unit_at_time_id: int
    personnel_group_at_time_id: int


PLACEMENT_FIELDS = PlacementRow._fields


@dataclass(frozen=True)
class Placement:
    valid_from: dt.datetime
    valid_until: dt.datetime | None
    org_unit_id: int
    personnel_group_id: int


def placement_timeline(evidence: Iterable[PlacementRow]) -> list[Placement]:
    """Where one person counted over time: from each record of theirs (any competency, corrections
    included: a correction keeps the unit and group of the record it corrects) until the next
    record that names another unit or group. Before their first record they count where they are
    today."""
    placements: list[Placement] = []
    for row in sorted(evidence, key=order_key):
        where = (row.org_unit_at_time_id, row.personnel_group_at_time_id)
        if placements and (placements[-1].org_unit_id, placements[-1].personnel_group_id) == where:
            continue
        if placements:
            last = placements[-1]
            if last.valid_from == row.observed_at:  # two places at one instant: the later record's
                placements.pop()
            else:
                placements[-1] = Placement(
                    last.valid_from, row.observed_at, last.org_unit_id, last.personnel_group_id
                )
        placements.append(Placement(row.observed_at, None, *where))
    return placements


def evidence_in_force(
    employees: QuerySet[Employee] | Iterable[int],
    moment: dt.datetime,
    competency_ids: Iterable[int] | None = None,
    *,
    recorded_by_moment: dt.datetime | None = None,
) -> QuerySet[LevelEvidence]:
    """The evidence that may count at ``moment``: one query, whatever the number of employees.

    With ``recorded_by_moment``, as the log stood then: later records, and corrections recorded
    later (whose originals count again), are left out.
    """
    oldest = moment - dt.timedelta(days=max(settings.LEVEL_EVIDENCE_VALID_DAYS.values()) + 1)
    queryset = LevelEvidence.objects.filter(observed_at__lte=moment, observed_at__gte=oldest)
    corrections = LevelEvidence.objects.filter(corrects__isnull=False)
    if recorded_by_moment is not None:
        queryset = queryset.filter(recorded_at__lte=recorded_by_moment)
        corrections = corrections.filter(recorded_at__lte=recorded_by_moment)
    # NOT EXISTS, not NOT IN: an anti-join on the index of corrects, where NOT IN reads every
    # correction in the log into a hash first (70 ms for one person at 20,000 staff)
    queryset = queryset.filter(~Exists(corrections.filter(corrects=OuterRef("pk"))))
    if isinstance(employees, QuerySet):
        queryset = queryset.filter(employee__in=employees.values("id"))
    else:
        queryset = queryset.filter(employee_id__in=list(employees))
    if competency_ids is not None:
        queryset = queryset.filter(competency_id__in=list(competency_ids))
    return queryset


def current_levels_bulk(
    employees: QuerySet[Employee] | Iterable[int],
    *,
    as_of: dt.date | dt.datetime | None = None,
    competency_ids: Iterable[int] | None = None,
    with_details: bool = False,
    as_recorded_on: dt.date | dt.datetime | None = None,
    from_log: bool = False,
) -> dict[int, dict[int, CurrentLevel]]:
    """Levels of many employees at a moment: ``{employee_id: {competency_id: CurrentLevel}}``.

    One query for any number of employees (pass a queryset, e.g. a whole org unit). Employees
    without counting evidence in a competency have no entry for it. By default the answer is read
    from the stored timeline (``counted`` then stays empty); ``from_log`` applies the policy to the
    log instead, as do ``with_details`` (whole records, with who recorded them) and
    ``as_recorded_on`` (the log as it stood at the end of that day).
    """
    moment = as_of_moment(as_of)
    if not (with_details or from_log) and as_recorded_on is None:
        return _levels_from_timeline(employees, moment, competency_ids)
    recorded_by = as_of_moment(as_recorded_on) if as_recorded_on is not None else None
    queryset = evidence_in_force(employees, moment, competency_ids, recorded_by_moment=recorded_by)
    if with_details:
        items = queryset.select_related("recorded_by", "recorded_by__employee", "source_content_type")
    else:
        items = (EvidenceRow(*row) for row in queryset.values_list(*ROW_FIELDS))
    grouped: dict[tuple[int, int], list[EvidenceLike]] = defaultdict(list)
    for item in items:
        grouped[(item.employee_id, item.competency_id)].append(item)
    result: dict[int, dict[int, CurrentLevel]] = defaultdict(dict)
    for (employee_id, competency_id), records in grouped.items():
        decided = decide(records, moment)
        if decided is not None:
            result[employee_id][competency_id] = decided
    return dict(result)


def _levels_from_timeline(
    employees, moment: dt.datetime, competency_ids
) -> dict[int, dict[int, CurrentLevel]]:
    queryset = LevelInterval.objects.filter(valid_from__lte=moment).exclude(valid_until__lte=moment)
    if isinstance(employees, QuerySet):
        queryset = queryset.filter(employee__in=employees.values("id"))
    else:
        queryset = queryset.filter(employee_id__in=list(employees))
    if competency_ids is not None:
        queryset = queryset.filter(competency_id__in=list(competency_ids))
    rows = queryset.values_list(
        "employee_id",
        "competency_id",
        "level",
        "method",
        "valid_until",
        *(f"deciding__{f}" for f in ROW_FIELDS),
    )
    result: dict[int, dict[int, CurrentLevel]] = defaultdict(dict)
    for employee_id, competency_id, level, method, valid_until, *deciding in rows:
        result[employee_id][competency_id] = _interval_level(
            employee_id, competency_id, level, method, valid_until, deciding
        )
    return dict(result)


def _interval_level(employee_id, competency_id, level, method, valid_until, deciding) -> CurrentLevel:
    """A stored interval of the timeline as the level it holds (its deciding record's ROW_FIELDS)."""
    return CurrentLevel(
        employee_id=employee_id,
        competency_id=competency_id,
        level=level,
        deciding=EvidenceRow(*deciding),
        method=method,
        valid_until=valid_until,
    )


# Above this many employees, reading the competencies' whole timeline beats a list of ids.
_IDS_IN_QUERY = 2000


def levels_at_moments(
    wanted: Iterable[tuple[int, int, dt.date | dt.datetime]],
) -> dict[tuple[int, int, dt.datetime], CurrentLevel]:
    """Each (employee, competency)'s level at its own moment, read from the timeline in one query:
    what ``current_levels_bulk(as_of=moment)`` answers for each pair, for many moments at once.

    Keys are ``(employee_id, competency_id, moment)`` with the moment as ``as_of_moment`` gives it;
    a pair with no level then has no entry.
    """
    asked = [(int(e), int(c), as_of_moment(m)) for e, c, m in wanted]
    if not asked:
        return {}
    employee_ids = {e for e, _c, _m in asked}
    latest = max(m for _e, _c, m in asked)
    queryset = LevelInterval.objects.filter(
        valid_from__lte=latest, competency_id__in=sorted({c for _e, c, _m in asked})
    )
    if len(employee_ids) <= _IDS_IN_QUERY:
        queryset = queryset.filter(employee_id__in=sorted(employee_ids))
    intervals: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    for employee_id, competency_id, *interval in queryset.values_list(
        "employee_id", "competency_id", "valid_from", "valid_until", "level", "method",
        *(f"deciding__{f}" for f in ROW_FIELDS),
    ):  # fmt: skip
        if employee_id in employee_ids:
            intervals[(employee_id, competency_id)].append(interval)
    result = {}
    for employee_id, competency_id, moment in asked:
        for valid_from, valid_until, level, method, *deciding in intervals[(employee_id, competency_id)]:
            if valid_from <= moment and (valid_until is None or valid_until > moment):
                result[(employee_id, competency_id, moment)] = _interval_level(
                    employee_id, competency_id, level, method, valid_until, deciding
                )
                break
    return result


def current_levels(
    employee: Employee,
    *,
    as_of: dt.date | dt.datetime | None = None,
    competency_ids: Iterable[int] | None = None,
    with_details: bool = False,
    as_recorded_on: dt.date | dt.datetime | None = None,
) -> dict[int, CurrentLevel]:
    """Levels of one employee, with every record that counted: ``{competency_id: CurrentLevel}``."""
    levels = current_levels_bulk(
        [employee.id],
        as_of=as_of,
        competency_ids=competency_ids,
        with_details=with_details,
        as_recorded_on=as_recorded_on,
        from_log=True,
    )
    return levels.get(employee.id, {})
