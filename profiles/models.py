"""The competency core: who works where, what they are expected to know, and the evidence log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel


class BilingualNameMixin:
    """Models with ``name_th`` and ``name_en`` show the name in the reader's language."""

    @property
    def name(self) -> str:
        language = translation.get_language() or "th"
        if language.startswith("en") and self.name_en:
            return self.name_en
        return self.name_th or self.name_en


class OrgUnit(BilingualNameMixin, models.Model):
    """A unit of the department's structure: the department, a bureau or division, a section."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Department")
        BUREAU = "bureau", _("Bureau / division")
        SECTION = "section", _("Section")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    head = models.ForeignKey(
        "Employee",
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_units",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        # A unit may not sit below itself: walk up from the proposed parent.
        seen = set()
        node = self.parent
        while node is not None:
            if self.pk is not None and node.pk == self.pk:
                raise ValidationError({"parent": _("A unit cannot be placed inside itself.")})
            if node.pk in seen:
                break
            seen.add(node.pk)
            node = node.parent
        if self.kind == self.Kind.DEPARTMENT and self.parent_id is not None:
            raise ValidationError({"parent": _("A department is the top of the tree.")})
        if self.kind != self.Kind.DEPARTMENT and self.parent_id is None:
            raise ValidationError({"parent": _("Only a department may have no parent unit.")})


class PersonnelGroup(BilingualNameMixin, models.Model):
    """A personnel group as OCSC defines them; role targets are set per group."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("personnel group")
        verbose_name_plural = _("personnel groups")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Employee(models.Model):
    """A member of staff: the profile behind a login."""

    # Left out of Wagtail's reference index: indexing each record cost ~3 ms per person in a
    # 10,000-row HR import, and an org unit's usage page listing its thousands of staff helps no
    # one. Units and groups in use cannot be deleted anyway (the foreign keys PROTECT them).
    wagtail_reference_index_ignore = True

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.PROTECT,
        related_name="employee",
    )
    employee_number = models.CharField(_("employee number"), max_length=32, unique=True)
    first_name_th = models.CharField(_("first name (Thai)"), max_length=150)
    last_name_th = models.CharField(_("last name (Thai)"), max_length=150)
    first_name_en = models.CharField(_("first name (English)"), max_length=150, blank=True)
    last_name_en = models.CharField(_("last name (English)"), max_length=150, blank=True)
    position_title = models.CharField(_("position title"), max_length=255, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="employees"
    )
    personnel_group = models.ForeignKey(
        PersonnelGroup,
        verbose_name=_("personnel group"),
        on_delete=models.PROTECT,
        related_name="employees",
    )
    is_active = models.BooleanField(_("active"), default=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("The day the person left the department.")
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["employee_number"]
        indexes = [models.Index(fields=["org_unit", "is_active"])]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.employee_number})"

    @property
    def full_name_th(self) -> str:
        return f"{self.first_name_th} {self.last_name_th}".strip()

    @property
    def full_name_en(self) -> str:
        return f"{self.first_name_en} {self.last_name_en}".strip()

    @property
    def full_name(self) -> str:
        language = translation.get_language() or "th"
        if language.startswith("en") and self.full_name_en:
            return self.full_name_en
        return self.full_name_th


