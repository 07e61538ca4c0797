"""factory-boy factories for every model of the profiles app (tests, demo data, benchmarks)."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from skills_site.thai_calendar import BANGKOK

from . import models
from .competencies.timeline import timeline_touch


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.go.th")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("correct-horse-battery")


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.OrgUnit

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name_th = factory.Sequence(lambda n: f"หน่วยงาน {n}")
    name_en = factory.Sequence(lambda n: f"Unit {n}")
    kind = models.OrgUnit.Kind.SECTION
    parent = factory.Maybe(
        factory.LazyAttribute(lambda u: u.kind != models.OrgUnit.Kind.DEPARTMENT),
        yes_declaration=factory.SubFactory(
            "profiles.factories.OrgUnitFactory", kind=models.OrgUnit.Kind.DEPARTMENT, parent=None
        ),
        no_declaration=None,
    )


class PersonnelGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PersonnelGroup
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"G{n}")
    name_th = factory.Sequence(lambda n: f"กลุ่ม {n}")
    name_en = factory.Sequence(lambda n: f"Group {n}")


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Employee

    user = factory.SubFactory(UserFactory)
    employee_number = factory.Sequence(lambda n: f"E{n:06d}")
    first_name_th = factory.Faker("first_name", locale="th_TH")
    last_name_th = factory.Faker("last_name", locale="th_TH")
    first_name_en = factory.Faker("first_name")
    last_name_en = factory.Faker("last_name")
    position_title = "นักวิชาการคอมพิวเตอร์"
    org_unit = factory.SubFactory(OrgUnitFactory)
    personnel_group = factory.SubFactory(PersonnelGroupFactory)
    is_active = True
    start_date = dt.date(2020, 1, 6)


class CompetencyFrameworkFactory(factory.django.DjangoModelFactory):
    """A framework with a five-level scale (``levels=N`` for another size)."""

    class Meta:
        model = models.CompetencyFramework
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"FW{n}")
    version = "1"
    name_th = factory.Sequence(lambda n: f"กรอบสมรรถนะ {n}")
    name_en = factory.Sequence(lambda n: f"Framework {n}")

    @factory.post_generation
    def levels(self, create, extracted, **kwargs):
        if not create:
            return
        count = 5 if extracted is None else extracted
        for number in range(1, count + 1):
            ProficiencyLevelFactory(framework=self, level=number)


class ProficiencyLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ProficiencyLevel
        django_get_or_create = ("framework", "level")

    framework = factory.SubFactory(CompetencyFrameworkFactory, levels=0)
    level = 1
    name_th = factory.LazyAttribute(lambda lv: f"ระดับ {lv.level}")
    name_en = factory.LazyAttribute(lambda lv: f"Level {lv.level}")


class CompetencyAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CompetencyArea

    framework = factory.SubFactory(CompetencyFrameworkFactory)
    code = factory.Sequence(lambda n: f"A{n}")
    name_th = factory.Sequence(lambda n: f"ด้าน {n}")
    name_en = factory.Sequence(lambda n: f"Area {n}")


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Competency

    area = factory.SubFactory(CompetencyAreaFactory)
    framework = factory.SelfAttribute("area.framework")
    code = factory.Sequence(lambda n: f"C{n}")
    name_th = factory.Sequence(lambda n: f"สมรรถนะ {n}")
    name_en = factory.Sequence(lambda n: f"Competency {n}")


class RoleTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RoleTarget

    competency = factory.SubFactory(CompetencyFactory)
    area = None
    framework = factory.LazyAttribute(lambda t: t.competency.framework if t.competency else t.area.framework)
    personnel_group = factory.SubFactory(PersonnelGroupFactory)
    level = 3


class LevelEvidenceFactory(factory.django.DjangoModelFactory):
    """Evidence as the log holds it; application code records evidence via the service.

    Like the service, creating a record refreshes its pair's level timeline.
    """

    class Meta:
        model = models.LevelEvidence

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        evidence = super()._create(model_class, *args, **kwargs)
        timeline_touch({(evidence.employee_id, evidence.competency_id)})
        return evidence

    employee = factory.SubFactory(EmployeeFactory)
    competency = factory.SubFactory(CompetencyFactory)
    level = 3
    source = models.LevelEvidence.Source.ASSESSMENT
    observed_at = dt.datetime(2025, 6, 1, 10, 0, tzinfo=BANGKOK)
    org_unit_at_time = factory.SelfAttribute("employee.org_unit")
    personnel_group_at_time = factory.SelfAttribute("employee.personnel_group")


class CapabilityPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CapabilityPlan

    code = factory.Sequence(lambda n: f"PLAN{n}")
    name_th = factory.Sequence(lambda n: f"แผนปฏิบัติการดิจิทัล {n}")
    name_en = factory.Sequence(lambda n: f"Digital action plan {n}")
    framework = factory.SubFactory(CompetencyFrameworkFactory)
    first_fiscal_year = 2566
    last_fiscal_year = 2570


class PlanTargetFactory(factory.django.DjangoModelFactory):
    """A target; pass ``values={2568: 60, (2569, 1): 65}`` for its shares, ``personnel_groups=[...]``."""

    class Meta:
        model = models.PlanTarget
        skip_postgeneration_save = True

    plan = factory.SubFactory(CapabilityPlanFactory)
    competency = factory.SubFactory(CompetencyFactory)
    min_level = 3
    baseline_fiscal_year = factory.SelfAttribute("plan.first_fiscal_year")

    @factory.post_generation
    def personnel_groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.personnel_groups.set(extracted)
            self.save()

    @factory.post_generation
    def values(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        for key, value in extracted.items():
            year, quarter = key if isinstance(key, tuple) else (key, None)
            PlanTargetValueFactory(target=self, fiscal_year=year, quarter=quarter, value=value)


class PlanTargetValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PlanTargetValue

    target = factory.SubFactory(PlanTargetFactory)
    fiscal_year = 2568
    quarter = None
    value = 80


# --- Outside learning and imports ------------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


class PriorLearningClaimFactory(factory.django.DjangoModelFactory):
    """A claim waiting for review, with a small real PDF as its proof."""

    class Meta:
        model = models.PriorLearningClaim

    employee = factory.SubFactory(EmployeeFactory)
    title = factory.Sequence(lambda n: f"Outside course {n}")
    provider = "OCSC Learning Space"
    completed_on = dt.date(2025, 6, 1)
    hours = 6
    competency = factory.SubFactory(CompetencyFactory)
    level_claimed = 3
    file = factory.django.FileField(filename="claim.pdf", data=PDF_BYTES)
    file_name = "certificate.pdf"
    file_type = "pdf"
    file_size = len(PDF_BYTES)
    file_sha256 = factory.Sequence(lambda n: f"{n:064d}")
    submitted_at = factory.LazyFunction(lambda: dt.datetime.now(tz=BANGKOK))


class OutsideCourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.OutsideCourse

    provider = "OCSC Learning Space"
    code = factory.Sequence(lambda n: f"LS-{n}")
    title = ""
    competency = factory.SubFactory(CompetencyFactory)
    level = 2


class OutsideCompletionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.OutsideCompletion

    employee = factory.SubFactory(EmployeeFactory)
    provider = "OCSC Learning Space"
    provider_key = factory.LazyAttribute(lambda c: " ".join(c.provider.split()).casefold())
    external_id = factory.Sequence(lambda n: f"EXT-{n}")
    course_code = "LS-1"
    completed_on = dt.date(2025, 6, 1)


class FrameworkImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FrameworkImport

    file_name = "framework.csv"
    content = b""
    sha256 = "0" * 64
    status = "rejected"
    summary = factory.LazyFunction(dict)
    uploaded_by = factory.SubFactory(UserFactory)


class CompletionImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CompletionImport

    file_name = "completions.csv"
    content = b""
    sha256 = "0" * 64
    status = "rejected"
    summary = factory.LazyFunction(dict)
    uploaded_by = factory.SubFactory(UserFactory)
