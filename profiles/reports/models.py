"""Capability plans: what share of which staff should reach which level, by fiscal year."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

from ..bilingual import BilingualNameMixin
from ..competencies.models import Competency, CompetencyFramework
from ..organisation.models import OrgUnit, PersonnelGroup


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
        """The plan's name with its years once: names that already carry them are shown as they are."""
        years = f"{self.first_fiscal_year}–{self.last_fiscal_year}"
        if str(self.first_fiscal_year) in self.name and str(self.last_fiscal_year) in self.name:
            return self.name
        return f"{self.name} ({years})"

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
