"""The course catalogue: course pages written in the Wagtail admin, and what staff do with them."""

from __future__ import annotations

from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Orderable, Page
from wagtail.search import index


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
        from profiles.selectors import employee_for_user

        from .forms import CatalogueFilterForm
        from .selectors import catalogue_cards

        context = super().get_context(request, *args, **kwargs)
        form = CatalogueFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        employee = employee_for_user(request.user)
        context.update(
            form=form,
            employee=employee,
            cards=catalogue_cards(catalogue=self, employee=employee, filters=filters, request=request),
        )
        return context


class CoursePage(RoutablePageMixin, Page):
    """A course: what it develops, how long it takes, and its lessons."""

    class Level(models.TextChoices):
        INTRODUCTORY = "introductory", _("Introductory")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    class Language(models.TextChoices):
        THAI = "th", _("Thai")
        ENGLISH = "en", _("English")

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
        from .selectors import course_page_state

        context = super().get_context(request, *args, **kwargs)
        context.update(course_page_state(course=self, user=request.user))
        return context

    @path("lesson/<int:number>/", name="lesson")
    def lesson(self, request, number: int):
        """A lesson, for an enrolled learner (or an author previewing the course)."""
        from django.contrib.auth.views import redirect_to_login

        from .selectors import lesson_state
        from .services import enrolment_resume_set

        lessons = self.lesson_list
        if not 1 <= number <= len(lessons):
            raise Http404
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        state = lesson_state(course=self, user=request.user, number=number)
        if state["enrolment"] is None:
            from django.contrib import messages

            messages.info(request, _("Enrol in the course to open its lessons."))
            return redirect(self.url)
        enrolment_resume_set(enrolment=state["enrolment"], lesson_id=lessons[number - 1].id)
        return self.render(
            request,
            context_overrides={"lesson": lessons[number - 1], "number": number, **state},
            template="courses/lesson.html",
        )


class CourseCompetency(Orderable):
    """A competency the course develops, and the level a completion evidences."""

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="competencies")
    competency = models.ForeignKey(
        "profiles.Competency", verbose_name=_("competency"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(
        _("level evidenced"), help_text=_("The level on the competency's framework scale a completion shows.")
    )

    panels = [FieldPanel("competency"), FieldPanel("level")]

    class Meta(Orderable.Meta):
        verbose_name = _("competency developed")
        verbose_name_plural = _("competencies developed")
        constraints = [
            models.UniqueConstraint(fields=["course", "competency"], name="course_competency_once"),
        ]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from profiles.models import ProficiencyLevel

        if self.competency_id and self.level is not None:
            scale = ProficiencyLevel.objects.filter(
                framework_id=self.competency.framework_id, level=self.level
            )
            if not scale.exists():
                raise ValidationError({"level": _("This level is not on the competency's framework scale.")})


class Enrolment(models.Model):
    """One employee taking one course: self-enrolled or assigned, with progress and completion."""

    employee = models.ForeignKey(
        "profiles.Employee", verbose_name=_("employee"), on_delete=models.PROTECT, related_name="enrolments"
    )
    course = models.ForeignKey(
        CoursePage, verbose_name=_("course"), on_delete=models.PROTECT, related_name="enrolments"
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    assigned_by = models.ForeignKey(
        "auth.User",
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    is_mandatory = models.BooleanField(_("mandatory"), default=False)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    resume_lesson_id = models.CharField(_("resume at lesson"), max_length=64, blank=True)
    progress_percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    certificate_code = models.CharField(
        _("certificate code"), max_length=32, null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-enrolled_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["employee", "course"], name="enrolment_once")]
        indexes = [models.Index(fields=["due_date", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.employee} · {self.course.title}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    def is_overdue(self, today=None) -> bool:
        from skills_site.thai_calendar import bangkok_date

        today = today or bangkok_date(timezone.now())
        return self.completed_at is None and self.due_date is not None and self.due_date < today

    @property
    def status(self) -> str:
        if self.completed_at:
            return "completed"
        if self.is_overdue():
            return "overdue"
        if self.started_at:
            return "in_progress"
        if self.assigned_at:
            return "assigned"
        return "enrolled"


class LessonProgress(models.Model):
    """A lesson the learner has completed; keyed by the lesson block's stable id."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson_id = models.CharField(max_length=64)
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson_id"], name="lesson_completed_once"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} · {self.lesson_id}"


class ReminderSent(models.Model):
    """A reminder about one enrolment sent to one person on one day, so a rerun sends nothing new."""

    class Kind(models.TextChoices):
        LEARNER = "learner", _("Reminder to the learner")
        MANAGER = "manager", _("Manager digest")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    recipient = models.ForeignKey("profiles.Employee", on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "kind", "recipient", "sent_on"], name="reminder_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.recipient_id} {self.sent_on}"
