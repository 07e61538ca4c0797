"""factory-boy factories for capability plans, used by the tests and the benchmark."""

import factory

from . import models
from .factories import CompetencyFactory, CompetencyFrameworkFactory


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
