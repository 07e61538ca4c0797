"""The assessment app's records: the question bank, attempts, self-assessments and their results.

Everything of the app that is not a Wagtail page lives here, below the pages, selectors and
services, so that those can import it without importing the pages (``models.py``) back.
Attempts store what was drawn (questions and option order) when they start, so an attempt
resumes exactly as it was and is scored against what the employee saw.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from profiles.models import Competency, Employee
from skills_site.rich_text import TextFormat, plain_text, render_text

from . import scoring

# The page models (assessments.models), named for the relations here.
ASSESSMENT_PAGE = "assessments.AssessmentPage"
SELF_ASSESSMENT_PAGE = "assessments.SelfAssessmentPage"


def _pick(th: str, en: str) -> str:
    language = translation.get_language() or "th"
    if language.startswith("en") and en:
        return en
    return th or en


class QuestionCategory(models.Model):
    """A folder of the question bank; the name is a path such as "Placement/Digital literacy"."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Question(ClusterableModel):
    class Kind(models.TextChoices):
        SINGLE = scoring.SINGLE, _("Single choice")
        MULTIPLE = scoring.MULTIPLE, _("Multiple response")
        TRUE_FALSE = scoring.TRUE_FALSE, _("True / false")
        NUMERIC = scoring.NUMERIC, _("Numeric")
        SHORT_TEXT = scoring.SHORT_TEXT, _("Short text")
        MATCHING = scoring.MATCHING, _("Matching")

    class Difficulty(models.IntegerChoices):
        VERY_EASY = 1, _("Very easy")
        EASY = 2, _("Easy")
        MEDIUM = 3, _("Medium")
        HARD = 4, _("Hard")
        VERY_HARD = 5, _("Very hard")

    category = models.ForeignKey(
        QuestionCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="questions"
    )
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="questions"
    )
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, default=Kind.SINGLE)
    name = models.CharField(_("short name"), max_length=255, blank=True)
    idnumber = models.CharField(
        _("ID number"), max_length=100, blank=True, help_text=_("Moodle's question ID number, if any.")
    )
    text_format = models.CharField(
        _("text format"),
        max_length=16,
        choices=TextFormat.choices,
        default=TextFormat.MOODLE,
        help_text=_(
            "How the question text, and options and feedback without a format of their own, are shown: "
            "HTML (cleaned of anything that could run) and Markdown are formatted; the others as text."
        ),
    )
    text_th = models.TextField(_("question (Thai)"))
    text_en = models.TextField(_("question (English)"), blank=True)
    general_feedback_format = models.CharField(
        _("general feedback format"), max_length=16, choices=TextFormat.choices, default=TextFormat.MOODLE
    )
    general_feedback_th = models.TextField(_("general feedback (Thai)"), blank=True)
    general_feedback_en = models.TextField(_("general feedback (English)"), blank=True)
    tags = models.JSONField(
        _("other Moodle tags"),
        default=list,
        blank=True,
        help_text=_("Kept so that an export gives them back."),
    )
    is_active = models.BooleanField(
        _("in use"), default=True, help_text=_("Only questions in use are drawn into new attempts.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    panels = [
        FieldRowPanel([FieldPanel("category"), FieldPanel("competency")]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("difficulty"), FieldPanel("is_active")]),
        FieldRowPanel([FieldPanel("name"), FieldPanel("idnumber")]),
        FieldPanel("text_format"),
        FieldPanel("text_th"),
        FieldPanel("text_en"),
        MultiFieldPanel(
            [
                FieldPanel("general_feedback_format"),
                FieldPanel("general_feedback_th"),
                FieldPanel("general_feedback_en"),
            ],
            heading=_("General feedback"),
        ),
        InlinePanel(
            "choices",
            heading=_("Options / accepted answers / pairs"),
            label=_("Option"),
            help_text=_(
                "Single choice: one option worth 100%. Multiple response: the correct options' weights "
                "add up to 100% and wrong options carry negative weights; the score is the sum of the "
                "weights chosen, never below 0. True/false: options 'True' and 'False'. Numeric: a "
                "number and a tolerance per accepted answer; an answer with * as its Thai text and no "
                "number counts for any other number, with its feedback. Short text: each accepted answer "
                "in the text fields (* matches any characters; * alone: any other answer). Matching: left "
                "side in the text fields, right side (plain text) in the match fields."
            ),
        ),
    ]

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["category", "id"]
        indexes = [models.Index(fields=["category", "is_active"])]

    def __str__(self) -> str:
        return self.name or plain_text(self.text_th, self.text_format)[:80]

    @property
    def text(self) -> str:
        return _pick(self.text_th, self.text_en)

    @property
    def text_html(self):
        """The question text in the current language, formatted and made safe."""
        return render_text(self.text, self.text_format)

    @property
    def text_plain(self) -> str:
        return plain_text(self.text, self.text_format)

    @property
    def general_feedback(self) -> str:
        return _pick(self.general_feedback_th, self.general_feedback_en)

    @property
    def general_feedback_html(self):
        return render_text(self.general_feedback, self.general_feedback_format)

    def scoring_item(self, choices=None) -> scoring.Item:
        choices = list(self.choices.all()) if choices is None else choices
        return scoring.Item(
            kind=self.kind,
            options=tuple(
                scoring.Option(
                    id=c.pk,
                    weight=c.weight,
                    text=(c.text_th, c.text_en),
                    number=c.number,
                    tolerance=c.tolerance or Decimal(0),
                )
                for c in choices
            ),
        )


