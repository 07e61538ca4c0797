"""The assessment pages (tests and self-assessments) that staff open, and their admin form.

The question bank, attempts and self-assessment submissions are in ``records.py``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from profiles.models import Competency, ProficiencyLevel

# Django and the rest of the code find the app's models here, the records with the pages.
from .records import (  # noqa: F401
    SCALE_POINTS,
    Attempt,
    AttemptQuestion,
    Band,
    Choice,
    CompetencyResult,
    DrawRule,
    Question,
    QuestionCategory,
    SelfAssessment,
    SelfAssessmentResult,
    SelfRating,
    Statement,
)
from .selectors import assessment_page_state, self_assessment_page_state


def _scales(framework_ids) -> dict[int, set[int]]:
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
        NEVER = "never", pgettext_lazy("review after", "Never")

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
        context = super().get_context(request, *args, **kwargs)
        context.update(assessment_page_state(page=self, user=request.user, now=timezone.now()))
        return context


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
        context = super().get_context(request, *args, **kwargs)
        context.update(self_assessment_page_state(page=self, user=request.user))
        return context
