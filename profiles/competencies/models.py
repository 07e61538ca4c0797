"""What staff are expected to know and the evidence of what they do know: frameworks, scales,
areas, competencies, role targets and the append-only evidence log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from ..bilingual import BilingualNameMixin
from ..organisation.models import Employee, OrgUnit, PersonnelGroup


class CompetencyFramework(BilingualNameMixin, ClusterableModel):
    """A published competency framework at one version, with its own proficiency scale."""

    code = models.CharField(
        _("code"), max_length=100, help_text=_("Moodle's ID number: versions of a framework share it.")
    )
    version = models.CharField(_("version"), max_length=32)
    name_th = models.CharField(_("name (Thai)"), max_length=255, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=255)
    reference = models.TextField(_("reference"), blank=True)
    issued = models.CharField(_("issued"), max_length=32, blank=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Active frameworks appear on staff profiles.")
    )
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("previous version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        help_text=_("The version this one was imported to replace; its evidence stays with it."),
    )
    thai_names_by_department = models.BooleanField(
        _("Thai names are the department's translation"),
        default=False,
        help_text=_(
            "The framework has no official Thai translation: the Thai names are the department's own, "
            "and pages in Thai say so, with the English names as published beside them."
        ),
    )
    moodle = models.JSONField(
        _("Moodle attributes"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("What a Moodle import brought that this site keeps only to write it back on export."),
    )

    class Meta:
        verbose_name = _("competency framework")
        verbose_name_plural = _("competency frameworks")
        ordering = ["code", "version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="framework_code_version")]

    def __str__(self) -> str:
        return f"{self.code} ({self.version})"


class ProficiencyLevel(models.Model):
    """One step of a framework's scale: a number, its names and what it means."""

    framework = ParentalKey(CompetencyFramework, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(_("level"))
    name_th = models.CharField(_("name (Thai)"), max_length=255, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=255)
    group_en = models.CharField(_("level group (English)"), max_length=64, blank=True)
    descriptor_th = models.TextField(_("descriptor (Thai)"), blank=True)
    descriptor_en = models.TextField(_("descriptor (English)"), blank=True)

    class Meta:
        verbose_name = _("proficiency level")
        verbose_name_plural = _("proficiency levels")
        ordering = ["framework", "level"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "level"], name="level_unique_in_framework")
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.name}"

    @property
    def name(self) -> str:
        language = translation.get_language() or "th"
        if language.startswith("en") or not self.name_th:
            return self.name_en
        return self.name_th

    @property
    def descriptor(self) -> str:
        language = translation.get_language() or "th"
        if language.startswith("en") or not self.descriptor_th:
            return self.descriptor_en
        return self.descriptor_th


