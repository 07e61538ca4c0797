"""Question bank writes and exports: GIFT files in and out of the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from profiles.models import Competency
from skills_site.rich_text import MOODLE_FILE, TextFormat, sanitise_html

from .gift import (
    MAX_PROBLEMS,
    GiftChoice,
    GiftError,
    GiftQuestion,
    GiftSkipped,
    gift_export,
    gift_parse,
    gift_read_upload,
)
from .records import Choice, Question, QuestionCategory

MATCH_MAX_LENGTH = 1000
BATCH = 250


@dataclass
class GiftImportResult:
    """What an import stored, what it left out (valid questions of a type this site does not take),
    and notes for the author (the file's encoding, Moodle files the texts point at)."""

    created: list[Question]
    skipped: list[GiftSkipped] = field(default_factory=list)
    encoding: str = "UTF-8"
    notes: list[tuple[int, str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.created)


def _competency_key(competency: Competency) -> str:
    return f"{competency.framework.code}/{competency.code}"


def _stored_text(text: str, text_format: str) -> str:
    """HTML is stored cleaned (nh3), so that nothing that could run is ever kept; other formats as given."""
    return sanitise_html(text) if text_format == TextFormat.HTML and text else text


def _moodle_files(item: GiftQuestion) -> bool:
    texts = [item.text_th, item.text_en, item.general_feedback_th, item.general_feedback_en]
    for choice in item.choices:
        texts += [choice.text_th, choice.text_en, choice.feedback_th, choice.feedback_en]
    return any(MOODLE_FILE in text for text in texts)


def _question(
    item: GiftQuestion,
    categories,
    competencies,
    default_competency,
    default_category: str,
    default_difficulty: int,
) -> Question:
    return Question(
        category=categories[item.category or default_category.strip()],
        competency=competencies[item.competency] if item.competency else default_competency,
        difficulty=item.difficulty or default_difficulty,
        kind=item.kind,
        name=item.name,
        idnumber=item.idnumber[:100],
        tags=item.tags,
        text_format=item.text_format,
        text_th=_stored_text(item.text_th, item.text_format),
        text_en=_stored_text(item.text_en, item.text_format),
        general_feedback_format=item.general_feedback_format,
        general_feedback_th=_stored_text(item.general_feedback_th, item.general_feedback_format),
        general_feedback_en=_stored_text(item.general_feedback_en, item.general_feedback_format),
    )


def _choice(question: Question, order: int, c: GiftChoice) -> Choice:
    return Choice(
        question=question,
        sort_order=order,
        text_format=c.text_format,
        text_th=_stored_text(c.text_th, c.text_format),
        text_en=_stored_text(c.text_en, c.text_format),
        match_th=c.match_th,
        match_en=c.match_en,
        weight=c.weight,
        number=c.number,
        tolerance=c.tolerance,
        feedback_format=c.feedback_format,
        feedback_th=_stored_text(c.feedback_th, c.feedback_format),
        feedback_en=_stored_text(c.feedback_en, c.feedback_format),
    )


def questions_import_gift(
    *,
    data: bytes,
    default_competency: Competency | None = None,
    default_category: str = "",
    default_difficulty: int = Question.Difficulty.MEDIUM,
    progress: Callable[[int, int], None] | None = None,
) -> GiftImportResult:
    """Create the questions of a GIFT file in one transaction, or none.

    A malformed file, or one naming a competency that does not exist, raises ``GiftError`` with the
    line of each problem. Descriptions and essays are valid GIFT this site does not take: they are
    left out and listed in the result, and the rest is imported. ``progress(done, total)`` is called
    as questions are written.
    """
    text, encoding = gift_read_upload(data)
    parsed = gift_parse(text)
    competencies = {
        _competency_key(c): c
        for c in Competency.objects.select_related("framework").order_by("framework__version")
    }
    problems = []
    notes = []
    for item in parsed.questions:
        if item.competency and item.competency not in competencies:
            problems.append((item.line, _("unknown competency %(code)s") % {"code": item.competency}))
        elif not item.competency and default_competency is None:
            problems.append((item.line, _("no competency: add a [tag:competency=...] comment or choose one")))
        if not (item.category or default_category.strip()):
            problems.append((item.line, _("no category: add a $CATEGORY line or choose one")))
        if len(item.name) > 255:
            problems.append((item.line, _("the question title is longer than 255 characters")))
        if any(max(len(c.match_th), len(c.match_en)) > MATCH_MAX_LENGTH for c in item.choices):
            problems.append((item.line, _("a matching answer is longer than 1,000 characters")))
        if _moodle_files(item):
            note = _(
                "this question shows a file kept inside Moodle (@@PLUGINFILE@@), which GIFT does not "
                "carry: add the picture again here or remove the reference"
            )
            notes.append((item.line, note))
    if problems:
        raise GiftError(problems[:MAX_PROBLEMS])

    created: list[Question] = []
    total = len(parsed.questions)
    with transaction.atomic():
        categories: dict[str, QuestionCategory] = {}
        # Written a batch at a time (two inserts per batch, not two per question): a 5 MB file holds
        # about 17,000 questions. Nothing indexes questions as they are saved one by one, so nothing
        # is skipped.
        for first in range(0, total, BATCH):
            batch = parsed.questions[first : first + BATCH]
            for item in batch:
                name = item.category or default_category.strip()
                if name not in categories:
                    categories[name], _created = QuestionCategory.objects.get_or_create(name=name)
            questions = Question.objects.bulk_create(
                [
                    _question(
                        item,
                        categories,
                        competencies,
                        default_competency,
                        default_category,
                        default_difficulty,
                    )
                    for item in batch
                ]
            )
            Choice.objects.bulk_create(
                [
                    _choice(question, order, c)
                    for question, item in zip(questions, batch, strict=True)
                    for order, c in enumerate(item.choices)
                ]
            )
            created += questions
            if progress is not None:
                progress(len(created), total)
    return GiftImportResult(created=created, skipped=parsed.skipped, encoding=encoding, notes=notes)


def question_as_gift(question: Question) -> GiftQuestion:
    return GiftQuestion(
        line=0,
        kind=question.kind,
        text_th=question.text_th,
        text_en=question.text_en,
        text_format=question.text_format,
        name=question.name,
        idnumber=question.idnumber,
        tags=list(question.tags or []),
        category=question.category.name,
        general_feedback_th=question.general_feedback_th,
        general_feedback_en=question.general_feedback_en,
        general_feedback_format=question.general_feedback_format,
        competency=_competency_key(question.competency),
        difficulty=question.difficulty,
        choices=[
            GiftChoice(
                text_th=c.text_th,
                text_en=c.text_en,
                text_format=c.text_format,
                weight=c.weight,
                feedback_th=c.feedback_th,
                feedback_en=c.feedback_en,
                feedback_format=c.feedback_format,
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
