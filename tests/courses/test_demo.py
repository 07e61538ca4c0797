"""The demo catalogue and the enrolments behind the demo history's course evidence."""

import datetime as dt
import json
import random
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from courses import demo
from courses.models import CourseCataloguePage, CoursePage, Enrolment, LessonProgress
from courses.roles import COURSE_AUTHORS_GROUP
from profiles.competencies.frameworks import framework_load
from profiles.demo.contract import DemoEvent
from profiles.models import Competency, LevelEvidence
from skills_site.thai_calendar import BANGKOK


@pytest.fixture
def frameworks(db):
    for path in sorted((Path(settings.BASE_DIR) / "fixtures" / "frameworks").glob("*.json")):
        framework_load(data=json.loads(path.read_text(encoding="utf-8")))


def event(employee, code, level, when):
    competency = Competency.objects.get(framework__code="OCSC-2561", code=code)
    return DemoEvent(
        employee_id=employee.pk, user_id=employee.user_id, competency_id=competency.pk,
        framework_code="OCSC-2561", competency_code=code, level=level,
        source=LevelEvidence.Source.COURSE, observed_at=when, org_unit_id=employee.org_unit_id,
        personnel_group_id=employee.personnel_group_id,
    )  # fmt: skip


@pytest.mark.django_db
def test_seed_content_builds_a_bilingual_mapped_catalogue_once(frameworks):
    lines = []
    demo.seed_content(stdout=lines.append, rng=random.Random(1))
    demo.seed_content(stdout=lines.append, rng=random.Random(1))  # a second run adds nothing
    catalogue = CourseCataloguePage.objects.get()
    courses = CoursePage.objects.live().descendant_of(catalogue)
    assert courses.filter(language="th").count() >= 8
    assert courses.filter(language="en").count() == courses.filter(language="th").count()
    for course in courses.prefetch_related("competencies__competency__framework"):
        frameworks_used = {item.competency.framework.code for item in course.competencies.all()}
        assert frameworks_used == {"OCSC-2561", "DigComp-2.2"}, course.title
        assert len(course.lesson_ids) >= 3
        assert course.live_revision_id is not None
    assert "(0 new)" in lines[-1]
    # Course authors may edit the catalogue (and nothing else).
    from wagtail.models import GroupPagePermission

    permissions = GroupPagePermission.objects.filter(group__name=COURSE_AUTHORS_GROUP)
    assert {p.page_id for p in permissions} == {catalogue.pk}


@pytest.mark.django_db
def test_link_evidence_creates_completed_enrolments_behind_course_events(frameworks, alice, bob):
    demo.seed_content(stdout=lambda line: None, rng=random.Random(1))
    when = dt.datetime(2025, 3, 10, 10, tzinfo=BANGKOK)
    events = [
        event(alice, "DG", 3, when),
        event(alice, "DG", 3, when + dt.timedelta(days=400)),  # a second DG course later
        event(bob, "DLit", 2, when),
    ]
    other = DemoEvent(**{**events[0].__dict__, "source": LevelEvidence.Source.ASSESSMENT})
    lines = []
    demo.link_evidence([*events, other], rng=random.Random(2), stdout=lines.append)

    content_type = ContentType.objects.get_for_model(Enrolment)
    assert other.source_object_id == ""
    enrolments = []
    for item in events:
        assert item.source_content_type_id == content_type.pk
        enrolment = Enrolment.objects.get(pk=int(item.source_object_id))
        enrolments.append(enrolment)
        assert enrolment.employee_id == item.employee_id
        assert enrolment.completed_at == item.observed_at and enrolment.certificate_code
        assert enrolment.course.competencies.filter(competency_id=item.competency_id).exists()
        assert item.source_label == enrolment.course.title
        assert LessonProgress.objects.filter(enrolment=enrolment).count() == len(enrolment.course.lesson_ids)
    assert enrolments[0].course_id != enrolments[1].course_id
    # The demo evidence for DG level 3 comes from a course that evidences DG level 3.
    assert enrolments[0].course.competencies.get(competency_id=events[0].competency_id).level == 3
    assert any("completed enrolments" in line for line in lines)
    # Today's staff also have current assignments and courses in progress.
    assert Enrolment.objects.filter(completed_at__isnull=True).exists()
