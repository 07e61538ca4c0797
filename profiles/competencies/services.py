"""Writes to the competency core. Courses and assessments record evidence through here."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from ..organisation.models import Employee
from .models import Competency, LevelEvidence, ProficiencyLevel
from .selectors import EVIDENCE_VERSION_KEY
from .timeline import timeline_touch


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
    when both calls arrive at the same moment. The employee's unit and group are copied now
    (a correction keeps those of the record it corrects). The pair's level timeline is
    refreshed in the same transaction.
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
        org_unit_at_time_id=corrects.org_unit_at_time_id if corrects else employee.org_unit_id,
        personnel_group_at_time_id=(
            corrects.personnel_group_at_time_id if corrects else employee.personnel_group_id
        ),
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                evidence.save()
        except IntegrityError:
            # Another request recorded the same source object first: theirs stands.
            existing = _existing_for_source(employee, competency, source, content_type, object_id)
            if existing is None:
                raise
            return existing, False
        timeline_touch({(employee.id, competency.id)})
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
            timeline_touch({(employee.id, evidence.competency_id) for evidence in new})
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
