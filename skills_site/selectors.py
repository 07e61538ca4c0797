"""What the home page shows each person: their next steps, gathered from the apps' own selectors.

Every part costs a fixed number of queries, whatever the headcount of the team or the department.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from assessments.models import AssessmentPage, SelfAssessmentPage
from assessments.selectors import OpenAssessment, open_assessments_for, pending_reviews_for
from courses.records import Enrolment
from courses.selectors import my_learning, overdue_in_team
from profiles.competencies.selectors import CompetencyRow, employee_competency_profile
from profiles.hr_data.models import StaffImport
from profiles.hr_data.selectors import latest_import
from profiles.models import Employee
from profiles.organisation.access import is_committee_viewer, is_hr, managed_unit_ids
from profiles.organisation.selectors import employee_for_user
from profiles.prior_learning.selectors import pending_count
from profiles.reports.capability import STATUSES
from profiles.reports.selectors import TeamGap, plan_headlines, team_gaps, team_members

from .thai_calendar import bangkok_date

LEARNING_SHOWN = 6
SKILLS_SHOWN = 8
TEAM_GAPS_SHOWN = 3
TEAM_OVERDUE_SHOWN = 5
WORST_TARGETS_SHOWN = 3


@dataclass
class EmployeeHome:
    employee: Employee
    to_do: list[Enrolment]  # overdue first, then assigned, then in progress (each with .url)
    to_do_total: int
    overdue: int
    tests: list[OpenAssessment]
    self_assessments: list
    skills: list[CompetencyRow]  # role-target rows, the largest gaps first
    targets: int  # competencies with a role target
    targets_met: int


@dataclass
class TeamHome:
    gaps: list[TeamGap]
    overdue: list[Enrolment]
    overdue_total: int


@dataclass
class PlanStatus:
    plan: object
    url: str
    counts: dict[str, int]
    worst: list[dict]


@dataclass
class Waiting:
    """What waits for a reviewer or HR: counts, each with a page that lists them."""

    reviews: int = 0  # self-assessments to confirm
    claims: int = 0  # outside learning claims to decide
    import_to_commit: StaffImport | None = None  # a checked HR file not yet committed

    @property
    def total(self) -> int:
        return self.reviews + self.claims + (1 if self.import_to_commit else 0)


@dataclass
class Home:
    employee: EmployeeHome | None = None
    team: TeamHome | None = None
    plans: list[PlanStatus] = field(default_factory=list)
    latest_import: StaffImport | None = None
    waiting: Waiting | None = None
    is_hr: bool = False
    is_committee_viewer: bool = False


def home_for(user, *, now: dt.datetime, request=None) -> Home:
    """The cards of the signed-in person's first page, for each role they hold."""
    home = Home()
    if not user.is_authenticated:
        return home
    employee = employee_for_user(user)
    if employee is not None:
        home.employee = employee_home(employee, now=now, request=request)
    unit_ids = managed_unit_ids(user)
    home.is_hr = is_hr(user)
    if unit_ids:
        members = team_members(unit_ids, manager=user)
        total, overdue = overdue_in_team(members, today=bangkok_date(now), limit=TEAM_OVERDUE_SHOWN)
        home.team = TeamHome(
            gaps=team_gaps(members, as_of=now, limit=TEAM_GAPS_SHOWN), overdue=overdue, overdue_total=total
        )
    if unit_ids or home.is_hr:
        home.waiting = Waiting(reviews=pending_reviews_for(user).count(), claims=pending_count(user))
    if home.is_hr:
        home.plans = plan_statuses(now=now)
        home.latest_import = latest_import()
        if home.latest_import is not None and home.latest_import.status == StaffImport.Status.CHECKED:
            home.waiting.import_to_commit = home.latest_import
    home.is_committee_viewer = is_committee_viewer(user)
    return home


def employee_home(employee: Employee, *, now: dt.datetime, request=None) -> EmployeeHome:
    learning = my_learning(employee=employee, request=request, today=bangkok_date(now))
    to_do = learning.overdue + learning.assigned + learning.in_progress
    tests, self_assessments = open_assessments_for(
        employee,
        assessments=AssessmentPage.objects.all(),
        self_assessments=SelfAssessmentPage.objects.all(),
        now=now,
    )
    rows = [
        row
        for profile in employee_competency_profile(employee, as_of=now)
        for row in profile.rows
        if row.target is not None
    ]
    return EmployeeHome(
        employee=employee,
        to_do=to_do[:LEARNING_SHOWN],
        to_do_total=len(to_do),
        overdue=len(learning.overdue),
        tests=tests,
        self_assessments=self_assessments,
        skills=sorted(rows, key=_largest_gap_first)[:SKILLS_SHOWN],
        targets=len(rows),
        targets_met=sum(1 for row in rows if row.gap == 0),
    )


def _largest_gap_first(row: CompetencyRow) -> tuple:
    """Gaps (largest first), then targets with no level yet, then the targets met; stable otherwise."""
    if row.gap is None:
        return (1, 0)
    if row.gap == 0:
        return (2, 0)
    return (0, -row.gap)


def plan_statuses(*, now: dt.datetime) -> list[PlanStatus]:
    """Each active plan's count of targets per status this year, and its worst targets."""

    def worst_first(row: dict) -> tuple:
        status = STATUSES.index(row["status"]) if row["status"] in STATUSES else -1
        shortfall = (row["target_pct"] or 0) - (row["actual_pct"] or 0)
        return (-status, -shortfall)

    statuses = []
    for item in plan_headlines(now=now):
        behind = [row for row in item["rows"] if row["status"] not in (None, STATUSES[0])]
        statuses.append(
            PlanStatus(
                plan=item["plan"],
                url=item["url"],
                counts=item["counts"],
                worst=sorted(behind, key=worst_first)[:WORST_TARGETS_SHOWN],
            )
        )
    return statuses
