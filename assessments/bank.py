"""Question bank writes and exports: GIFT files in and out of the database."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from profiles.models import Competency

from .gift import GiftChoice, GiftError, GiftQuestion, gift_decode, gift_export, gift_parse
from .records import Choice, Question, QuestionCategory


def _competency_key(competency: Competency) -> str:
    return f"{competency.framework.code}/{competency.code}"


def questions_import_gift(
    *,
    data: bytes,
    default_competency: Competency | None = None,
    default_category: str = "",
    default_difficulty: int = Question.Difficulty.MEDIUM,
) -> list[Question]:
    """Create the questions of a GIFT file, or none: any problem raises ``GiftError`` with its line."""
    parsed = gift_parse(gift_decode(data))
    competencies = {
        _competency_key(c): c
        for c in Competency.objects.select_related("framework").order_by("framework__version")
    }
    problems = []
    for item in parsed:
        if item.competency and item.competency not in competencies:
            problems.append((item.line, _("unknown competency %(code)s") % {"code": item.competency}))
        elif not item.competency and default_competency is None:
            problems.append((item.line, _("no competency: add a [tag:competency=...] comment or choose one")))
        if not (item.category or default_category.strip()):
            problems.append((item.line, _("no category: add a $CATEGORY line or choose one")))
    if problems:
        raise GiftError(problems[:20])

    created = []
    with transaction.atomic():
        categories: dict[str, QuestionCategory] = {}
        for item in parsed:
            name = item.category or default_category.strip()
            if name not in categories:
                categories[name], _created = QuestionCategory.objects.get_or_create(name=name)
            question = Question(
                category=categories[name],
                competency=competencies[item.competency] if item.competency else default_competency,
                difficulty=item.difficulty or default_difficulty,
                kind=item.kind,
                name=item.name[:255],
                text_th=item.text_th,
                text_en=item.text_en,
                general_feedback_th=item.general_feedback_th,
                general_feedback_en=item.general_feedback_en,
            )
            question.save()
            Choice.objects.bulk_create(
                [
                    Choice(
                        question=question,
                        sort_order=order,
                        text_th=c.text_th[:1000],
                        text_en=c.text_en[:1000],
                        match_th=c.match_th[:1000],
                        match_en=c.match_en[:1000],
                        weight=c.weight,
                        number=c.number,
                        tolerance=c.tolerance,
                        feedback_th=c.feedback_th,
                        feedback_en=c.feedback_en,
                    )
                    for order, c in enumerate(item.choices)
                ]
            )
            created.append(question)
    return created


def question_as_gift(question: Question) -> GiftQuestion:
    return GiftQuestion(
        line=0,
        kind=question.kind,
        text_th=question.text_th,
        text_en=question.text_en,
        name=question.name,
        category=question.category.name,
        general_feedback_th=question.general_feedback_th,
        general_feedback_en=question.general_feedback_en,
        competency=_competency_key(question.competency),
        difficulty=question.difficulty,
        choices=[
            GiftChoice(
                text_th=c.text_th,
                text_en=c.text_en,
                weight=c.weight,
                feedback_th=c.feedback_th,
                feedback_en=c.feedback_en,
                match_th=c.match_th,
                match_en=c.match_en,
                number=c.number,
                tolerance=c.tolerance,
            )
            for c in question.choices.all()
        ],
    )


def questions_export_gift(*, category: QuestionCategory | None = None) -> str:
    questions = Question.objects.select_related("category", "competency__framework").prefetch_related(
        "choices"
    )
    if category is not None:
        questions = questions.filter(category=category)
    return gift_export([question_as_gift(q) for q in questions.order_by("category__name", "id")])
