"""What HR brings in from the HR system: uploaded files and the legacy ratings they carried."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..competencies.models import Competency
from ..organisation.models import Employee


class LegacyRating(models.Model):
    """A competency rating imported from the HR system; the evidence it gives points at it."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="legacy_ratings"
    )
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="+"
    )
    observed_on = models.DateField(_("rated on"))
    level = models.PositiveSmallIntegerField(_("level"))

    class Meta:
        verbose_name = _("imported rating")
        verbose_name_plural = _("imported ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "competency", "observed_on"], name="legacy_rating_once_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.competency_id} {self.observed_on}: {self.level}"


class StaffImport(models.Model):
    """One uploaded HR file: checked in a dry run, then committed all at once (or not at all)."""

    class Kind(models.TextChoices):
        UNITS = "units", _("Org units")
        STAFF = "staff", _("Staff list")
        HEADS = "heads", _("Unit heads")
        RATINGS = "ratings", _("Legacy competency ratings")

    class Status(models.TextChoices):
        CHECKED = "checked", _("Checked (dry run)")
        COMMITTED = "committed", _("Committed")
        REJECTED = "rejected", _("Has problems")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    file_name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    deactivate_missing = models.BooleanField(_("deactivate staff missing from the file"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff import")
        verbose_name_plural = _("staff imports")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.file_name}"
