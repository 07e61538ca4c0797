"""The course catalogue: course pages written in the Wagtail admin, and what staff do with them."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page
from wagtail.search import index

from profiles.organisation.selectors import employee_for_user
from skills_site.page_cache import page_cache_allow

from .forms import CatalogueFilterForm

# Django and the rest of the code find the app's models here, the records with the pages.
from .records import (  # noqa: F401
    MAX_COST_PER_RUN,
    MAX_COST_PER_SEAT,
    MAX_LEARNING_HOURS,
    MAX_SEATS_PER_RUN,
    RUN_BASED_MODES,
    CourseCompetency,
    CourseLanguage,
    CourseLevel,
    DeliveryMode,
    Enrolment,
    LessonProgress,
    ReminderSent,
)
from .selectors import catalogue_cards, course_page_state, lesson_state
from .services import enrolment_resume_set


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("tip", _("Tip")), ("note", _("Note")), ("warning", _("Warning"))],
        default="tip",
        label=_("kind"),
    )
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"], label=_("text"))

    class Meta:
        icon = "help"
        label = _("Callout / tip")
        template = "courses/blocks/callout.html"


class DocumentDownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    description = blocks.CharBlock(required=False, label=_("description"))

    class Meta:
        icon = "doc-full"
        label = _("Document download")
        template = "courses/blocks/document.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("video URL"), help_text=_("A YouTube or Vimeo address."))
    caption = blocks.CharBlock(required=False, label=_("caption"))

    class Meta:
        icon = "media"
        label = _("Embedded video")
        template = "courses/blocks/video.html"


class AssessmentLinkBlock(blocks.StructBlock):
    """A link to an assessment (from the assessments app) that checks what the lesson taught."""

    assessment = blocks.PageChooserBlock(page_type="assessments.AssessmentPage", label=_("assessment"))
    text = blocks.CharBlock(required=False, label=_("text"))

    class Meta:
        icon = "tasks"
        label = _("Link to assessment")
        template = "courses/blocks/assessment.html"


def _lesson_content_blocks():
    content = [
        ("text", blocks.RichTextBlock(label=_("Rich text"))),
        ("image", ImageBlock(label=_("Image"))),
        ("video", VideoBlock()),
        ("document", DocumentDownloadBlock()),
        ("callout", CalloutBlock()),
        ("assessment", AssessmentLinkBlock()),
    ]
    return content


class LessonBlock(blocks.StructBlock):
    """One lesson: a title, an estimated time and its content. Progress is kept by the block's id."""

    title = blocks.CharBlock(label=_("lesson title"))
    minutes = blocks.IntegerBlock(required=False, min_value=1, label=_("minutes"))
    content = blocks.StreamBlock(_lesson_content_blocks(), label=_("content"))

    class Meta:
        icon = "list-ol"
        label = _("Lesson")


