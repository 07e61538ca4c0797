"""Forged ids: changing an id in a URL or a form never reaches someone else's record."""

import pytest
from django.urls import reverse

from assessments.models import Attempt, SelfAssessment
from courses.models import Enrolment
from profiles.models import Employee, StaffImport


@pytest.fixture
def as_(client, world):
    def login(persona):
        client.logout()
        client.force_login(world["users"][persona])
        return client

    return login


def test_certificate_of_someone_else(as_, world):
    url = reverse("courses:certificate", args=[world["kwargs"]["enrolment_id"]])
    assert as_("dave").get(url).status_code == 404  # another employee
    assert as_("carol").get(url).status_code == 404  # manager of another unit
    assert as_("sara").get(url).status_code == 404  # HR officer of another subtree
    assert as_("bob").get(url).status_code == 200  # Alice's manager


def test_attempt_of_someone_else_cannot_be_read_saved_or_submitted(as_, world):
    attempt_id = world["kwargs"]["attempt_id"]
    client = as_("dave")
    assert client.get(reverse("assessments:attempt", args=[attempt_id])).status_code == 403
    assert client.post(reverse("assessments:autosave", args=[attempt_id]), {}).status_code == 403
    assert client.post(reverse("assessments:submit", args=[attempt_id]), {}).status_code == 403
    assert client.get(reverse("assessments:result", args=[attempt_id])).status_code == 403
    assert Attempt.objects.get(pk=attempt_id).status == Attempt.Status.IN_PROGRESS


def test_self_assessment_review_by_a_manager_of_another_unit(as_, world):
    submission_id = world["kwargs"]["submission_id"]
    client = as_("carol")
    assert client.get(reverse("assessments:review", args=[submission_id])).status_code == 403
    client.post(reverse("assessments:review", args=[submission_id]), {"note": "forged"})
    assert SelfAssessment.objects.get(pk=submission_id).status == SelfAssessment.Status.PENDING


def test_scoped_hr_cannot_open_or_change_staff_outside_their_units(as_, world, alice):
    client = as_("sara")
    for name in ("edit", "inspect", "delete", "history"):
        assert client.get(reverse(f"employee:{name}", args=[alice.pk])).status_code == 404, name
    client.post(reverse("employee:edit", args=[alice.pk]), {"first_name_th": "แก้"})
    client.post(reverse("employee:delete", args=[alice.pk]))
    alice.refresh_from_db()
    assert alice.first_name_th == "อลิส"
    evidence = world["objects"]["levelevidence"]
    assert client.get(reverse("levelevidence:inspect", args=[evidence.pk])).status_code == 404
    enrolment = world["objects"]["enrolments"]
    assert client.get(reverse("enrolments:inspect", args=[enrolment.pk])).status_code == 404
    listing = client.get(reverse("employee:index")).content.decode()
    assert "อลิส" not in listing and "เดฟ" in listing
    # ...but they see their own units' staff.
    assert client.get(reverse("employee:edit", args=[world["dave"].pk])).status_code == 200


def test_scoped_hr_cannot_widen_their_own_scope(as_, world):
    scope = world["objects"]["hrofficerscope"]
    client = as_("sara")
    client.post(reverse("hrofficerscope:delete", args=[scope.pk]))
    assert type(scope).objects.filter(pk=scope.pk).exists()
    assert client.get(reverse("actinghead:add")).status_code == 302  # refused with a message


def test_unit_filter_outside_ones_scope(as_, world, org):
    client = as_("bob")
    response = client.get(reverse("profiles:my_team") + f"?unit={org['service'].pk}")
    assert response.status_code == 403
    client = as_("sara")
    response = client.get(reverse("capability_report:index") + f"?org_unit={org['data'].pk}")
    assert response.status_code == 200 and response.context["report"] is None  # refused with a message


def test_course_assignment_to_someone_outside_the_unit(as_, world):
    client = as_("bob")
    url = reverse("courses:assign", args=[world["kwargs"]["course_id"]])
    response = client.post(url, {"employees": [str(world["dave"].pk)]})
    assert response.status_code == 403
    assert not Enrolment.objects.filter(employee=world["dave"]).exists()


def test_import_and_anonymise_ids_are_hr_only(as_, world, alice):
    staff_import = world["staff_import"]
    for persona in ("alice", "bob", "eddie", "cora", "sara"):
        client = as_(persona)
        assert client.get(reverse("profiles_import:detail", args=[staff_import.pk])).status_code == 302
        progress = client.get(reverse("profiles_import:progress") + f"?import={staff_import.pk}")
        assert progress.status_code == 302 and b"status" not in progress.content
        client.post(reverse("profiles_import:commit", args=[staff_import.pk]))
    assert StaffImport.objects.get(pk=staff_import.pk).status == StaffImport.Status.REJECTED
    Employee.objects.filter(pk=alice.pk).update(is_active=False)
    as_("sara").post(reverse("profiles_departed:anonymise", args=[alice.pk]))
    alice.refresh_from_db()
    assert alice.anonymised_at is None