class Choice(Orderable):
    """An option, an accepted answer (short text, numeric) or a matching pair."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text_format = models.CharField(
        _("text format"), max_length=16, choices=TextFormat.choices, default=TextFormat.MOODLE
    )
    text_th = models.TextField(_("text (Thai)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    match_th = models.CharField(_("matches (Thai)"), max_length=1000, blank=True)
    match_en = models.CharField(_("matches (English)"), max_length=1000, blank=True)
    weight = models.DecimalField(
        _("weight %"),
        max_digits=8,
        decimal_places=5,
        default=Decimal(0),
        validators=[MinValueValidator(-100), MaxValueValidator(100)],
    )
    number = models.DecimalField(_("number"), max_digits=24, decimal_places=8, null=True, blank=True)
    tolerance = models.DecimalField(_("tolerance"), max_digits=24, decimal_places=8, default=Decimal(0))
    feedback_format = models.CharField(
        _("feedback format"), max_length=16, choices=TextFormat.choices, default=TextFormat.MOODLE
    )
    feedback_th = models.TextField(_("feedback (Thai)"), blank=True)
    feedback_en = models.TextField(_("feedback (English)"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("text_format"), FieldPanel("feedback_format")]),
        FieldRowPanel([FieldPanel("text_th"), FieldPanel("text_en")]),
        FieldRowPanel([FieldPanel("match_th"), FieldPanel("match_en")]),
        FieldRowPanel([FieldPanel("weight"), FieldPanel("number"), FieldPanel("tolerance")]),
        FieldRowPanel([FieldPanel("feedback_th"), FieldPanel("feedback_en")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return plain_text(self.text_th or self.text_en, self.text_format)

    @property
    def text(self) -> str:
        return _pick(self.text_th, self.text_en)

    @property
    def text_html(self):
        """The option's text in the current language, formatted and safe, without block tags (it
        sits in a label)."""
        return render_text(self.text, self.text_format, inline=True)

    @property
    def text_plain(self) -> str:
        return plain_text(self.text, self.text_format)

    @property
    def match(self) -> str:
        return _pick(self.match_th, self.match_en)

    @property
    def feedback(self) -> str:
        return _pick(self.feedback_th, self.feedback_en)

    @property
    def feedback_html(self):
        return render_text(self.feedback, self.feedback_format)

    @property
    def is_any_answer(self) -> bool:
        """Moodle's "*": any other answer (numeric without a number, or short text of only "*")."""
        text = (self.text_th or "").strip(), (self.text_en or "").strip()
        return text == ("*", "") and self.number is None


