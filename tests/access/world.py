"""One small world in which every URL of the project can be reversed with objects of a persona."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group
from django.utils import timezone

from api.services import api_client_create
from assessments.factories import (
    QuestionCategoryFactory,
    QuestionFactory,
    assessment_page_create,
    self_assessment_page_create,
)
from assessments.services import attempt_start, self_assessment_submit
from courses.factories import catalogue_create, course_create, lesson_data
from courses.services import course_complete, enrolment_create
from profiles.factories import (
    CapabilityPlanFactory,
    CompletionImportFactory,
    EmployeeFactory,
    LevelEvidenceFactory,
    OutsideCourseFactory,
    PlanTargetFactory,
    PriorLearningClaimFactory,
    UserFactory,
)
from profiles.models import ActingHead, FrameworkImport, HROfficerScope, RoleTarget, StaffImport
from profiles.organisation.roles import COMMITTEE_GROUP, HR_GROUP
from skills_site.thai_calendar import fiscal_year_of

PERSONAS = ["anonymous", "alice", "dave", "bob", "carol", "hana", "sara", "eddie", "cora", "ada"]
"""anonymous; alice (employee, Data section); dave (another employee, Service section); bob (head of
Data = Alice's manager); carol (head of Service, another unit); hana (HR); sara (HR officer scoped to
Service); eddie (content editor: pages only); cora (committee viewer); ada (a content editor who is
also a course author: pages, courses, the question bank and its statistics)."""


def build_world(*, org, academic, framework, competencies, alice, bob, carol, hana, eddie, ada, plan):
    dave = EmployeeFactory(
        user=UserFactory(username="dave"), org_unit=org["service"], personnel_group=academic,
        first_name_th="เดฟ", last_name_th="ตั้งใจ",
    )  # fmt: skip
    sara = UserFactory(username="sara")
    sara.groups.add(Group.objects.get(name=HR_GROUP))
    scope = HROfficerScope.objects.create(user=sara, org_unit=org["service"])
    cora = UserFactory(username="cora")
    cora.groups.add(Group.objects.get(name=COMMITTEE_GROUP))
    today = timezone.localdate()
    acting = ActingHead.objects.create(
        org_unit=org["service"], employee=dave, starts_on=today - dt.timedelta(days=30),
        ends_on=today - dt.timedelta(days=1),
    )  # fmt: skip
    evidence = LevelEvidenceFactory(employee=alice, competency=competencies["A1.1"], level=2)
    role_target = RoleTarget.objects.create(
        framework=framework, personnel_group=academic, competency=competencies["A1.2"], level=2
    )
    now = timezone.now()
    # a plan with a fiscal year ahead, whatever today's date, for the training demand pages
    this_year = fiscal_year_of(now)
    ahead = CapabilityPlanFactory(
        code="AHEAD", framework=framework, first_fiscal_year=this_year, last_fiscal_year=this_year + 2
    )
    PlanTargetFactory(plan=ahead, competency=competencies["A1.1"], min_level=3, values={this_year + 1: 60})
    catalogue = catalogue_create(title="หลักสูตร", slug="courses-matrix")
    course = course_create(
        catalogue=catalogue, title="Excel", lessons=[lesson_data("หนึ่ง"), lesson_data("สอง")],
        competencies=[(competencies["A1.1"], 3)],
    )  # fmt: skip
    enrolment, _created = enrolment_create(employee=alice, course=course, now=now)
    course_complete(enrolment=enrolment, now=now)
    enrolment.refresh_from_db()
    category = QuestionCategoryFactory(name="Matrix")
    question = QuestionFactory(category=category, competency=competencies["A1.1"], text_en="Q")
    test_page = assessment_page_create(
        title="Matrix test", competencies=[competencies["A1.1"]], draw=[(category, 1)], bands=[(50, 2)],
        max_attempts=5,
    )  # fmt: skip
    attempt = attempt_start(page=test_page, employee=alice, now=now)
    self_page = self_assessment_page_create(
        title="Matrix self", statements=[(competencies["A1.1"], "ข้อความ", "Statement")]
    )
    statement = self_page.statements.get()
    submission = self_assessment_submit(page=self_page, employee=alice, ratings={statement.pk: 3}, now=now)
    staff_import = StaffImport.objects.create(
        kind="staff", file_name="staff.csv", content=b"x", sha256="0" * 64, status="rejected",
        summary={"rows": 0, "counts": {}, "changes": [], "problems": [], "file_error": "x"}, uploaded_by=hana,
    )  # fmt: skip
    api_client, _token = api_client_create(
        name="Matrix BI", org_unit=org["service"], expires_at=now + dt.timedelta(days=30), by=hana, now=now
    )
    framework_import = FrameworkImport.objects.create(
        file_name="framework.csv", content=b"x", sha256="0" * 64, status="rejected", uploaded_by=hana,
        summary={"problems": [{"row": 1, "column": "", "reason": "x"}]},
    )  # fmt: skip
    claim = PriorLearningClaimFactory(employee=alice, competency=competencies["A1.1"])
    completion_import = CompletionImportFactory(uploaded_by=hana, summary={"file_error": "x"})
    outside_course = OutsideCourseFactory(competency=competencies["A1.1"])
    users = {
        "alice": alice.user, "dave": dave.user, "bob": bob.user, "carol": carol.user, "hana": hana,
        "sara": sara, "eddie": eddie, "cora": cora, "ada": ada,
    }  # fmt: skip
    objects = {
        # Model viewsets (by URL namespace): the object each one's pk points at.
        "orgunit": org["data"], "employee": alice, "personnelgroup": academic,
        "competencyframework": framework, "competencyarea": competencies["A1.1"].area,
        "competency": competencies["A1.1"], "roletarget": role_target, "levelevidence": evidence,
        "actinghead": acting, "hrofficerscope": scope, "capabilityplan": plan,
        "plantarget": plan.targets.first(), "enrolments": enrolment, "question": question,
        "questioncategory": category, "api_clients": api_client, "moodle_frameworks": framework_import,
        "outside_learning_import": completion_import, "outsidecourse": outside_course,
    }  # fmt: skip
    kwargs = {
        "course_id": course.pk, "lesson_id": course.lesson_ids[0], "enrolment_id": enrolment.pk,
        "code": enrolment.certificate_code,
        "page_id": test_page.pk, "attempt_id": attempt.pk, "submission_id": submission.pk,
        "kind": "overview", "file_format": "json", "pk": None, "plan_id": plan.pk,
    }  # fmt: skip
    return {"users": users, "objects": objects, "kwargs": kwargs, "self_page": self_page,
            "staff_import": staff_import, "dave": dave, "claim": claim}  # fmt: skip
