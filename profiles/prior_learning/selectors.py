"""Reads for the outside learning pages; each runs a fixed number of queries, whatever the numbers."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from ..competencies.models import Competency, ProficiencyLevel
from ..competencies.selectors import frameworks_of_employee
from ..organisation.access import can_manage_employee, can_view_employee, is_hr, managed_unit_ids
from ..organisation.models import ActingHead, Employee, OrgUnit
from .models import OutsideCompletion, PriorLearningClaim


def claims_of(employee: Employee) -> QuerySet[PriorLearningClaim]:
    return PriorLearningClaim.objects.filter(employee=employee).select_related(
        "competency", "competency__framework", "reviewer", "reviewer__employee"
    )


def completions_of(employee: Employee) -> QuerySet[OutsideCompletion]:
    return OutsideCompletion.objects.filter(employee=employee)


def claims_to_review(user) -> QuerySet[PriorLearningClaim]:
    """Claims this person may review: HR every claim (a scoped HR officer, their units'); a manager the
    claims of the people in the units they head and below, never their own."""
    queryset = PriorLearningClaim.objects.select_related(
        "employee", "employee__org_unit", "competency", "competency__framework", "reviewer"
    )
    if is_hr(user):
        return queryset
    units = managed_unit_ids(user)
    if not units:
        return queryset.none()
    return queryset.filter(employee__org_unit_id__in=units).exclude(employee__user=user)


def may_review(user, claim: PriorLearningClaim) -> bool:
    return can_manage_employee(user, claim.employee)


def may_see(user, claim: PriorLearningClaim) -> bool:
    """The employee, the people who may review the claim, and HR officers who see the employee."""
    if claim.employee.user_id == user.id:
        return True
    return may_review(user, claim) or can_view_employee(user, claim.employee)


def claim_choices(employee: Employee) -> tuple[list[Competency], dict[int, list[ProficiencyLevel]]]:
    """The competencies a person may claim (their frameworks') and each framework's scale: three queries."""
    frameworks = frameworks_of_employee(employee)
    ids = [framework.pk for framework in frameworks]
    competencies = list(
        Competency.objects.filter(framework_id__in=ids)
        .select_related("framework", "area")
        .order_by("framework__code", "sort_order", "code")
    )
    scales: dict[int, list[ProficiencyLevel]] = {}
    for level in ProficiencyLevel.objects.filter(framework_id__in=ids).order_by("level"):
        scales.setdefault(level.framework_id, []).append(level)
    return competencies, scales


def reviewers_of(employee: Employee) -> list[Employee]:
    """Who hears of a new claim: the head (and any acting head today) of the nearest unit above the
    employee that has one other than the employee; two queries."""
    today = timezone.localdate()
    units = {unit.pk: unit for unit in OrgUnit.objects.select_related("head", "head__user")}
    acting: dict[int, list[Employee]] = {}
    for row in ActingHead.objects.filter(starts_on__lte=today, ends_on__gte=today).select_related(
        "employee", "employee__user"
    ):
        acting.setdefault(row.org_unit_id, []).append(row.employee)
    unit = units.get(employee.org_unit_id)
    while unit is not None:
        people = [
            person for person in [unit.head, *acting.get(unit.pk, [])] if person and person.pk != employee.pk
        ]
        if people:
            return people
        unit = units.get(unit.parent_id)
    return []


def pending_count(user) -> int:
    return claims_to_review(user).filter(state=PriorLearningClaim.State.SUBMITTED).count()
