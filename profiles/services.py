"""Writes to the competency core. Courses and assessments record evidence through here."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from .models import Competency, Employee, LevelEvidence, ProficiencyLevel

EVIDENCE_VERSION_KEY = "profiles:evidence-version"


def evidence_changed() -> None:
    """Mark cached reports and charts stale; call after evidence is written (once committed)."""

    def bump() -> None:
        try:
            cache.incr(EVIDENCE_VERSION_KEY)
        except ValueError:
            cache.set(EVIDENCE_VERSION_KEY, 1, timeout=None)

    transaction.on_commit(bump)


def evidence_record(
    *,
    employee: Employee,
    competency: Competency,
    level: int,
    source: str,
    observed_at: dt.datetime,
    recorded_by=None,
    source_object: models.Model | None = None,
    source_label: str = "",
    note: str = "",
    corrects: LevelEvidence | None = None,
) -> tuple[LevelEvidence, bool]:
    """Append one level observation; returns ``(evidence, created)``.

    Evidence tied to a source object (a course enrolment, an assessment attempt) is recorded
    once: a second call for the same object and competency returns the first record, even
    when both calls arrive at the same moment. The employee's unit and group are copied now.
    """
    if source not in LevelEvidence.Source.values:
        raise ValidationError(_("Unknown evidence source: %(source)s") % {"source": source})
    if observed_at.tzinfo is None:
        raise ValidationError(_("The observation time must carry a time zone."))
    if not ProficiencyLevel.objects.filter(framework_id=competency.framework_id, level=level).exists():
        raise ValidationError(
            _("Level %(level)s is not on the scale of %(framework)s.")
            % {"level": level, "framework": competency.framework}
        )
    if corrects is not None and (
        corrects.employee_id != employee.id or corrects.competency_id != competency.id
    ):
        raise ValidationError(_("A correction must be for the same employee and competency."))

    content_type = ContentType.objects.get_for_model(source_object) if source_object else None
    object_id = str(source_object.pk) if source_object is not None else ""
    if content_type is not None and corrects is None:
        existing = _existing_for_source(employee, competency, source, content_type, object_id)
        if existing is not None:
            return existing, False

    evidence = LevelEvidence(
        employee=employee,
        competency=competency,
        level=level,
        source=source,
        observed_at=observed_at,
        recorded_by=recorded_by,
        source_content_type=content_type,
        source_object_id=object_id,
        source_label=source_label[:255],
        note=note,
        corrects=corrects,
        org_unit_at_time_id=employee.org_unit_id,
        personnel_group_at_time_id=employee.personnel_group_id,
    )
    try:
        with transaction.atomic():
            evidence.save()
    except IntegrityError:
        # Another request recorded the same source object first: theirs stands.
        existing = _existing_for_source(employee, competency, source, content_type, object_id)
        if existing is None:
            raise
        return existing, False
    evidence_changed()
    return evidence, True


def evidence_record_many(
    *,
    employee: Employee,
    levels: list[tuple[Competency, int]],
    source: str,
    observed_at: dt.datetime,
    source_object: models.Model,
    source_label: str = "",
) -> list[tuple[LevelEvidence, bool]]:
    """``evidence_record`` for several competencies evidenced by one source object, in one write.

    An assessment attempt evidences each competency it measures. The checks and the once-per-
    source-object rule are those of ``evidence_record``; the records are read and written in one
    query each instead of five queries a competency. Returns ``(evidence, created)`` per pair, in
    the order given.
    """
    if source not in LevelEvidence.Source.values:
        raise ValidationError(_("Unknown evidence source: %(source)s") % {"source": source})
    if observed_at.tzinfo is None:
        raise ValidationError(_("The observation time must carry a time zone."))
    if not levels:
        return []
    on_scale = set(
        ProficiencyLevel.objects.filter(
            framework_id__in={competency.framework_id for competency, _level in levels}
        ).values_list("framework_id", "level")
    )
    for competency, level in levels:
        if (competency.framework_id, level) not in on_scale:
            raise ValidationError(
                _("Level %(level)s is not on the scale of %(framework)s.")
                % {"level": level, "framework": competency.framework}
            )
    content_type = ContentType.objects.get_for_model(source_object)
    object_id = str(source_object.pk)
    existing = {
        evidence.competency_id: evidence
        for evidence in LevelEvidence.objects.filter(
            employee=employee,
            competency__in=[competency for competency, _level in levels],
            source=source,
            source_content_type=content_type,
            source_object_id=object_id,
            corrects__isnull=True,
        )
    }
    new = [
        LevelEvidence(
            employee=employee,
            competency=competency,
            level=level,
            source=source,
            observed_at=observed_at,
            source_content_type=content_type,
            source_object_id=object_id,
            source_label=source_label[:255],
            org_unit_at_time_id=employee.org_unit_id,
            personnel_group_at_time_id=employee.personnel_group_id,
        )
        for competency, level in levels
        if competency.pk not in existing
    ]
    try:
        with transaction.atomic():
            LevelEvidence.objects.bulk_create(new)
    except IntegrityError:
        # Another request recorded some of them first: record one by one, theirs stand.
        return [
            evidence_record(
                employee=employee,
                competency=competency,
                level=level,
                source=source,
                observed_at=observed_at,
                source_object=source_object,
                source_label=source_label,
            )
            for competency, level in levels
        ]
    if new:
        evidence_changed()
    created = {evidence.competency_id: evidence for evidence in new}
    return [
        (existing[competency.pk], False) if competency.pk in existing else (created[competency.pk], True)
        for competency, _level in levels
    ]


def _existing_for_source(employee, competency, source, content_type, object_id):
    if content_type is None:
        return None
    return LevelEvidence.objects.filter(
        employee=employee,
        competency=competency,
        source=source,
        source_content_type=content_type,
        source_object_id=object_id,
        corrects__isnull=True,
    ).first()


def evidence_correct(*, evidence: LevelEvidence, level: int, recorded_by, note: str) -> LevelEvidence:
    """Record a correction: a new record that replaces ``evidence`` in the level policy."""
    if not note.strip():
        raise ValidationError(_("A correction needs a note saying why."))
    if evidence.corrections.exists():
        raise ValidationError(_("This evidence has already been corrected."))
    correction, _created = evidence_record(
        employee=evidence.employee,
        competency=evidence.competency,
        level=level,
        source=evidence.source,
        observed_at=evidence.observed_at,
        recorded_by=recorded_by,
        source_object=evidence.source_object,
        source_label=evidence.source_label,
        note=note,
        corrects=evidence,
    )
    return correction


class FrameworkFixtureError(ValueError):
    """A framework fixture that cannot be loaded; the message is one line for the operator."""


def _check_unique(items: list[dict], what: str, key: str = "code") -> None:
    seen = set()
    for item in items:
        value = item.get(key)
        if value in (None, ""):
            raise FrameworkFixtureError(f"a {what} has no {key}")
        if value in seen:
            raise FrameworkFixtureError(f"duplicate {what} {key} {value!r}")
        seen.add(value)


def framework_fixture_validate(data: dict) -> None:
    """Check a fixture completely before anything is written."""
    for required in ("code", "version", "name_en", "levels", "areas"):
        if not data.get(required):
            raise FrameworkFixtureError(f"missing {required!r}")
    _check_unique(data["levels"], "level", key="level")
    _check_unique(data["areas"], "area")
    competencies = [c for area in data["areas"] for c in area.get("competencies", [])]
    _check_unique(competencies, "competency")
    _check_unique(data.get("personnel_groups", []), "personnel group")
    levels = {lv["level"] for lv in data["levels"]}
    areas = {area["code"] for area in data["areas"]}
    for group, targets in data.get("role_targets", {}).items():
        for area_code, level in targets.items():
            if area_code not in areas:
                raise FrameworkFixtureError(f"role target for {group} names unknown area {area_code!r}")
            if level not in levels:
                raise FrameworkFixtureError(f"role target {group}/{area_code} level {level} is off the scale")


def _sync(model, lookup: dict, values: dict, counts: dict):
    """Create or bring up to date one row; counts what changed."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        counts["created"] += 1
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        counts["updated"] += 1
    else:
        counts["unchanged"] += 1
    return obj


