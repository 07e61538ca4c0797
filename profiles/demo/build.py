"""The demo department: people, structure and a five-year evidence history, for demos and benchmarks.

Deterministic for a given ``seed``: the same command gives the same department. The history
(FY2566 to today) shows the workforce improving unevenly: some units and areas move quickly,
others barely, so that reports have something real to say.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from skills_site.thai_calendar import BANGKOK, fiscal_year_of, fiscal_year_period

from ..competencies.frameworks import framework_load
from ..competencies.models import Competency, CompetencyFramework, LevelEvidence
from ..competencies.selectors import role_targets_by_competency
from ..competencies.services import evidence_changed
from ..competencies.timeline import timeline_rebuild
from ..organisation.models import Employee, OrgUnit, PersonnelGroup
from ..organisation.roles import EDITORS_GROUP, HR_GROUP, roles_ensure
from ..reports.models import CapabilityPlan, PlanTarget, PlanTargetValue
from ..reports.selectors import report_moments_keep
from .contract import DemoEvent
from .names import FIRST_NAMES, LAST_NAMES, POSITIONS, STRUCTURE

DEMO_DOMAIN = "dept.example"
DEMO_PASSWORD = "demo-skills-2569"
FIRST_FISCAL_YEAR = 2566
OCSC_CODE = "OCSC-2561"
DIGCOMP_CODE = "DigComp-2.2"
DEMO_APPS = ("courses", "assessments")
DEMO_PLAN_CODE = "DAP-2566"

Source = LevelEvidence.Source

# How readily each OCSC area improves: everyday skills move faster than leadership.
AREA_EASE = {"DLit": 0.15, "DG": 0.05, "DT": -0.05, "DS": 0.0, "SPM": -0.1, "DL": -0.12}
# How often a year brings new evidence in an area: the annual test covers the first three.
AREA_EVIDENCE_RATE = {"DLit": 0.8, "DG": 0.7, "DT": 0.7, "DS": 0.45, "SPM": 0.35, "DL": 0.3}
# How engaged each bureau is with training (the rest of the spread is random per section).
BUREAU_ENGAGEMENT = {"ICT": 0.6, "HRD": 0.5, "PLN": 0.45, "FIN": 0.35, "SEC": 0.35, "LAW": 0.3,
                     "SRV": 0.4, "INS": 0.3, "REG": 0.18}  # fmt: skip
# Personnel-group mix of ordinary staff per bureau (Academic, Technology, Service, Others).
BUREAU_MIX = {"ICT": (0.2, 0.65, 0.1, 0.05), "SRV": (0.2, 0.05, 0.6, 0.15),
              "REG": (0.35, 0.03, 0.45, 0.17)}  # fmt: skip
DEFAULT_MIX = (0.55, 0.03, 0.25, 0.17)


@dataclass
class DemoLogin:
    role: str
    email: str
    description: str


@dataclass
class DemoResult:
    units: int = 0
    employees: int = 0
    evidence: int = 0
    logins: list[DemoLogin] = field(default_factory=list)


def demo_logins() -> list[DemoLogin]:
    return [
        DemoLogin("employee", f"employee@{DEMO_DOMAIN}", "an employee (e-Services section)"),
        DemoLogin("manager", f"manager@{DEMO_DOMAIN}", "head of the e-Services section"),
        DemoLogin("hr", f"hr@{DEMO_DOMAIN}", "HR officer (Wagtail admin)"),
        DemoLogin("editor", f"editor@{DEMO_DOMAIN}", "content editor (Wagtail admin, pages only)"),
    ]


def demo_apps() -> list:
    modules = []
    for app in DEMO_APPS:
        try:
            modules.append(importlib.import_module(f"{app}.demo"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.demo":
                raise
    return modules


def frameworks_ensure() -> None:
    """Load the shipped frameworks if they are not in the database yet."""
    if CompetencyFramework.objects.filter(code=OCSC_CODE).exists():
        return
    for path in sorted((Path(settings.BASE_DIR) / "fixtures" / "frameworks").glob("*.json")):
        framework_load(data=json.loads(path.read_text(encoding="utf-8")))


def demo_reset(*, stdout: Callable[[str], None]) -> None:
    """Remove the people and everything recorded about them; frameworks and pages stay.

    The evidence log is append-only for the application; only this demo reset removes it,
    with a raw delete that bypasses the ORM guard.
    """
    from django.apps import apps
    from wagtail.models import Page

    with transaction.atomic():
        user_model = get_user_model()
        user_ids = list(Employee.objects.values_list("user_id", flat=True))
        # People, units and the evidence log go, with every row that points at them or at such
        # a row (enrolments and their lesson progress, attempts, plan targets on a unit...).
        people = {Employee, OrgUnit, LevelEvidence, user_model}
        candidates = [
            model
            for label in ("profiles", *DEMO_APPS)
            if apps.is_installed(label)
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
            if not issubclass(model, Page) and model not in people
        ]
        cleared, changed = set(people), True
        while changed:
            changed = False
            for model in candidates:
                if model not in cleared and _points_at(model, cleared):
                    cleared.add(model)
                    changed = True
        for model in [LevelEvidence, *candidates, Employee, OrgUnit]:
            if model in cleared:
                model._base_manager.all()._raw_delete(model._base_manager.db)
        CapabilityPlan.objects.filter(code=DEMO_PLAN_CODE).delete()
        user_model.objects.filter(id__in=user_ids, is_superuser=False).delete()
    stdout("Removed the demo department and its evidence.")


def _points_at(model, targets: set) -> bool:
    return any(
        getattr(f, "related_model", None) in targets
        for f in model._meta.get_fields()
        if f.is_relation and f.many_to_one
    )


class _Builder:
    def __init__(self, *, employees: int, seed: int, now: dt.datetime, stdout):
        self.size = employees
        self.rng = random.Random(seed)
        # dates of birth and contract ends draw from their own sequence, so the rest stays as it was
        self.dates_rng = random.Random(seed + 60)
        self.now = now
        self.stdout = stdout
        self.password = make_password(DEMO_PASSWORD)
        self.groups = {g.code: g for g in PersonnelGroup.objects.all()}
        self.units: list[OrgUnit] = []
        self.sections: list[tuple[OrgUnit, str]] = []  # (section, bureau code)
        self.engagement: dict[int, float] = {}
        self.events: list[DemoEvent] = []

    # -- structure -------------------------------------------------------------------------
    def build_units(self) -> None:
        department = OrgUnit.objects.create(
            code="DEPT", kind=OrgUnit.Kind.DEPARTMENT,
            name_th="กรมพัฒนาบริการดิจิทัล (ตัวอย่าง)", name_en="Department of Digital Services (demo)",
        )  # fmt: skip
        self.department = department
        self.units.append(department)
        self.bureaus = []
        for (code, name_th, name_en), sections in STRUCTURE:
            bureau = OrgUnit.objects.create(
                code=code, kind=OrgUnit.Kind.BUREAU, parent=department, name_th=name_th, name_en=name_en
            )
            self.units.append(bureau)
            self.bureaus.append((bureau, code))
            for number, (section_th, section_en) in enumerate(sections, start=1):
                section = OrgUnit.objects.create(
                    code=f"{code}-{number:02d}", kind=OrgUnit.Kind.SECTION, parent=bureau,
                    name_th=f"กลุ่มงาน{section_th}", name_en=f"{section_en} Section",
                )  # fmt: skip
                self.units.append(section)
                self.sections.append((section, code))
                base = BUREAU_ENGAGEMENT[code]
                self.engagement[section.id] = min(0.85, max(0.08, base + self.rng.uniform(-0.12, 0.12)))

    # -- people ----------------------------------------------------------------------------
    def _person(self, number: int, unit: OrgUnit, group_code: str, email: str | None = None):
        first_th, first_en = self.rng.choice(FIRST_NAMES)
        last_th, last_en = self.rng.choice(LAST_NAMES)
        employee_number = f"{6600000 + number}"
        user = get_user_model()(
            username=f"e{employee_number}",
            email=email or f"e{employee_number}@{DEMO_DOMAIN}",
            first_name=first_en,
            last_name=last_en,
            password=self.password,
        )
        started = dt.date(2005, 1, 1) + dt.timedelta(days=self.rng.randint(0, 6400))
        if self.rng.random() < 0.08:  # a recent joiner: no history before they came
            started = dt.date(2024, 10, 1) + dt.timedelta(days=self.rng.randint(0, 700))
        employee = Employee(
            employee_number=employee_number,
            first_name_th=first_th, last_name_th=last_th, first_name_en=first_en, last_name_en=last_en,
            position_title=self.rng.choice(POSITIONS[group_code]),
            org_unit=unit, personnel_group=self.groups[group_code],
            is_active=True, start_date=min(started, self.now.date()),
        )  # fmt: skip
        return user, employee

    def build_people(self) -> list[Employee]:
        plan: list[tuple[OrgUnit, str, str | None]] = []  # (unit, group, fixed email)
        plan.append((self.department, "Executive", None))
        plan.append((self.department, "Executive", None))
        for bureau, _code in self.bureaus:
            plan.append((bureau, "Management", None))
        for section, code in self.sections:
            plan.append((section, "Technology" if code == "ICT" else "Academic", None))
        ordinary = max(self.size - len(plan), len(self.sections))
        weights = [2.5 if code in ("SRV", "REG") else 1.0 for _s, code in self.sections]
        for _ in range(ordinary):
            section, code = self.rng.choices(self.sections, weights=weights)[0]
            mix = BUREAU_MIX.get(code, DEFAULT_MIX)
            group = self.rng.choices(("Academic", "Technology", "Service", "Others"), weights=mix)[0]
            plan.append((section, group, None))
        plan = plan[: max(self.size - 3, len(self.sections) + len(self.bureaus) + 2)]

        # The demo logins: fixed people in fixed places.
        eservices = OrgUnit.objects.get(code="SRV-04")
        development = OrgUnit.objects.get(code="HRD-02")
        logins = {login.role: login.email for login in demo_logins()}
        heads_at = {}
        for index, (unit, group, _email) in enumerate(plan):
            if unit == eservices and group == "Academic" and "manager" not in heads_at:
                heads_at["manager"] = index
        plan[heads_at["manager"]] = (eservices, "Academic", logins["manager"])
        plan.append((eservices, "Service", logins["employee"]))
        plan.append((development, "Academic", logins["hr"]))
        plan.append((development, "Academic", logins["editor"]))

        users, employees = [], []
        for number, (unit, group, email) in enumerate(plan, start=1):
            user, employee = self._person(number, unit, group, email)
            users.append(user)
            employees.append(employee)
        users = get_user_model().objects.bulk_create(users, batch_size=1000)
        for employee, user in zip(employees, users, strict=True):
            employee.user = user
        Employee.objects.bulk_create(employees, batch_size=1000)
        employees = list(Employee.objects.select_related("user", "personnel_group").order_by("id"))
        self._email_addresses(employees)
        self._heads(employees, plan)
        self._groups(employees)
        self._moves_and_leavers(employees)
        self._birth_dates_and_contracts(employees)
        return employees

    def _birth_dates_and_contracts(self, employees: list[Employee]) -> None:
        """Everyone's date of birth (so that retirements show in training plans: a civil servant retires
        at the end of the fiscal year in which they turn 60), and a contract end date within the next two
        years for some of today's service and other staff on fixed-term contracts."""
        rng, today = self.dates_rng, self.now.date()
        logins = {login.email for login in demo_logins()}
        for employee in employees:
            # a civil service's age pyramid up to 60; nobody younger than 20 when they joined
            tenure = (today - employee.start_date).days / 365.25
            age = rng.triangular(23, 60, 46)
            if age < tenure + 20:
                age = min(tenure + 20 + rng.uniform(0, 6), 59.95)
            employee.birth_date = today - dt.timedelta(days=int(age * 365.25))
            if (
                employee.is_active
                and employee.user.email not in logins
                and employee.personnel_group.code in ("Service", "Others")
                and rng.random() < 0.06
            ):
                employee.end_date = today + dt.timedelta(days=rng.randint(60, 720))
        Employee.objects.bulk_update(employees, ["birth_date", "end_date"], batch_size=500)

    def _email_addresses(self, employees: list[Employee]) -> None:
        from allauth.account.models import EmailAddress

        EmailAddress.objects.bulk_create(
            [EmailAddress(user=e.user, email=e.user.email, verified=True, primary=True) for e in employees],
            batch_size=1000,
        )

    def _heads(self, employees: list[Employee], plan) -> None:
        taken = set()
        for unit in self.units:
            candidates = [e for e in employees if e.org_unit_id == unit.id and e.id not in taken]
            wanted = {"department": "Executive", "bureau": "Management"}.get(unit.kind)
            preferred = [e for e in candidates if e.user.email == f"manager@{DEMO_DOMAIN}"]
            if not preferred and wanted:
                preferred = [e for e in candidates if e.personnel_group.code == wanted]
            if not preferred:
                preferred = [
                    e for e in candidates
                    if e.personnel_group.code in ("Academic", "Technology")
                    and not e.user.email.startswith(("employee@", "hr@", "editor@"))
                ]  # fmt: skip
            if preferred:
                head = preferred[0]
                taken.add(head.id)
                OrgUnit.objects.filter(pk=unit.pk).update(head=head)
                unit.head = head

    def _groups(self, employees: list[Employee]) -> None:
        roles_ensure()
        by_email = {e.user.email: e.user for e in employees}
        Group.objects.get(name=HR_GROUP).user_set.add(by_email[f"hr@{DEMO_DOMAIN}"])
        Group.objects.get(name=EDITORS_GROUP).user_set.add(by_email[f"editor@{DEMO_DOMAIN}"])
        self.hr_user_id = by_email[f"hr@{DEMO_DOMAIN}"].id

    def _moves_and_leavers(self, employees: list[Employee]) -> None:
        """Some people moved unit in FY2569 and some left: history keeps where they were."""
        protected = {f"{role}@{DEMO_DOMAIN}" for role in ("employee", "manager", "hr", "editor")}
        heads = {u.head_id for u in self.units if u.head_id}
        self.previous_unit: dict[int, tuple[int, dt.datetime]] = {}
        self.left_at: dict[int, dt.datetime] = {}
        movers, leavers = [], []
        fy2569 = fiscal_year_period(2569)
        for employee in employees:
            if employee.user.email in protected or employee.id in heads:
                continue
            roll = self.rng.random()
            if roll < 0.03:
                new_section, _code = self.rng.choice(self.sections)
                if new_section.id != employee.org_unit_id:
                    moved = fy2569.start_datetime() + dt.timedelta(days=self.rng.randint(0, 360))
                    self.previous_unit[employee.id] = (employee.org_unit_id, moved)
                    employee.org_unit_id = new_section.id
                    movers.append(employee)
            elif roll < 0.06:
                left = fiscal_year_period(2568).start_datetime() + dt.timedelta(days=self.rng.randint(0, 600))
                if left < self.now:
                    self.left_at[employee.id] = left
                    employee.is_active = False
                    employee.end_date = max(left.astimezone(BANGKOK).date(), employee.start_date)
                    leavers.append(employee)
        Employee.objects.bulk_update(movers, ["org_unit"], batch_size=500)
        Employee.objects.bulk_update(leavers, ["is_active", "end_date"], batch_size=500)
        get_user_model().objects.filter(employee__in=leavers).update(is_active=False)

    # -- history ---------------------------------------------------------------------------
    def _moment_in(self, fiscal_year: int, earliest: dt.datetime | None = None) -> dt.datetime | None:
        period = fiscal_year_period(fiscal_year)
        start = max(period.start_datetime(), earliest) if earliest else period.start_datetime()
        end = min(period.end_datetime(), self.now)
        if start >= end:
            return None
        seconds = int((end - start).total_seconds())
        moment = start + dt.timedelta(seconds=self.rng.randint(0, seconds))
        moment = moment.astimezone(BANGKOK).replace(
            hour=self.rng.randint(9, 16), minute=self.rng.randint(0, 59)
        )
        return moment if moment <= self.now else None

    def build_history(self, employees: list[Employee]) -> None:
        ocsc = CompetencyFramework.objects.get(code=OCSC_CODE)
        ocsc_competencies = list(Competency.objects.filter(framework=ocsc).select_related("area"))
        targets = {
            group.id: role_targets_by_competency(personnel_group_id=group.id, framework_ids=[ocsc.id])
            for group in self.groups.values()
        }
        digcomp = list(Competency.objects.filter(framework__code=DIGCOMP_CODE))
        heads_by_unit = {u.id: u.head for u in self.units}
        parent_of = {u.id: u.parent_id for u in self.units}
        current_fy = fiscal_year_of(self.now)
        for employee in employees:
            joined = dt.datetime.combine(employee.start_date, dt.time(9), tzinfo=BANGKOK)
            engagement = self.engagement.get(employee.org_unit_id, 0.3)
            for competency in ocsc_competencies:
                target = targets[employee.personnel_group_id].get(competency.id, 3)
                level = max(1, target - self.rng.choices((0, 1, 1, 2, 2, 3), k=1)[0])
                area = competency.area.code
                for fiscal_year in range(FIRST_FISCAL_YEAR, current_fy + 1):
                    if fiscal_year == FIRST_FISCAL_YEAR:
                        moment = self._moment_in(fiscal_year, earliest=joined)
                        if moment is not None:
                            self._event(employee, competency, ocsc.code, level, Source.IMPORT, moment,
                                        recorded_by=self.hr_user_id,
                                        label="นำเข้าผลประเมินสมรรถนะเดิม ปีงบประมาณ 2566")  # fmt: skip
                        continue
                    if level < 5 and self.rng.random() < engagement + AREA_EASE[area]:
                        level += 1
                    if self.rng.random() > AREA_EVIDENCE_RATE[area]:
                        continue
                    moment = self._moment_in(fiscal_year, earliest=joined)
                    if moment is None:
                        continue
                    source = self.rng.choices(
                        (Source.ASSESSMENT, Source.COURSE, Source.SELF_ASSESSMENT), weights=(0.5, 0.35, 0.15)
                    )[0]
                    observed = level
                    if source == Source.SELF_ASSESSMENT:
                        # The OCSC self-assessment's four-point scale reaches level 4 at most.
                        observed = min(4, level + self.rng.choice((0, 0, 1)))
                    self._event(employee, competency, ocsc.code, observed, source, moment)
                    if source == Source.SELF_ASSESSMENT and self.rng.random() < 0.5:
                        reviewed = moment + dt.timedelta(days=self.rng.randint(2, 20))
                        manager = self._manager_of(employee, heads_by_unit, parent_of)
                        if reviewed <= self.now and manager is not None:
                            self._event(employee, competency, ocsc.code, level, Source.MANAGER_REVIEW,
                                        reviewed, recorded_by=manager.user_id,
                                        note="ยืนยันผลการประเมินตนเอง")  # fmt: skip
            if digcomp and self.rng.random() < 0.25:
                moment = self._moment_in(2569, earliest=joined)
                if moment is not None:
                    # DigComp's four self-assessment points stand for levels 1, 2, 3 and 5.
                    for competency in digcomp:
                        self._event(employee, competency, DIGCOMP_CODE, self.rng.choice((1, 2, 3, 5)),
                                    Source.SELF_ASSESSMENT, moment)  # fmt: skip

    def _manager_of(self, employee, heads_by_unit, parent_of):
        unit_id = employee.org_unit_id
        while unit_id is not None:
            head = heads_by_unit.get(unit_id)
            if head is not None and head.id != employee.id:
                return head
            unit_id = parent_of.get(unit_id)
        return None

    def _event(self, employee, competency, framework_code, level, source, moment, *, recorded_by=None,
               label="", note=""):  # fmt: skip
        left = self.left_at.get(employee.id)
        if left is not None and moment > left:
            return
        unit_id = employee.org_unit_id
        previous = self.previous_unit.get(employee.id)
        if previous is not None and moment < previous[1]:
            unit_id = previous[0]
        self.events.append(
            DemoEvent(
                employee_id=employee.id,
                user_id=employee.user_id,
                competency_id=competency.id,
                framework_code=framework_code,
                competency_code=competency.code,
                level=level,
                source=source,
                observed_at=moment,
                org_unit_id=unit_id,
                personnel_group_id=employee.personnel_group_id,
                recorded_by_id=recorded_by,
                source_label=label,
                note=note,
            )  # fmt: skip
        )

    def insert_evidence(self) -> int:
        rows = [
            LevelEvidence(
                employee_id=e.employee_id,
                competency_id=e.competency_id,
                level=e.level,
                source=e.source,
                observed_at=e.observed_at,
                recorded_by_id=e.recorded_by_id,
                source_content_type_id=e.source_content_type_id,
                source_object_id=e.source_object_id,
                source_label=e.source_label[:255],
                note=e.note,
                org_unit_at_time_id=e.org_unit_id,
                personnel_group_at_time_id=e.personnel_group_id,
            )  # fmt: skip
            for e in sorted(self.events, key=lambda e: e.observed_at)
        ]
        LevelEvidence.objects.bulk_create(rows, batch_size=2000)
        return len(rows)