class CompetencyArea(BilingualNameMixin, models.Model):
    framework = models.ForeignKey(
        CompetencyFramework,
        verbose_name=_("framework"),
        on_delete=models.CASCADE,
        related_name="areas",
    )
    code = models.CharField(_("code"), max_length=100)
    name_th = models.CharField(_("name (Thai)"), max_length=255, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=255)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    moodle = models.JSONField(_("Moodle attributes"), default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("competency area")
        verbose_name_plural = _("competency areas")
        ordering = ["framework", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="area_code_in_framework")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Competency(BilingualNameMixin, models.Model):
    """What a level is observed in. Areas assessed as a whole have one competency of their own."""

    framework = models.ForeignKey(
        CompetencyFramework,
        verbose_name=_("framework"),
        on_delete=models.CASCADE,
        related_name="competencies",
        editable=False,
    )
    area = models.ForeignKey(
        CompetencyArea, verbose_name=_("area"), on_delete=models.CASCADE, related_name="competencies"
    )
    code = models.CharField(_("code"), max_length=100)
    name_th = models.CharField(_("name (Thai)"), max_length=255, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    continues = models.ForeignKey(
        "self",
        verbose_name=_("continues"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="continued_by",
        editable=False,
        help_text=_("The competency of the previous version with the same ID number."),
    )
    moodle = models.JSONField(_("Moodle attributes"), default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["framework", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="competency_code_in_framework")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if self.area_id:
            self.framework_id = self.area.framework_id


class RoleTarget(models.Model):
    """The level a personnel group is expected to reach, in one competency or a whole area."""

    framework = models.ForeignKey(
        CompetencyFramework,
        verbose_name=_("framework"),
        on_delete=models.CASCADE,
        related_name="role_targets",
    )
    personnel_group = models.ForeignKey(
        PersonnelGroup,
        verbose_name=_("personnel group"),
        on_delete=models.CASCADE,
        related_name="role_targets",
    )
    area = models.ForeignKey(
        CompetencyArea,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_targets",
    )
    competency = models.ForeignKey(
        Competency,
        verbose_name=_("competency"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_targets",
    )
    level = models.PositiveSmallIntegerField(_("expected level"))

    class Meta:
        verbose_name = _("role target")
        verbose_name_plural = _("role targets")
        ordering = ["framework", "personnel_group", "area", "competency"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(area__isnull=False, competency__isnull=True)
                    | models.Q(area__isnull=True, competency__isnull=False)
                ),
                name="role_target_area_xor_competency",
            ),
            models.UniqueConstraint(
                fields=["personnel_group", "area"],
                condition=models.Q(area__isnull=False),
                name="role_target_unique_area",
            ),
            models.UniqueConstraint(
                fields=["personnel_group", "competency"],
                condition=models.Q(competency__isnull=False),
                name="role_target_unique_competency",
            ),
        ]

    def __str__(self) -> str:
        subject = self.competency or self.area
        return f"{self.personnel_group} · {subject}: {self.level}"

    def clean(self) -> None:
        if bool(self.area_id) == bool(self.competency_id):
            raise ValidationError(_("Choose either an area or a competency, not both."))
        subject = self.competency if self.competency_id else self.area
        if self.framework_id and subject.framework_id != self.framework_id:
            raise ValidationError(_("The area or competency belongs to another framework."))
        if self.framework_id and self.level is not None:
            levels = set(self.framework.levels.values_list("level", flat=True))
            if self.level not in levels:
                raise ValidationError(
                    {"level": _("Level %(level)s is not on this framework's scale.") % {"level": self.level}}
                )


class EvidenceIsAppendOnly(Exception):
    """Raised on any attempt to change or remove level evidence through the ORM."""


class LevelEvidenceQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise EvidenceIsAppendOnly("Level evidence cannot be updated; record a correction.")

    def delete(self):
        raise EvidenceIsAppendOnly("Level evidence cannot be deleted; record a correction.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise EvidenceIsAppendOnly("Level evidence cannot be updated; record a correction.")

    def update_or_create(self, *args, **kwargs):
        raise EvidenceIsAppendOnly("Level evidence cannot be updated; record a correction.")


class LevelEvidence(models.Model):
    """One observation of an employee's level in a competency. Append-only: never changed.

    A correction is a new record pointing at the one it corrects (``corrects``); the level
    policy then ignores the corrected record. The org unit and personnel group are copied at
    the moment of observation so that reports can count people where they were at the time.
    """

    class Source(models.TextChoices):
        ASSESSMENT = "assessment", _("Assessment result")
        MANAGER_REVIEW = "manager_review", _("Manager review")
        COURSE = "course", _("Completed course")
        IMPORT = "import", _("Imported rating")
        SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
        PRIOR_LEARNING = "prior_learning", _("Recognised prior learning")

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="evidence"
    )
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="evidence"
    )
    level = models.PositiveSmallIntegerField(_("level"))
    source = models.CharField(_("source"), max_length=32, choices=Source.choices)
    observed_at = models.DateTimeField(_("observed at"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_object_id = models.CharField(max_length=64, blank=True)
    source_object = GenericForeignKey("source_content_type", "source_object_id")
    source_label = models.CharField(_("source reference"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    org_unit_at_time = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit at the time"), on_delete=models.PROTECT, related_name="+"
    )
    personnel_group_at_time = models.ForeignKey(
        PersonnelGroup,
        verbose_name=_("personnel group at the time"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = LevelEvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("level evidence")
        verbose_name_plural = _("level evidence")
        ordering = ["-observed_at", "-id"]
        indexes = [
            models.Index(fields=["employee", "competency", "observed_at"]),
            models.Index(fields=["observed_at"]),
        ]
        constraints = [
            # One piece of evidence per source object and competency, so that a course
            # completed twice at the same moment still gives a single record.
            models.UniqueConstraint(
                fields=["employee", "competency", "source", "source_content_type", "source_object_id"],
                condition=models.Q(source_content_type__isnull=False, corrects__isnull=True),
                name="evidence_once_per_source_object",
            ),
            models.UniqueConstraint(
                fields=["corrects"],
                condition=models.Q(corrects__isnull=False),
                name="evidence_corrected_once",
            ),
        ]

    # Left out of Wagtail's reference index: the log grows by several records per person per year,
    # and indexing every record made each assessment submission write a dozen more rows.
    wagtail_reference_index_ignore = True

    def __str__(self) -> str:
        return f"{self.employee_id} {self.competency_id} = {self.level} ({self.source})"

    def save(self, *args, **kwargs):
        if not self._state.adding or kwargs.get("force_update"):
            raise EvidenceIsAppendOnly("Level evidence cannot be updated; record a correction.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise EvidenceIsAppendOnly("Level evidence cannot be deleted; record a correction.")


class LevelInterval(models.Model):
    """A stretch of time during which an employee held one level in one competency.

    Derived from the evidence log by the level policy (``levels.level_timeline``), never edited by
    hand: the intervals of an (employee, competency) pair are rebuilt whenever its evidence is
    recorded or corrected, and ``manage.py rebuild_timeline --check`` compares them with a rebuild
    from scratch. Expiry is part of the intervals (``valid_until`` is known when evidence is
    recorded), so nothing needs to run when evidence stops counting. ``valid_until`` is exclusive;
    empty while the level still holds.
    """

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="level_intervals")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="+")
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    level = models.PositiveSmallIntegerField()
    rank = models.PositiveSmallIntegerField()
    method = models.CharField(max_length=24)
    deciding = models.ForeignKey(LevelEvidence, on_delete=models.CASCADE, related_name="+")

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["employee", "competency", "valid_from"]
        indexes = [
            models.Index(fields=["employee", "competency", "valid_from"]),
            models.Index(fields=["competency", "valid_from", "valid_until"]),
            # what changed between two counted moments (``counts.changed_between``)
            models.Index(fields=["valid_from"]),
            models.Index(fields=["valid_until"]),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.competency_id} = {self.level} from {self.valid_from}"


class PlacementInterval(models.Model):
    """Where a person counted in reports during a stretch of time: the org unit and personnel group
    recorded with their evidence (see ``levels.placement_timeline``). Derived like ``LevelInterval``.
    Before a person's first evidence there is no interval: they count in today's unit and group."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="placements")
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    personnel_group = models.ForeignKey(PersonnelGroup, on_delete=models.PROTECT, related_name="+")

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["employee", "valid_from"]
        indexes = [
            models.Index(fields=["employee", "valid_from"]),
            models.Index(fields=["valid_from"]),
            models.Index(fields=["valid_until"]),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} in {self.org_unit_id}/{self.personnel_group_id} from {self.valid_from}"


class CountedMoment(models.Model):
    """A moment at which the workforce is kept counted (``counts.py``): the end of a day in Bangkok,
    usually a fiscal quarter's. Its cells are kept equal to the stored timeline counted at that
    moment: every change of a person's intervals or record applies its difference to them, so a
    report reads the counts instead of scanning the timeline."""

    moment_at = models.DateTimeField(unique=True)

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["moment_at"]

    def __str__(self) -> str:
        return f"counted at {self.moment_at}"


class Structure(models.TextChoices):
    """How people are placed in units and groups when they are counted (see the reports' README)."""

    AT_TIME = "at_time", _("where they were at the time")
    TODAY = "today", _("by today's structure")

    @classmethod
    def checked(cls, value: str) -> str:
        """``value`` if it names a structure; a ValueError naming the choices otherwise."""
        if value not in cls.values:
            raise ValueError(f"Unknown structure {value!r}: use {' or '.join(repr(v) for v in cls.values)}.")
        return value


class CountCell(models.Model):
    """One count of a counted moment, in one org unit and personnel group, placed one way. Plain ids
    rather than foreign keys: a count refers to nothing that must outlive it, and is rebuilt from
    the timeline."""

    moment = models.ForeignKey(CountedMoment, on_delete=models.CASCADE, related_name="+")
    structure = models.CharField(max_length=8, choices=Structure.choices)
    org_unit_id = models.IntegerField()
    personnel_group_id = models.IntegerField()
    count = models.IntegerField(default=0)

    wagtail_reference_index_ignore = True

    class Meta:
        abstract = True


class StaffCell(CountCell):
    """How many people were on the staff at a counted moment in one org unit and personnel group."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["moment", "structure", "org_unit_id", "personnel_group_id"], name="staff_cell_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.count} in {self.org_unit_id}/{self.personnel_group_id} ({self.structure})"


class LevelCell(CountCell):
    """How many of a unit and group's staff held a confirmed level of a competency at a counted moment."""

    competency_id = models.IntegerField()
    level = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["moment", "structure", "org_unit_id", "personnel_group_id", "competency_id", "level"],
                name="level_cell_once",
            )
        ]
        indexes = [models.Index(fields=["moment", "structure", "competency_id"])]

    def __str__(self) -> str:
        return f"{self.count} at level {self.level} of {self.competency_id} ({self.structure})"
