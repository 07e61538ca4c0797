"""Claims of outside learning, the outside courses HR maps to competencies, and imported completions."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..competencies.models import Competency, LevelEvidence, ProficiencyLevel
from ..organisation.models import Employee


def private_files():
    """Claim files are personal: kept outside the media folder the web server may serve (see README)."""
    return storages["private"]


def claim_file_path(instance, filename: str) -> str:
    # Never the uploaded name: it is the person's, and may carry path tricks.
    return f"prior-learning/{instance.employee_id}/{uuid.uuid4().hex}.{instance.file_type}"


class PriorLearningClaim(models.Model):
    """An employee's outside learning, with its proof, waiting for (or after) their manager's review."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    class FileType(models.TextChoices):
        PDF = "pdf", "PDF"
        PNG = "png", "PNG"
        JPEG = "jpg", "JPEG"

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="prior_learning_claims"
    )
    title = models.CharField(_("course or certificate"), max_length=255)
    provider = models.CharField(_("provider"), max_length=255)
    completed_on = models.DateField(_("completed on"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(0.5), MaxValueValidator(2000)],
    )
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="+"
    )
    level_claimed = models.PositiveSmallIntegerField(_("level claimed"))
    file = models.FileField(_("proof"), storage=private_files, upload_to=claim_file_path, max_length=255)
    file_name = models.CharField(_("file name"), max_length=255)
    file_type = models.CharField(_("file type"), max_length=8, choices=FileType.choices)
    file_size = models.PositiveIntegerField(_("file size (bytes)"))
    file_sha256 = models.CharField(max_length=64, editable=False)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.SUBMITTED)
    submitted_at = models.DateTimeField(_("submitted"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    level_accepted = models.PositiveSmallIntegerField(_("level accepted"), null=True, blank=True)
    reason = models.TextField(_("reviewer's reason"), blank=True)
    evidence = models.ForeignKey(
        LevelEvidence,
        verbose_name=_("evidence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("outside learning claim")
        verbose_name_plural = _("outside learning claims")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["state", "employee"])]

    def __str__(self) -> str:
        return f"{self.provider}: {self.title}"


class OutsideCourse(models.Model):
    """What a course of an outside platform evidences here: HR's mapping, used by the completion import.

    One row per competency the course evidences; a completion matches by the provider and either the
    course code or the title (letter case and spaces ignored).
    """

    provider = models.CharField(
        _("provider"), max_length=255, help_text=_("As the platform's file names it.")
    )
    code = models.CharField(_("course code"), max_length=100, blank=True)
    title = models.CharField(_("course title"), max_length=255, blank=True)
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("level evidenced"))

    class Meta:
        verbose_name = _("outside course")
        verbose_name_plural = _("outside courses")
        ordering = ["provider", "code", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "code", "title", "competency"], name="outside_course_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.code or self.title}"

    def clean(self) -> None:
        if not (self.code.strip() or self.title.strip()):
            raise ValidationError(_("Give the course code, the title, or both."))
        if self.competency_id and self.level is not None:
            scale = ProficiencyLevel.objects.filter(
                framework_id=self.competency.framework_id, level=self.level
            )
            if not scale.exists():
                raise ValidationError({"level": _("This level is not on the competency's framework scale.")})


class CompletionImport(models.Model):
    """One outside platform's completions file: checked in a dry run, then committed all at once."""

    class Status(models.TextChoices):
        CHECKED = "checked", _("Checked (dry run)")
        COMMITTED = "committed", _("Committed")
        REJECTED = "rejected", _("Has problems")

    file_name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outside learning import")
        verbose_name_plural = _("outside learning imports")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class OutsideCompletion(models.Model):
    """A course an employee completed on an outside platform, imported once per provider and external id."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="outside_completions"
    )
    provider = models.CharField(_("provider"), max_length=255)
    provider_key = models.CharField(max_length=255, editable=False)  # the provider, case and spaces folded
    external_id = models.CharField(_("external id"), max_length=100)
    course_code = models.CharField(_("course code"), max_length=100, blank=True)
    course_title = models.CharField(_("course title"), max_length=255, blank=True)
    completed_on = models.DateField(_("completed on"))
    counted_as = models.CharField(_("counted as"), max_length=255, blank=True)
    source_import = models.ForeignKey(
        CompletionImport, verbose_name=_("import"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outside completion")
        verbose_name_plural = _("outside completions")
        ordering = ["-completed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["provider_key", "external_id"], name="outside_completion_once")
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.course_title or self.course_code}"