# The demo action plan: (OCSC area, minimum level, population, target % per fiscal year).
# The first two follow the public aim of 80% of people digitally literate by B.E. 2570.
DEMO_PLAN_TARGETS = [
    ("DLit", 3, {}, {2567: 45, 2568: 60, 2569: 72, 2570: 85}),
    ("DG", 3, {}, {2567: 40, 2568: 55, 2569: 65, 2570: 80}),
    ("DT", 4, {"groups": ["Technology"]}, {2567: 50, 2568: 70, 2569: 100, 2570: 100}),
    ("DS", 3, {"unit": "SRV"}, {2567: 35, 2568: 50, 2569: 65, 2570: 80}),
    ("DL", 4, {"groups": ["Executive", "Management"]}, {2567: 40, 2568: 60, 2569: 80, 2570: 100}),
]


def demo_plan_create() -> None:
    """The department's digital action plan FY2566-2570 with five targets, as HR would enter it."""

    if CapabilityPlan.objects.filter(code=DEMO_PLAN_CODE).exists():
        return
    ocsc = CompetencyFramework.objects.get(code=OCSC_CODE)
    plan = CapabilityPlan.objects.create(
        code=DEMO_PLAN_CODE, framework=ocsc, first_fiscal_year=2566, last_fiscal_year=2570,
        name_th="แผนปฏิบัติการด้านดิจิทัล ปีงบประมาณ พ.ศ. 2566–2570 (ตัวอย่าง)",
        name_en="Digital action plan FY2566–2570 (demo)",
    )  # fmt: skip
    for order, (area, level, population, values) in enumerate(DEMO_PLAN_TARGETS, start=1):
        target = PlanTarget.objects.create(
            plan=plan, competency=Competency.objects.get(framework=ocsc, code=area), min_level=level,
            org_unit=OrgUnit.objects.filter(code=population.get("unit")).first(),
            baseline_fiscal_year=2566, sort_order=order,
        )  # fmt: skip
        groups = PersonnelGroup.objects.filter(code__in=population.get("groups", []))
        target.personnel_groups.set(groups)
        target.save()
        PlanTargetValue.objects.bulk_create(
            [PlanTargetValue(target=target, fiscal_year=year, value=value) for year, value in values.items()]
        )


