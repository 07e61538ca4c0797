"""The organisation: units, personnel groups, staff, acting heads and HR officers' scopes."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from skills_site.thai_calendar import format_be_date

from ..bilingual import BilingualNameMixin
from .changes import employees_changing


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
    birth_date = models.DateField(
        _("date of birth"),
        null=True,
        blank=True,
        help_text=_(
            "Used to plan for retirement at the end of the fiscal year in which the person turns 60."
        ),
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["employee_number"]
        indexes = [
            models.Index(fields=["org_unit", "is_active"]),
            # who joined or left between two counted moments (``competencies.counts``)
            models.Index(fields=["start_date"]),
            models.Index(fields=["end_date"]),
        ]

    # What decides who counts where in the reports: a change to one of them goes through the
    # registered keepers (``changes.py``), a change to anything else (a name) does not.
    COUNTED_FIELDS = ("org_unit_id", "personnel_group_id", "is_active", "start_date", "end_date")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.employee_number})"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and not {name.removesuffix("_id") for name in update_fields} & {
            name.removesuffix("_id") for name in self.COUNTED_FIELDS
        }:
            return super().save(*args, **kwargs)  # a name, a title: nothing the counts follow
        state = self._counted_state()
        if not self._state.adding and getattr(self, "_counted_as_loaded", None) == state:
            return super().save(*args, **kwargs)
        with employees_changing([self.pk]) as changed:  # no pk yet: a new record
            super().save(*args, **kwargs)
            changed.add(self.pk)
        # after a partial save the record may differ from memory: follow the next save whatever it is
        self._counted_as_loaded = state if update_fields is None else None

    def delete(self, *args, **kwargs):
        with employees_changing([self.pk]):
            return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._counted_as_loaded = instance._counted_state()
        return instance

    def _counted_state(self) -> tuple:
        return tuple(self.__dict__.get(name) for name in self.COUNTED_FIELDS)

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
        language = translation.get_language() or "th"
        first, last = format_be_date(self.starts_on, language), format_be_date(self.ends_on, language)
        return f"{self.employee} · {self.org_unit.code} ({first} – {last})"

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
