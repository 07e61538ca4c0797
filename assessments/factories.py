"""factory-boy factories for the question bank, assessments and self-assessments."""

from __future__ import annotations

from decimal import Decimal

import factory

from profiles.factories import CompetencyFactory
from skills_site.models import HomePage

from . import models


class QuestionCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.QuestionCategory
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Category {n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    """A question; pass ``options=[dict(...), ...]`` to create its choices (default: a single choice)."""

    class Meta:
        model = models.Question
        skip_postgeneration_save = True

    category = factory.SubFactory(QuestionCategoryFactory)
    competency = factory.SubFactory(CompetencyFactory)
    kind = models.Question.Kind.SINGLE
    text_th = factory.Sequence(lambda n: f"คำถามที่ {n}")
    text_en = factory.Sequence(lambda n: f"Question {n}")

    @factory.post_generation
    def options(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [
                {"text_th": "ถูก", "text_en": "Right", "weight": 100, "feedback_th": "เยี่ยม"},
                {"text_th": "ผิด", "text_en": "Wrong", "weight": 0},
                {"text_th": "ผิดอีก", "text_en": "Also wrong", "weight": 0},
            ]
        for order, option in enumerate(extracted):
            values = dict(option)
            values["weight"] = Decimal(str(values.get("weight", 0)))
            models.Choice.objects.create(question=self, sort_order=order, **values)


TRUE_FALSE_OPTIONS = [
    {"text_th": "จริง", "text_en": "True", "weight": 100},
    {"text_th": "เท็จ", "text_en": "False", "weight": 0},
]


def home_page():
    return HomePage.objects.first()


def assessment_page_create(
    *, competencies, draw=(), bands=(), parent=None, **fields
) -> models.AssessmentPage:
    """A published assessment under the home page. ``draw``: ``(category, count[, competency])``;
    ``bands``: ``(min_percent, level)`` or ``(min_percent, level, competency)``."""
    parent = parent or home_page()
    fields.setdefault("title", "แบบทดสอบ")
    fields.setdefault("shuffle_questions", False)
    fields.setdefault("shuffle_choices", False)
    page = models.AssessmentPage(**fields)
    for order, rule in enumerate(draw):
        competency = rule[2] if len(rule) > 2 else None
        page.draw_rules.add(
            models.DrawRule(category=rule[0], count=rule[1], competency=competency, sort_order=order)
        )
    for order, band in enumerate(bands):
        competency = band[2] if len(band) > 2 else None
        page.bands.add(
            models.Band(
                min_percent=Decimal(str(band[0])), level=band[1], competency=competency, sort_order=order
            )
        )
    page.competencies.set(competencies)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return models.AssessmentPage.objects.get(pk=page.pk)


def self_assessment_page_create(*, statements, parent=None, **fields) -> models.SelfAssessmentPage:
    """``statements``: ``(competency, text_th, text_en)`` triples."""
    parent = parent or home_page()
    fields.setdefault("title", "ประเมินตนเอง")
    page = models.SelfAssessmentPage(**fields)
    for order, (competency, text_th, text_en) in enumerate(statements):
        page.statements.add(
            models.Statement(competency=competency, text_th=text_th, text_en=text_en, sort_order=order)
        )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return models.SelfAssessmentPage.objects.get(pk=page.pk)