@transaction.atomic
def framework_load(*, data: dict) -> dict[str, int]:
    """Load or refresh one framework from its fixture. Idempotent: a second run changes nothing.

    Published names, levels, areas and competencies are brought up to date. Role targets are
    only created where missing: HR edits them, and a reload must not undo HR's decisions.
    """
    from .models import (
        CompetencyArea,
        CompetencyFramework,
        PersonnelGroup,
        RoleTarget,
    )

    framework_fixture_validate(data)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "kept": 0}
    framework = _sync(
        CompetencyFramework,
        {"code": data["code"], "version": data["version"]},
        {
            "name_th": data.get("name_th", ""),
            "name_en": data["name_en"],
            "reference": data.get("reference", ""),
            "issued": data.get("issued", ""),
        },
        counts,
    )
    for lv in data["levels"]:
        _sync(
            ProficiencyLevel,
            {"framework": framework, "level": lv["level"]},
            {
                "name_th": lv.get("name_th", ""),
                "name_en": lv["name_en"],
                "group_en": lv.get("group_en", ""),
                "descriptor_th": lv.get("descriptor_th", ""),
                "descriptor_en": lv.get("descriptor_en", ""),
            },
            counts,
        )
    areas = {}
    for order, area_data in enumerate(data["areas"], start=1):
        area = _sync(
            CompetencyArea,
            {"framework": framework, "code": area_data["code"]},
            {
                "name_th": area_data.get("name_th", ""),
                "name_en": area_data["name_en"],
                "sort_order": order,
            },
            counts,
        )
        areas[area.code] = area
        for c_order, comp in enumerate(area_data.get("competencies", []), start=1):
            _sync(
                Competency,
                {"framework": framework, "code": comp["code"]},
                {
                    "area": area,
                    "name_th": comp.get("name_th", ""),
                    "name_en": comp["name_en"],
                    "sort_order": order * 100 + c_order,
                },
                counts,
            )
    groups = {}
    for order, group in enumerate(data.get("personnel_groups", []), start=1):
        groups[group["code"]] = _sync(
            PersonnelGroup,
            {"code": group["code"]},
            {"name_th": group["name_th"], "name_en": group["name_en"], "sort_order": order},
            counts,
        )
    for group_code, targets in data.get("role_targets", {}).items():
        group = groups.get(group_code) or PersonnelGroup.objects.filter(code=group_code).first()
        if group is None:
            raise FrameworkFixtureError(f"role targets name unknown personnel group {group_code!r}")
        for area_code, level in targets.items():
            _target, created = RoleTarget.objects.get_or_create(
                personnel_group=group,
                area=areas[area_code],
                defaults={"framework": framework, "level": level},
            )
            counts["created" if created else "kept"] += 1
    return counts
