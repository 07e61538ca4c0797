"""Question bank, assessment pages, attempts and self-assessments.

Attempts store what was drawn (questions and option order) when they start, so an attempt
resumes exactly as it was and is scored against what the employee saw.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from profiles.models import Competency, Employee

from . import scoring


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
    text_th = models.TextField(_("question (Thai)"))
    text_en = models.TextField(_("question (English)"), blank=True)
    general_feedback_th = models.TextField(_("general feedback (Thai)"), blank=True)
    general_feedback_en = models.TextField(_("general feedback (English)"), blank=True)
    is_active = models.BooleanField(
        _("in use"), default=True, help_text=_("Only questions in use are drawn into new attempts.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    panels = [
        FieldRowPanel([FieldPanel("category"), FieldPanel("competency")]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("difficulty"), FieldPanel("is_active")]),
        FieldPanel("name"),
        FieldPanel("text_th"),
        FieldPanel("text_en"),
        MultiFieldPanel(
            [FieldPanel("general_feedback_th"), FieldPanel("general_feedback_en")],
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
                "number and a tolerance per accepted answer. Short text: each accepted answer in the "
                "text fields. Matching: left side in the text fields, right side in the match fields."
            ),
        ),
    ]

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["category", "id"]
        indexes = [models.Index(fields=["category", "is_active"])]

    def __str__(self) -> str:
        return self.name or self.text_th[:80]

    @property
    def text(self) -> str:
        return _pick(self.text_th, self.text_en)

    @property
    def general_feedback(self) -> str:
        return _pick(self.general_feedback_th, self.general_feedback_en)

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
    text_th = models.CharField(_("text (Thai)"), max_length=1000, blank=True)
    text_en = models.CharField(_("text (English)"), max_length=1000, blank=True)
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
    feedback_th = models.TextField(_("feedback (Thai)"), blank=True)
    feedback_en = models.TextField(_("feedback (English)"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("text_th"), FieldPanel("text_en")]),
        FieldRowPanel([FieldPanel("match_th"), FieldPanel("match_en")]),
        FieldRowPanel([FieldPanel("weight"), FieldPanel("number"), FieldPanel("tolerance")]),
        FieldRowPanel([FieldPanel("feedback_th"), FieldPanel("feedback_en")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return self.text_th or self.text_en

    @property
    def text(self) -> str:
        return _pick(self.text_th, self.text_en)

    @property
    def match(self) -> str:
        return _pick(self.match_th, self.match_en)

    @property
    def feedback(self) -> str:
        return _pick(self.feedback_th, self.feedback_en)


def _scales(framework_ids) -> dict[int, set[int]]:
    from profiles.models import ProficiencyLevel

    scales: dict[int, set[int]] = {}
    for framework_id, level in ProficiencyLevel.objects.filter(framework_id__in=framework_ids).values_list(
        "framework_id", "level"
    ):
        scales.setdefault(framework_id, set()).add(level)
    return scales


class AssessmentPageForm(WagtailAdminPageForm):
    """Bands must name levels on the scale of the competencies they turn scores into."""

    def clean(self):
        cleaned = super().clean()
        competencies = list(cleaned.get("competencies") or [])
        bands = self.formsets.get("bands")
        if not competencies or bands is None or not bands.is_valid():
            return cleaned
        scales = _scales({c.framework_id for c in competencies})
        for form in bands.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE") or data.get("level") is None:
                continue
            competency = data.get("competency")
            if competency is not None and competency not in competencies:
                form.add_error("competency", _("The assessment does not measure this competency."))
                continue
            for target in [competency] if competency else competencies:
                if data["level"] not in scales.get(target.framework_id, set()):
                    form.add_error(
                        "level",
                        _("Level %(level)s is not on the scale of %(competency)s.")
                        % {"level": data["level"], "competency": target},
                    )
                    break
        return cleaned


class AssessmentPage(Page):
    """A published test: what it measures, how questions are drawn, its rules and its bands."""

    class ReviewAfter(models.TextChoices):
        IMMEDIATELY = "immediately", _("Immediately after submission")
        AFTER_CLOSE = "after_close", _("After the assessment closes")
        NEVER = "never", _("Never")

    class ReviewShows(models.TextChoices):
        RESPONSES = "responses", _("Their responses and which were right")
        ANSWERS = "answers", _("Their responses, the correct answers and feedback")

    intro = RichTextField(_("introduction"), blank=True)
    competencies = ParentalManyToManyField(
        Competency, verbose_name=_("competencies measured"), related_name="assessment_pages"
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_choices = models.BooleanField(_("shuffle options"), default=True)
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"), null=True, blank=True, help_text=_("Leave empty for no time limit.")
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), null=True, blank=True, help_text=_("Leave empty for unlimited attempts.")
    )
    pass_mark_percent = models.DecimalField(
        _("pass mark %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(60),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    review_after = models.CharField(
        _("question review available"),
        max_length=16,
        choices=ReviewAfter.choices,
        default=ReviewAfter.IMMEDIATELY,
    )
    review_shows = models.CharField(
        _("question review shows"), max_length=16, choices=ReviewShows.choices, default=ReviewShows.ANSWERS
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("competencies"),
        InlinePanel("draw_rules", heading=_("Questions drawn"), label=_("Draw rule"), min_num=1),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_choices")]),
                FieldRowPanel(
                    [
                        FieldPanel("time_limit_minutes"),
                        FieldPanel("max_attempts"),
                        FieldPanel("pass_mark_percent"),
                    ]
                ),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldRowPanel([FieldPanel("review_after"), FieldPanel("review_shows")]),
            ],
            heading=_("Rules"),
        ),
        InlinePanel(
            "bands",
            heading=_("Level bands"),
            label=_("Band"),
            help_text=_(
                "A competency score at or above the minimum evidences the level. A band without a "
                "competency applies to every competency measured, unless that competency has its own bands."
            ),
        ),
    ]
    parent_page_types = ["skills_site.HomePage"]
    subpage_types: list[str] = []
    template = "assessments/assessment_page.html"
    base_form_class = AssessmentPageForm

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The assessment must close after it opens.")})

    # Rules read by services and views; all take the time explicitly.
    def is_open(self, now: dt.datetime) -> bool:
        return (self.opens_at is None or now >= self.opens_at) and (
            self.closes_at is None or now < self.closes_at
        )

    def review_allowed(self, now: dt.datetime) -> bool:
        if self.review_after == self.ReviewAfter.IMMEDIATELY:
            return True
        if self.review_after == self.ReviewAfter.AFTER_CLOSE:
            return self.closes_at is not None and now >= self.closes_at
        return False

    def level_for(self, competency_id: int, percent: Decimal, bands=None) -> int | None:
        """The level a competency score evidences: its own bands first, otherwise the general ones."""
        bands = list(self.bands.all()) if bands is None else bands
        own = [b for b in bands if b.competency_id == competency_id]
        usable = own or [b for b in bands if b.competency_id is None]
        met = [b for b in usable if percent >= b.min_percent]
        return max((b.level for b in met), default=None)

    def get_context(self, request, *args, **kwargs):
        from .selectors import assessment_page_state

        context = super().get_context(request, *args, **kwargs)
        context.update(assessment_page_state(page=self, user=request.user, now=timezone.now()))
        return context


class DrawRule(Orderable):
    page = ParentalKey(AssessmentPage, on_delete=models.CASCADE, related_name="draw_rules")
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
    page = ParentalKey(AssessmentPage, on_delete=models.CASCADE, related_name="bands")
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
        AssessmentPage, verbose_name=_("assessment"), on_delete=models.PROTECT, related_name="attempts"
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


class SelfAssessmentPage(Page):
    """ "I can ..." statements rated on DigComp's four-point self-assessment scale.

    The four points map to levels of the competencies' framework. The defaults follow the autonomy
    that DigComp 2.2 describes for its eight levels: "I don't know how" -> 1 (foundation: only with
    guidance; the scale has no level 0), "With help" -> 2 (foundation: on my own, with guidance where
    needed), "On my own" -> 3 (intermediate: on my own), "With confidence, and I can guide others"
    -> 5 (advanced: guiding others). A competency's rating is the mean of its statements, rounded down.
    """

    intro = RichTextField(_("introduction"), blank=True)
    level_dont_know = models.PositiveSmallIntegerField(
        _('level for "I don\'t know how"'),
        default=1,
        help_text=_(
            "DigComp 2.2: 1, 2, 3, 5 (with guidance; guidance where needed; on my own; guiding others)."
        ),
    )
    level_with_help = models.PositiveSmallIntegerField(_('level for "With help"'), default=2)
    level_on_my_own = models.PositiveSmallIntegerField(_('level for "On my own"'), default=3)
    level_with_confidence = models.PositiveSmallIntegerField(
        _('level for "With confidence, and I can guide others"'), default=5
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("level_dont_know"), FieldPanel("level_with_help")]),
                FieldRowPanel([FieldPanel("level_on_my_own"), FieldPanel("level_with_confidence")]),
            ],
            heading=_("Levels recorded for each point of the scale"),
        ),
        InlinePanel("statements", heading=_("Statements"), label=_("Statement"), min_num=1),
    ]
    parent_page_types = ["skills_site.HomePage"]
    subpage_types: list[str] = []
    template = "assessments/self_assessment_page.html"

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")

    def clean(self):
        super().clean()
        levels = [
            self.level_dont_know,
            self.level_with_help,
            self.level_on_my_own,
            self.level_with_confidence,
        ]
        if levels != sorted(levels):
            raise ValidationError(_("The levels must not go down as the scale goes up."))

    def level_for_point(self, point: int) -> int:
        return {
            1: self.level_dont_know,
            2: self.level_with_help,
            3: self.level_on_my_own,
            4: self.level_with_confidence,
        }[point]

    def get_context(self, request, *args, **kwargs):
        from .selectors import self_assessment_page_state

        context = super().get_context(request, *args, **kwargs)
        context.update(self_assessment_page_state(page=self, user=request.user))
        return context


class Statement(Orderable):
    page = ParentalKey(SelfAssessmentPage, on_delete=models.CASCADE, related_name="statements")
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
        SelfAssessmentPage,
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