class DrawRule(Orderable):
    page = ParentalKey(ASSESSMENT_PAGE, on_delete=models.CASCADE, related_name="draw_rules")
    category = models.ForeignKey(
        QuestionCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    competency = models.ForeignKey(
        Competency,
        verbose_name=_("only questions of competency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    count = models.PositiveSmallIntegerField(_("number of questions"), default=5)

    panels = [FieldRowPanel([FieldPanel("category"), FieldPanel("competency"), FieldPanel("count")])]

    class Meta(Orderable.Meta):
        verbose_name = _("draw rule")

    def __str__(self) -> str:
        return f"{self.category} × {self.count}"


class Band(Orderable):
    page = ParentalKey(ASSESSMENT_PAGE, on_delete=models.CASCADE, related_name="bands")
    competency = models.ForeignKey(
        Competency,
        verbose_name=_("competency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    min_percent = models.DecimalField(
        _("minimum score %"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    level = models.PositiveSmallIntegerField(_("evidences level"))

    panels = [FieldRowPanel([FieldPanel("competency"), FieldPanel("min_percent"), FieldPanel("level")])]

    class Meta(Orderable.Meta):
        verbose_name = _("level band")

    def __str__(self) -> str:
        return f"≥{self.min_percent}% → {self.level}"


class Attempt(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    page = models.ForeignKey(
        ASSESSMENT_PAGE, verbose_name=_("assessment"), on_delete=models.PROTECT, related_name="attempts"
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="assessment_attempts"
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    timed_out = models.BooleanField(_("submitted when time ran out"), default=False)
    score_percent = models.DecimalField(_("score %"), max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["page", "employee", "number"], name="attempt_number_unique"),
            models.UniqueConstraint(
                fields=["page", "employee"],
                condition=models.Q(status="in_progress"),
                name="attempt_one_in_progress",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"{self.page_id}/{self.employee_id} #{self.number}"

    def remaining_seconds(self, now: dt.datetime) -> int | None:
        if self.deadline is None:
            return None
        return max(0, int((self.deadline - now).total_seconds()))

    def is_expired(self, now: dt.datetime) -> bool:
        return self.deadline is not None and now >= self.deadline


class AttemptQuestion(models.Model):
    """One drawn question of an attempt: its place, the option order shown and the saved response."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="questions")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    choice_order = models.JSONField(default=list)  # choice ids as shown (left side for matching)
    match_order = models.JSONField(default=list)  # matching: choice ids whose right side is shown, in order
    response = models.JSONField(null=True, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=6, decimal_places=5, null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="attempt_question_once"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.position}"


class CompetencyResult(models.Model):
    """An attempt's subscore in one competency and the level it evidences (if it meets a band)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="results")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    score_percent = models.DecimalField(max_digits=5, decimal_places=2)
    question_count = models.PositiveSmallIntegerField()
    level = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "competency__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "competency"], name="result_once_per_competency"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} {self.competency_id}: {self.score_percent}%"


# --- Self-assessment ----------------------------------------------------------------------


class Statement(Orderable):
    page = ParentalKey(SELF_ASSESSMENT_PAGE, on_delete=models.CASCADE, related_name="statements")
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="+"
    )
    text_th = models.CharField(_("statement (Thai)"), max_length=500)
    text_en = models.CharField(_("statement (English)"), max_length=500, blank=True)

    panels = [FieldPanel("competency"), FieldRowPanel([FieldPanel("text_th"), FieldPanel("text_en")])]

    class Meta(Orderable.Meta):
        verbose_name = _("statement")

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return _pick(self.text_th, self.text_en)


SCALE_POINTS = [
    (1, _("I don't know how")),
    (2, _("With help")),
    (3, _("On my own")),
    (4, _("With confidence, and I can guide others")),
]


class SelfAssessment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for manager review")
        REVIEWED = "reviewed", _("Reviewed by manager")
        CLOSED = "closed", _("Closed without review")

    page = models.ForeignKey(
        SELF_ASSESSMENT_PAGE,
        verbose_name=_("self-assessment"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="self_assessments"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    submitted_at = models.DateTimeField(_("submitted"))
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_note = models.TextField(_("manager's note"), blank=True)

    class Meta:
        verbose_name = _("self-assessment submission")
        verbose_name_plural = _("self-assessment submissions")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "employee"],
                condition=models.Q(status="pending"),
                name="self_assessment_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.page_id}/{self.employee_id} {self.submitted_at:%Y-%m-%d}"


class SelfRating(models.Model):
    """The employee's point on one statement."""

    self_assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="ratings")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="+")
    point = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["self_assessment", "statement"], name="rating_once")]

    def __str__(self) -> str:
        return f"{self.statement_id}: {self.point}"


class SelfAssessmentResult(models.Model):
    """The self-rated level in one competency, and the level the manager confirmed or set."""

    self_assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="results")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    self_level = models.PositiveSmallIntegerField()
    manager_level = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["self_assessment", "competency__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["self_assessment", "competency"], name="self_result_once"),
        ]

    def __str__(self) -> str:
        return f"{self.competency_id}: {self.self_level}"