class CourseCataloguePage(Page):
    """The list of courses staff can search, filter and enrol in."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["courses.CoursePage"]
    parent_page_types = ["skills_site.HomePage"]

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if not getattr(request, "is_preview", False):
            page_cache_allow(request)
        form = CatalogueFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        employee = employee_for_user(request.user)
        context.update(
            form=form,
            employee=employee,
            cards=catalogue_cards(
                courses=CoursePage.objects.live().descendant_of(self),
                employee=employee,
                filters=filters,
                request=request,
            ),
        )
        return context


class CoursePage(RoutablePageMixin, Page):
    """A course: what it develops, how long it takes, and its lessons."""

    Level = CourseLevel
    Language = CourseLanguage

    summary = models.TextField(_("summary"), help_text=_("One or two sentences for the catalogue card."))
    description = RichTextField(_("description"), blank=True)
    keywords = models.CharField(
        _("search keywords"),
        max_length=255,
        blank=True,
        help_text=_("Words separated by spaces that staff may search for (Thai words are not split)."),
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.INTRODUCTORY)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.THAI)
    duration_minutes = models.PositiveIntegerField(_("estimated duration (minutes)"), default=60)
    is_mandatory = models.BooleanField(
        _("mandatory for all staff"), default=False, help_text=_("Shown in the catalogue's mandatory filter.")
    )
    prerequisites = ParentalManyToManyField(
        "self", verbose_name=_("prerequisites"), blank=True, symmetrical=False, related_name="required_by"
    )
    lessons = StreamField([("lesson", LessonBlock())], verbose_name=_("lessons"), blank=True)
    # Delivery and cost, for training plans: a course without a cost is free.
    delivery_mode = models.CharField(
        _("delivery"), max_length=16, choices=DeliveryMode.choices, default=DeliveryMode.SELF_PACED
    )
    cost_per_seat = models.DecimalField(
        _("cost per seat (baht)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[
            MinValueValidator(0, message=_("A cost cannot be negative.")),
            MaxValueValidator(
                MAX_COST_PER_SEAT,
                message=_("More than 1,000,000 baht a seat is not a plausible price: check the figure."),
            ),
        ],
        help_text=_("Fees, licence or materials for each learner. Leave 0 for a free course."),
    )
    cost_per_run = models.DecimalField(
        _("cost per run (baht)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[
            MinValueValidator(0, message=_("A cost cannot be negative.")),
            MaxValueValidator(
                MAX_COST_PER_RUN,
                message=_("More than 10,000,000 baht a run is not a plausible price: check the figure."),
            ),
        ],
        help_text=_("For classroom and online classes: trainer, room and catering for one run."),
    )
    seats_per_run = models.PositiveIntegerField(
        _("seats per run"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(1, message=_("A run has at least one seat.")),
            MaxValueValidator(
                MAX_SEATS_PER_RUN,
                message=_("At most %(limit_value)s seats a run."),
            ),
        ],
        help_text=_("For classroom and online classes: how many learners one run takes."),
    )
    learning_hours = models.DecimalField(
        _("learning hours"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal("0.1"), message=_("Learning takes some time: at least 0.1 hours.")),
            MaxValueValidator(
                MAX_LEARNING_HOURS,
                message=_("At most %(limit_value)s learning hours."),
            ),
        ],
        help_text=_("Hours each learner spends away from work. Leave empty to use the estimated duration."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("level"),
                FieldPanel("language"),
                FieldPanel("duration_minutes"),
                FieldPanel("is_mandatory"),
                FieldPanel("keywords"),
                FieldPanel("prerequisites"),
            ],
            heading=_("Course facts"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("delivery_mode"),
                FieldPanel("cost_per_seat"),
                FieldPanel("cost_per_run"),
                FieldPanel("seats_per_run"),
                FieldPanel("learning_hours"),
            ],
            heading=_("Delivery and cost"),
        ),
        InlinePanel("competencies", heading=_("Competencies developed"), label=_("competency")),
        FieldPanel("lessons"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("keywords"),
        index.AutocompleteField("keywords"),
        index.FilterField("level"),
        index.FilterField("language"),
        index.FilterField("duration_minutes"),
        index.FilterField("is_mandatory"),
    ]
    parent_page_types = ["courses.CourseCataloguePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("course")

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.delivery_mode in RUN_BASED_MODES and not self.seats_per_run:
            errors["seats_per_run"] = _("A course given in runs needs its seats per run (at least 1).")
        if self.delivery_mode not in RUN_BASED_MODES and self.cost_per_run:
            errors["cost_per_run"] = _(
                "Only a classroom or online class is given in runs: put this course's cost per seat instead."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_run_based(self) -> bool:
        return self.delivery_mode in RUN_BASED_MODES

    @property
    def planning_hours(self) -> Decimal:
        """Hours away from work per learner: as entered, else the estimated duration."""
        if self.learning_hours is not None:
            return self.learning_hours
        return (Decimal(self.duration_minutes) / 60).quantize(Decimal("0.1"))

    @property
    def duration_display(self) -> str:
        hours, minutes = divmod(self.duration_minutes, 60)
        if not hours:
            return ngettext("%(m)d minute", "%(m)d minutes", minutes) % {"m": minutes}
        text = ngettext("%(h)d hour", "%(h)d hours", hours) % {"h": hours}
        if minutes:
            text += " " + ngettext("%(m)d minute", "%(m)d minutes", minutes) % {"m": minutes}
        return text

    # Lessons -----------------------------------------------------------------------------

    @property
    def lesson_list(self) -> list:
        """The lessons in order, each a stream child with a stable ``id``."""
        return list(self.lessons)

    @property
    def lesson_ids(self) -> list[str]:
        return [child.id for child in self.lessons]

    def lesson_url(self, number: int) -> str:
        return self.url + self.reverse_subpage("lesson", kwargs={"number": number})

    # Pages -------------------------------------------------------------------------------

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if not getattr(request, "is_preview", False):
            page_cache_allow(request)
        context.update(course_page_state(course=self, user=request.user))
        return context

    @path("lesson/<int:number>/", name="lesson")
    def lesson(self, request, number: int):
        """A lesson, for an enrolled learner (or an author previewing the course)."""
        lessons = self.lesson_list
        if not 1 <= number <= len(lessons):
            raise Http404
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        state = lesson_state(course=self, user=request.user, number=number)
        if state["enrolment"] is None:
            messages.info(request, _("Enrol in the course to open its lessons."))
            return redirect(self.url)
        enrolment_resume_set(enrolment=state["enrolment"], lesson_id=lessons[number - 1].id)
        return self.render(
            request,
            context_overrides={"lesson": lessons[number - 1], "number": number, **state},
            template="courses/lesson.html",
        )
