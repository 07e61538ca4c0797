"""Reads of competencies and levels used by views and reports. Each runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Prefetch

from ..organisation.models import Employee
from .levels import CurrentLevel, current_levels
from .models import (
    Competency,
    CompetencyArea,
    CompetencyFramework,
    LevelEvidence,
    ProficiencyLevel,
    RoleTarget,
)

# Bumped by services.evidence_changed whenever evidence is written.
EVIDENCE_VERSION_KEY = "profiles:evidence-version"


def evidence_cache_version() -> int:
    """A number that changes whenever evidence is recorded: part of every report cache key."""
    return cache.get(EVIDENCE_VERSION_KEY, 0)


@dataclass
class CompetencyRow:
    competency: Competency
    target: int | None
    current: CurrentLevel | None
    level_names: dict[int, ProficiencyLevel]

    @property
    def level(self) -> int | None:
        return self.current.level if self.current else None

    @property
    def gap(self) -> int | None:
        """How many levels short of the target (0 when met); None when either is unknown."""
        if self.target is None or self.current is None:
            return None
        return max(self.target - self.current.level, 0)

    @property
    def level_name(self) -> str:
        level = self.level_names.get(self.level) if self.level else None
        return level.name if level else ""

    @property
    def target_name(self) -> str:
        level = self.level_names.get(self.target) if self.target else None
        return level.name if level else ""


@dataclass
class FrameworkProfile:
    framework: CompetencyFramework
    areas: list[tuple[CompetencyArea, list[CompetencyRow]]] = field(default_factory=list)

    @property
    def rows(self) -> list[CompetencyRow]:
        return [row for _area, rows in self.areas for row in rows]

    @property
    def met_count(self) -> int:
        return sum(1 for row in self.rows if row.gap == 0)

    @property
    def target_count(self) -> int:
        return sum(1 for row in self.rows if row.target is not None)


def employee_competency_profile(
    employee: Employee, *, as_of: dt.date | dt.datetime | None = None
) -> list[FrameworkProfile]:
    """Levels, targets and evidence per active framework that concerns this employee.

    A framework concerns the employee when their personnel group has targets in it or they
    have evidence in it.
    """
    levels = current_levels(employee, as_of=as_of, with_details=True)
    frameworks_with_targets, frameworks_with_evidence = _frameworks_concerning(employee)
    relevant = frameworks_with_targets | frameworks_with_evidence
    frameworks = CompetencyFramework.objects.filter(is_active=True, id__in=relevant).prefetch_related(
        Prefetch("levels", queryset=ProficiencyLevel.objects.order_by("level")),
        Prefetch(
            "areas",
            queryset=CompetencyArea.objects.prefetch_related(
                Prefetch("competencies", queryset=Competency.objects.order_by("sort_order", "code"))
            ),
        ),
    )
    # Frameworks with role targets for this person come first: they are what the role needs.
    frameworks = sorted(frameworks, key=lambda f: (f.id not in frameworks_with_targets, f.code))
    targets = role_targets_by_competency(
        personnel_group_id=employee.personnel_group_id, framework_ids=[f.id for f in frameworks]
    )
    profiles = []
    for framework in frameworks:
        level_names = {lv.level: lv for lv in framework.levels.all()}
        profile = FrameworkProfile(framework=framework)
        for area in framework.areas.all():
            rows = [
                CompetencyRow(
                    competency=competency,
                    target=targets.get(competency.id),
                    current=levels.get(competency.id),
                    level_names=level_names,
                )
                for competency in area.competencies.all()
            ]
            profile.areas.append((area, rows))
        profiles.append(profile)
    return profiles


def _frameworks_concerning(employee: Employee) -> tuple[set[int], set[int]]:
    """Framework ids with role targets for the employee's personnel group, and with evidence of theirs."""
    with_targets = set(
        RoleTarget.objects.filter(personnel_group_id=employee.personnel_group_id).values_list(
            "framework_id", flat=True
        )
    )
    with_evidence = set(
        LevelEvidence.objects.filter(employee=employee)
        .values_list("competency__framework_id", flat=True)
        .distinct()
    )
    return with_targets, with_evidence


def frameworks_of_employee(employee: Employee) -> list[CompetencyFramework]:
    """The active frameworks that concern an employee (those their profile shows): their personnel
    group has role targets in it, or they have evidence in it."""
    with_targets, with_evidence = _frameworks_concerning(employee)
    return list(
        CompetencyFramework.objects.filter(is_active=True, id__in=with_targets | with_evidence).order_by(
            "code", "version"
        )
    )


def role_targets_by_competency(*, personnel_group_id: int, framework_ids: list[int]) -> dict[int, int]:
    """Expected level per competency id for a group, in two queries.

    A target set on a competency beats the target of its area.
    """
    by_area: dict[int, int] = {}
    by_competency: dict[int, int] = {}
    for target in RoleTarget.objects.filter(
        framework_id__in=framework_ids, personnel_group_id=personnel_group_id
    ):
        if target.competency_id:
            by_competency[target.competency_id] = target.level
        else:
            by_area[target.area_id] = target.level
    result = {}
    for competency_id, area_id in Competency.objects.filter(framework_id__in=framework_ids).values_list(
        "id", "area_id"
    ):
        if competency_id in by_competency:
            result[competency_id] = by_competency[competency_id]
        elif area_id in by_area:
            result[competency_id] = by_area[area_id]
    return result
