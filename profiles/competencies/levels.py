"""The level policy: the one place that turns the evidence log into a current level.

How a level is derived, for one employee and one competency, as of a moment D:

1. **What counts.** Evidence observed at or before D, that has not expired by D and has not been
   corrected. Evidence expires a fixed number of days after it was observed, per source
   (``settings.LEVEL_EVIDENCE_VALID_DAYS``: three years for assessments, manager reviews,
   courses and imports; one year for self-assessments). A record that a later record
   ``corrects`` never counts, at any date.
2. **Which source wins.** Sources are ranked by how much they can be trusted:
   assessment = manager review (3) > completed course = imported rating (2) > self-assessment (1).
   The level comes from the highest-ranked source that has counting evidence, so an unconfirmed
   self-rating never outranks an assessment or a manager review, whatever its date or level.
3. **Within that rank, the latest observation wins**: a newer assessment replaces an older one,
   up or down, because it describes the person now.
4. **Ties** (same rank and the same observation time): the record entered last (highest id)
   wins, so a correction entered for the same moment supersedes the original.

No counting evidence means no level ("not yet assessed"), which is different from level 0.
The result carries the deciding record and every other record that counted, so the interface
can answer "why is this person at level 3?".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.db.models import QuerySet

from skills_site.thai_calendar import BANGKOK

from ..organisation.models import Employee
from .models import LevelEvidence

Source = LevelEvidence.Source

SOURCE_RANK: dict[str, int] = {
    Source.ASSESSMENT: 3,
    Source.MANAGER_REVIEW: 3,
    Source.COURSE: 2,
    Source.IMPORT: 2,
    Source.SELF_ASSESSMENT: 1,
    Source.PRIOR_LEARNING: 2,  # reviewed by a manager or HR, not measured by a test: like a course or import
}


class EvidenceRow(NamedTuple):
    """The fields of one evidence record that the policy needs; bulk reads use these."""

    id: int
    employee_id: int
    competency_id: int
    level: int
    source: str
    observed_at: dt.datetime


EvidenceLike = LevelEvidence | EvidenceRow
ROW_FIELDS = EvidenceRow._fields


@dataclass
class CurrentLevel:
    """An employee's level in one competency as of a moment, with the evidence behind it.

    ``deciding`` and ``counted`` hold full ``LevelEvidence`` records when details were asked
    for, and light ``EvidenceRow`` tuples (the policy's fields only) otherwise.
    """

    employee_id: int
    competency_id: int
    level: int
    deciding: EvidenceLike
    counted: list[EvidenceLike] = field(default_factory=list)
    expires_at: dt.datetime | None = None

    @property
    def source(self) -> str:
        return self.deciding.source

    @property
    def is_self_rated(self) -> bool:
        return self.deciding.source == Source.SELF_ASSESSMENT


def valid_days(source: str) -> int:
    return settings.LEVEL_EVIDENCE_VALID_DAYS[source]


def as_of_moment(as_of: dt.date | dt.datetime | None) -> dt.datetime:
    """A date means the end of that day in Bangkok; None means now."""
    if as_of is None:
        return dt.datetime.now(tz=BANGKOK)
    if isinstance(as_of, dt.datetime):
        if as_of.tzinfo is None:
            return as_of.replace(tzinfo=BANGKOK)
        return as_of
    return dt.datetime.combine(as_of, dt.time.max, tzinfo=BANGKOK)


def _sort_key(evidence: EvidenceLike) -> tuple:
    return (SOURCE_RANK[evidence.source], evidence.observed_at, evidence.id)


def decide(evidence: Iterable[EvidenceLike], moment: dt.datetime) -> CurrentLevel | None:
    """Apply the policy to the evidence of one employee in one competency (corrections removed)."""
    counted = []
    for item in evidence:
        if item.observed_at > moment:
            continue
        if item.observed_at + dt.timedelta(days=valid_days(item.source)) < moment:
            continue
        counted.append(item)
    if not counted:
        return None
    counted.sort(key=_sort_key, reverse=True)
    deciding = counted[0]
    return CurrentLevel(
        employee_id=deciding.employee_id,
        competency_id=deciding.competency_id,
        level=deciding.level,
        deciding=deciding,
        counted=counted,
        expires_at=deciding.observed_at + dt.timedelta(days=valid_days(deciding.source)),
    )


def evidence_in_force(
    employees: QuerySet[Employee] | Iterable[int],
    moment: dt.datetime,
    competency_ids: Iterable[int] | None = None,
) -> QuerySet[LevelEvidence]:
    """The evidence that may count at ``moment``: one query, whatever the number of employees."""
    oldest = moment - dt.timedelta(days=max(settings.LEVEL_EVIDENCE_VALID_DAYS.values()))
    queryset = LevelEvidence.objects.filter(observed_at__lte=moment, observed_at__gte=oldest).exclude(
        id__in=LevelEvidence.objects.filter(corrects__isnull=False).values("corrects_id")
    )
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
) -> dict[int, dict[int, CurrentLevel]]:
    """Current levels of many employees: ``{employee_id: {competency_id: CurrentLevel}}``.

    Runs a single query for any number of employees (pass a queryset, e.g. a whole org unit).
    Employees without counting evidence in a competency have no entry for it.
    ``with_details`` loads whole records (with who recorded them) for pages that show them;
    without it the policy runs on light rows, several times faster for reports.
    """
    moment = as_of_moment(as_of)
    queryset = evidence_in_force(employees, moment, competency_ids)
    if with_details:
        items = queryset.select_related("recorded_by", "source_content_type")
    else:
        items = (EvidenceRow(*row) for row in queryset.values_list(*ROW_FIELDS))
    grouped: dict[tuple[int, int], list[EvidenceLike]] = defaultdict(list)
    for item in items:
        grouped[(item.employee_id, item.competency_id)].append(item)
    result: dict[int, dict[int, CurrentLevel]] = defaultdict(dict)
    for (employee_id, competency_id), items in grouped.items():
        decided = decide(items, moment)
        if decided is not None:
            result[employee_id][competency_id] = decided
    return dict(result)


def current_levels(
    employee: Employee,
    *,
    as_of: dt.date | dt.datetime | None = None,
    competency_ids: Iterable[int] | None = None,
    with_details: bool = False,
) -> dict[int, CurrentLevel]:
    """Current levels of one employee: ``{competency_id: CurrentLevel}``."""
    levels = current_levels_bulk(
        [employee.id], as_of=as_of, competency_ids=competency_ids, with_details=with_details
    )
    return levels.get(employee.id, {})
