"""An uploaded Moodle framework file, kept with its dry run until HR commits it (or not)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..models import CompetencyFramework


class FrameworkImport(models.Model):
    class Status(models.TextChoices):
        CHECKED = "checked", _("Checked (dry run)")
        UNCHANGED = "unchanged", _("Nothing to import")
        COMMITTED = "committed", _("Imported")
        REJECTED = "rejected", _("Has problems")

    file_name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    version_label = models.CharField(
        _("version"),
        max_length=32,
        blank=True,
        help_text=_("For a framework that is already here, the label of the new version."),
    )
    deactivate_previous = models.BooleanField(_("deactivate the previous version"), default=False)
    replaces = models.ForeignKey(
        CompetencyFramework,
        verbose_name=_("new version of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "A framework whose ID number differs from the file's that this file is a new version of."
        ),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    framework = models.ForeignKey(
        CompetencyFramework,
        verbose_name=_("framework created"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Moodle framework import")
        verbose_name_plural = _("Moodle framework imports")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.file_name
