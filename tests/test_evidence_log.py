import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from profiles.competencies.services import evidence_correct, evidence_record, evidence_record_many
from profiles.factories import LevelEvidenceFactory
from profiles.models import EvidenceIsAppendOnly, LevelEvidence
from skills_site.thai_calendar import BANGKOK

WHEN = dt.datetime(2025, 5, 1, 10, 0, tzinfo=BANGKOK)


@pytest.fixture
def evidence(alice, competencies):
    return LevelEvidenceFactory(employee=alice, competency=competencies["A1.1"], level=3)


def test_evidence_cannot_be_updated_through_the_orm(evidence):
    evidence.level = 5
    with pytest.raises(EvidenceIsAppendOnly):
        evidence.save()
    with pytest.raises(EvidenceIsAppendOnly):
        LevelEvidence.objects.filter(pk=evidence.pk).update(level=5)
    with pytest.raises(EvidenceIsAppendOnly):
        LevelEvidence.objects.bulk_update([evidence], ["level"])
    evidence.refresh_from_db()
    assert evidence.level == 3


def test_evidence_cannot_be_deleted_through_the_orm(evidence):
    with pytest.raises(EvidenceIsAppendOnly):
        evidence.delete()
    with pytest.raises(EvidenceIsAppendOnly):
        LevelEvidence.objects.all().delete()
    assert LevelEvidence.objects.filter(pk=evidence.pk).exists()


def test_record_snapshots_unit_and_group(alice, bob, org, competencies):
    evidence, created = evidence_record(
        employee=alice,
        competency=competencies["A1.1"],
        level=2,
        source=LevelEvidence.Source.MANAGER_REVIEW,
        observed_at=WHEN,
        recorded_by=bob.user,
    )
    assert created
    alice.org_unit = org["service"]
    alice.save()
    evidence.refresh_from_db()
    assert evidence.org_unit_at_time == org["data"]
    assert evidence.personnel_group_at_time == alice.personnel_group
    assert evidence.recorded_by == bob.user


def test_record_refuses_level_off_the_scale(alice, competencies, english):
    with pytest.raises(ValidationError, match="not on the scale"):
        evidence_record(
            employee=alice,
            competency=competencies["A1.1"],
            level=9,
            source=LevelEvidence.Source.ASSESSMENT,
            observed_at=WHEN,
        )
    assert not LevelEvidence.objects.exists()


def test_record_refuses_unknown_source_and_naive_time(alice, competencies):
    with pytest.raises(ValidationError):
        evidence_record(
            employee=alice, competency=competencies["A1.1"], level=2, source="rumour", observed_at=WHEN
        )
    with pytest.raises(ValidationError):
        evidence_record(
            employee=alice,
            competency=competencies["A1.1"],
            level=2,
            source=LevelEvidence.Source.ASSESSMENT,
            observed_at=dt.datetime(2025, 1, 1),
        )
    assert not LevelEvidence.objects.exists()


def test_same_source_object_is_recorded_once(alice, org, competencies):
    source_object = org["data"]  # any model instance stands in for an enrolment or attempt
    first, created = evidence_record(
        employee=alice,
        competency=competencies["A1.1"],
        level=3,
        source=LevelEvidence.Source.COURSE,
        observed_at=WHEN,
        source_object=source_object,
    )
    again, created_again = evidence_record(
        employee=alice,
        competency=competencies["A1.1"],
        level=3,
        source=LevelEvidence.Source.COURSE,
        observed_at=WHEN,
        source_object=source_object,
    )
    assert created and not created_again and first == again
    assert LevelEvidence.objects.count() == 1
    # The same object may evidence another competency.
    evidence_record(
        employee=alice,
        competency=competencies["A1.2"],
        level=3,
        source=LevelEvidence.Source.COURSE,
        observed_at=WHEN,
        source_object=source_object,
    )
    assert LevelEvidence.objects.count() == 2


def test_record_many_keeps_the_once_per_source_object_rule(alice, org, competencies):
    source_object = org["data"]
    earlier, _created = evidence_record(
        employee=alice,
        competency=competencies["A1.2"],
        level=2,
        source=LevelEvidence.Source.ASSESSMENT,
        observed_at=WHEN,
        source_object=source_object,
    )
    recorded = evidence_record_many(
        employee=alice,
        levels=[(competencies["A1.1"], 3), (competencies["A1.2"], 4)],
        source=LevelEvidence.Source.ASSESSMENT,
        observed_at=WHEN,
        source_object=source_object,
        source_label="Annual test #1",
    )
    (first, first_created), (second, second_created) = recorded
    assert first_created and not second_created and second == earlier and second.level == 2
    first.refresh_from_db()
    assert (first.level, first.source_label, first.org_unit_at_time) == (3, "Annual test #1", org["data"])
    again = evidence_record_many(
        employee=alice,
        levels=[(competencies["A1.1"], 3), (competencies["A1.2"], 4)],
        source=LevelEvidence.Source.ASSESSMENT,
        observed_at=WHEN,
        source_object=source_object,
    )
    assert [created for _evidence, created in again] == [False, False]
    assert LevelEvidence.objects.count() == 2


def test_record_many_writes_nothing_when_one_level_is_off_the_scale(alice, org, competencies, english):
    with pytest.raises(ValidationError, match="not on the scale"):
        evidence_record_many(
            employee=alice,
            levels=[(competencies["A1.1"], 3), (competencies["A1.2"], 9)],
            source=LevelEvidence.Source.ASSESSMENT,
            observed_at=WHEN,
            source_object=org["data"],
        )
    assert not LevelEvidence.objects.exists()


def test_correction_is_a_new_record(alice, hana, evidence, english):
    correction = evidence_correct(evidence=evidence, level=2, recorded_by=hana, note="Wrong test form")
    assert correction.pk != evidence.pk
    assert correction.corrects == evidence and correction.level == 2
    evidence.refresh_from_db()
    assert evidence.level == 3
    with pytest.raises(ValidationError, match="already been corrected"):
        evidence_correct(evidence=evidence, level=4, recorded_by=hana, note="again")
    with pytest.raises(ValidationError, match="note"):
        evidence_correct(evidence=correction, level=4, recorded_by=hana, note="  ")


def test_staff_and_evidence_are_left_out_of_wagtails_reference_index(alice, competencies, org, academic):
    """Both grow by thousands (an HR import, a year of evidence); indexing them made an import 3x slower."""
    from wagtail.models import ReferenceIndex

    from profiles.factories import EmployeeFactory

    before = ReferenceIndex.objects.count()
    EmployeeFactory(org_unit=org["data"], personnel_group=academic)
    evidence_record(
        employee=alice, competency=competencies["A1.1"], level=2,
        source=LevelEvidence.Source.SELF_ASSESSMENT, observed_at=dt.datetime(2026, 1, 5, 9, tzinfo=BANGKOK),
    )  # fmt: skip
    assert ReferenceIndex.objects.count() == before
