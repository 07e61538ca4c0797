"""The course app's records: competencies, enrolments, lesson progress and reminders.

Everything of the app that is not a Wagtail page lives here, below the pages, selectors and
services, so that those can import it without importing the pages (``models.py``) back.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from profiles.models import ProficiencyLevel
from skills_site.thai_calendar import bangkok_date

# The course page model (courses.models.CoursePage), named for relations and type checks here.
COURSE_PAGE = "courses.CoursePage"


def is_course_page(page) -> bool:
    """Whether ``page`` is a course page instance (not a plain ``Page`` row, not another page type)."""
    meta = getattr(page, "_meta", None)
    return meta is not None and meta.label == COURSE_PAGE


class CourseLevel(models.TextChoices):
    INTRODUCTORY = "introductory", _("Introductory")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class CourseLanguage(models.TextChoices):
    THAI = "th", _("Thai")
    ENGLISH = "en", _("English")


class DeliveryMode(models.TextChoices):
    """How a course is delivered, which says how it is paid for: by the seat, or by the run."""

    SELF_PACED = "self_paced", _("Self-paced e-learning")
    CLASSROOM = "classroom", _("Classroom, in runs")
    ONLINE_CLASS = "online_class", _("Online class, in runs")
    EXTERNAL = "external", _("External provider (e.g. OCSC Learning Space)")


RUN_BASED_MODES = frozenset({DeliveryMode.CLASSROOM, DeliveryMode.ONLINE_CLASS})
# Beyond these a figure is a typing slip, not a price (a senior executive programme costs a few
# hundred thousand baht a seat; a run for a whole bureau a few million).
MAX_COST_PER_SEAT = 1_000_000
MAX_COST_PER_RUN = 10_000_000
MAX_SEATS_PER_RUN = 500
MAX_LEARNING_HOURS = 1_000


class CourseCompetency(Orderable):
    """A competency the course develops, and the level a completion evidences."""

    course = ParentalKey(COURSE_PAGE, on_delete=models.CASCADE, related_name="competencies")
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
        COURSE_PAGE, verbose_name=_("course"), on_delete=models.PROTECT, related_name="enrolments"
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
        today = today or bangkok_date(timezone.now())
        return self.completed_at is None and self.due_date is not None and self.due_date < today

    @staticmethod
    def overdue_on(today) -> models.Q:
        """``is_overdue`` as a filter, for lists that must not load every enrolment."""
        return models.Q(completed_at__isnull=True, due_date__isnull=False, due_date__lt=today)

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