def demo_build(
    *, employees: int = 1500, seed: int = 2566, stdout: Callable[[str], None], now: dt.datetime | None = None
) -> DemoResult:
    """Build the demo department in one transaction: all of it, or nothing."""
    now = now or timezone.now()
    result = DemoResult(logins=demo_logins())
    with transaction.atomic():
        frameworks_ensure()
        builder = _Builder(employees=employees, seed=seed, now=now, stdout=stdout)
        builder.build_units()
        result.units = len(builder.units)
        stdout(f"Org structure: {result.units} units")
        people = builder.build_people()
        result.employees = len(people)
        stdout(f"Staff: {result.employees} employees with logins")
        modules = demo_apps()
        for module in modules:
            module.seed_content(stdout=stdout, rng=builder.rng)
        builder.build_history(people)
        stdout(f"History: {len(builder.events)} observations from FY{FIRST_FISCAL_YEAR} to today")
        for module in modules:
            module.link_evidence(builder.events, rng=builder.rng, stdout=stdout)
        result.evidence = builder.insert_evidence()
        stdout(f"Evidence log: {result.evidence} records")
        timeline = timeline_rebuild()
        stdout(f"Level timeline: {timeline['intervals']} intervals, {timeline['placements']} placements")
        demo_plan_create()
        stdout("Plan: digital action plan FY2566-2570 with 5 targets")
        plans = CapabilityPlan.objects.filter(is_active=True)
        counted = sum(report_moments_keep(plan, now=timezone.now()) for plan in plans)
        stdout(f"Counted moments: {counted} ready for the plan's report")
        evidence_changed()
    return result