class CompetencyFramework(BilingualNameMixin, ClusterableModel):
    """A published competency framework at one version, with its own proficiency scale."""

    code = models.CharField(_("code"), max_length=64)
    version = models.CharField(_("version"), max_length=32)
    name_th = models.CharField(_("name (Thai)"), max_length=255, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=255)
    reference = models.TextField(_("reference"), blank=True)
    issued = models.CharField(_("issued"), max_length=32, blank=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Active frameworks appear on staff profiles.")
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
    code = models.CharField(_("code"), max_length=32)
    name_th = models.CharField(_("name (Thai)"), max_length=255, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=255)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

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
    code = models.CharField(_("code"), max_length=32)
    name_th = models.CharField(_("name (Thai)"), max_length=255, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

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


# --- Capability plans: what share of which staff should reach which level, by fiscal year ---------


def _fiscal_year_validator(value: int) -> None:
    if not 2400 <= value <= 2800:
        raise ValidationError(
            _("%(value)s is not a Buddhist Era fiscal year (for example 2568).") % {"value": value}
        )


class CapabilityPlan(BilingualNameMixin, ClusterableModel):
    """A workforce capability plan over a range of fiscal years, e.g. the digital action plan 2566-2570."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    framework = models.ForeignKey(
        CompetencyFramework,
        verbose_name=_("framework"),
        on_delete=models.PROTECT,
        related_name="plans",
        help_text=_("Every target of the plan is set on a competency of this framework."),
    )
    first_fiscal_year = models.PositiveSmallIntegerField(
        _("first fiscal year"), validators=[_fiscal_year_validator]
    )
    last_fiscal_year = models.PositiveSmallIntegerField(
        _("last fiscal year"), validators=[_fiscal_year_validator]
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("capability plan")
        verbose_name_plural = _("capability plans")
        ordering = ["-first_fiscal_year", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.first_fiscal_year}–{self.last_fiscal_year})"

    @property
    def fiscal_years(self) -> list[int]:
        return list(range(self.first_fiscal_year, self.last_fiscal_year + 1))

    def clean(self) -> None:
        if self.first_fiscal_year and self.last_fiscal_year:
            if self.first_fiscal_year > self.last_fiscal_year:
                raise ValidationError(
                    {"last_fiscal_year": _("The last fiscal year comes before the first one.")}
                )
            if self.pk:
                outside = (
                    PlanTargetValue.objects.filter(target__plan=self)
                    .exclude(fiscal_year__range=(self.first_fiscal_year, self.last_fiscal_year))
                    .values_list("fiscal_year", flat=True)
                    .first()
                )
                if outside:
                    raise ValidationError(
                        _("A target has a value for FY%(year)s, outside this range of years.")
                        % {"year": outside}
                    )


class PlanTarget(ClusterableModel):
    """What share of a population should be at or above a level in one competency, per fiscal year.

    The population is the staff of an org unit and every unit below it (the whole department
    when no unit is chosen), narrowed to some personnel groups when any are chosen.
    """

    plan = models.ForeignKey(
        CapabilityPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets"
    )
    name_th = models.CharField(_("indicator (Thai)"), max_length=255, blank=True)
    name_en = models.CharField(_("indicator (English)"), max_length=255, blank=True)
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="plan_targets"
    )
    min_level = models.PositiveSmallIntegerField(
        _("level or above"), help_text=_("A person counts once they are at this level or higher.")
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("org unit (with its sub-units)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_targets",
        help_text=_("Leave empty for the whole department."),
    )
    personnel_groups = ParentalManyToManyField(
        PersonnelGroup,
        verbose_name=_("personnel groups"),
        blank=True,
        related_name="plan_targets",
        help_text=_("Leave empty for every personnel group."),
    )
    baseline_fiscal_year = models.PositiveSmallIntegerField(
        _("baseline fiscal year"), validators=[_fiscal_year_validator]
    )
    baseline_value = models.DecimalField(
        _("baseline value (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty to use the value measured at the end of the baseline year."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("plan target")
        verbose_name_plural = _("plan targets")
        ordering = ["plan", "sort_order", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        language = translation.get_language() or "th"
        name = self.name_en if language.startswith("en") and self.name_en else self.name_th or self.name_en
        if name:
            return name
        return _("%(competency)s at level %(level)s or above") % {
            "competency": self.competency.code if self.competency_id else "?",
            "level": self.min_level,
        }

    def clean(self) -> None:
        errors = {}
        if self.plan_id and self.competency_id and self.competency.framework_id != self.plan.framework_id:
            errors["competency"] = _(
                "%(competency)s belongs to %(other)s, not to the plan's framework %(framework)s."
            ) % {
                "competency": self.competency.code,
                "other": self.competency.framework,
                "framework": self.plan.framework,
            }
        if self.competency_id and self.min_level is not None:
            scale = sorted(self.competency.framework.levels.values_list("level", flat=True))
            if self.min_level not in scale:
                errors["min_level"] = _("Level %(level)s is not on the scale (%(low)s to %(high)s).") % {
                    "level": self.min_level,
                    "low": scale[0] if scale else "?",
                    "high": scale[-1] if scale else "?",
                }
        if (
            self.plan_id
            and self.baseline_fiscal_year
            and self.baseline_fiscal_year > self.plan.last_fiscal_year
        ):
            errors["baseline_fiscal_year"] = _("The baseline year must not come after the plan's last year.")
        if self.baseline_value is not None and not 0 <= self.baseline_value <= 100:
            errors["baseline_value"] = _("A share is between 0 and 100%.")
        if errors:
            raise ValidationError(errors)


class PlanTargetValue(models.Model):
    """The share (in %) the target asks for by the end of one fiscal year, or one of its quarters."""

    target = ParentalKey(PlanTarget, on_delete=models.CASCADE, related_name="values")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), validators=[_fiscal_year_validator])
    quarter = models.PositiveSmallIntegerField(
        _("quarter"),
        null=True,
        blank=True,
        choices=[(1, "Q1"), (2, "Q2"), (3, "Q3"), (4, "Q4")],
        help_text=_("Leave empty for the end of the fiscal year."),
    )
    value = models.DecimalField(_("target (%)"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("target value")
        verbose_name_plural = _("target values")
        ordering = ["fiscal_year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "fiscal_year"],
                condition=models.Q(quarter__isnull=True),
                name="plan_value_once_per_year",
            ),
            models.UniqueConstraint(
                fields=["target", "fiscal_year", "quarter"],
                condition=models.Q(quarter__isnull=False),
                name="plan_value_once_per_quarter",
            ),
        ]

    def __str__(self) -> str:
        period = f"FY{self.fiscal_year}" + (f" Q{self.quarter}" if self.quarter else "")
        return f"{period}: {self.value}%"

    def clean(self) -> None:
        if self.value is not None and not 0 <= self.value <= 100:
            raise ValidationError({"value": _("A share is between 0 and 100%.")})


# --- Access: acting heads, HR officers of a subtree, legacy ratings and staff imports -------------


class ActingHead(models.Model):
    """Someone who heads a unit for a date range (both days included), e.g. while the head is away."""

    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), on_delete=models.CASCADE, related_name="acting_heads"
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("acting head"), on_delete=models.CASCADE, related_name="acting_units"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("acting head")
        verbose_name_plural = _("acting heads")
        ordering = ["-starts_on", "org_unit"]

    def __str__(self) -> str:
        return f"{self.employee} · {self.org_unit.code} ({self.starts_on} – {self.ends_on})"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The last day comes before the first one.")})


class HROfficerScope(models.Model):
    """Limits a member of the HR group to one unit and the units below it (a bureau's HR officer)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("HR officer"),
        on_delete=models.CASCADE,
        related_name="hr_scopes",
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit (with its sub-units)"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("HR officer scope")
        verbose_name_plural = _("HR officer scopes")
        constraints = [models.UniqueConstraint(fields=["user", "org_unit"], name="hr_scope_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.org_unit.code}"


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
