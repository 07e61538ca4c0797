"""Learning done elsewhere: an employee's claim with its proof, the manager's (or HR's) review within
their units, the evidence an acceptance records, the e-mails, the refusals (a program renamed .pdf, a
competency outside the person's frameworks, a reviewed claim again), and the pages."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from PIL import Image

from profiles.competencies.levels import current_levels
from profiles.factories import (
    PDF_BYTES,
    CompetencyAreaFactory,
    CompetencyFactory,
    CompetencyFrameworkFactory,
    EmployeeFactory,
    PriorLearningClaimFactory,
)
from profiles.models import LevelEvidence, PriorLearningClaim
from profiles.prior_learning.files import ClaimFileError, claim_file_check
from profiles.prior_learning.services import ClaimRefused, claim_review, claim_submit
from skills_site.thai_calendar import BANGKOK

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=BANGKOK)


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, format="JPEG")
    return out.getvalue()


EXE_BYTES = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run in DOS mode"
)


def submit(
    employee,
    competency,
    *,
    content=PDF_BYTES,
    level=3,
    title="Data literacy",
    completed_on=dt.date(2025, 11, 20),
):
    return claim_submit(
        employee=employee,
        title=title,
        provider="OCSC Learning Space",
        completed_on=completed_on,
        hours=Decimal("6"),
        competency=competency,
        level=level,
        file_name="certificate.pdf",
        content=content,
        now=NOW,
    )


@pytest.fixture
def office(competencies, targets):
    """A1.1 of the test framework, which applies to Alice's personnel group (role targets)."""
    return competencies["A1.1"]


# --- The proof --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "file_type"), [(PDF_BYTES, "pdf"), (png_bytes(), "png"), (jpeg_bytes(), "jpg")]
)
def test_pdf_and_pictures_are_taken_by_what_they_are(content, file_type):
    assert claim_file_check(content).file_type == file_type


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (EXE_BYTES, "This file is a program, whatever its name says"),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40, "is a .zip file"),
        (b"just some text pretending to be a pdf", "not a file type this site knows"),
        (PDF_BYTES[:-8], "The PDF is incomplete"),
        (png_bytes()[:30], "damaged or incomplete"),
        (b"", "empty"),
        (b"%PDF-1.4" + b"0" * (settings.PRIOR_LEARNING_MAX_FILE_MB * 2**20) + b"%%EOF", "larger than 5 MB"),
    ],
)
def test_anything_else_is_refused_with_what_it_is(content, reason):
    with pytest.raises(ClaimFileError, match=reason):
        claim_file_check(content)


# --- Claims ----------------------------------------------------------------------------------------------


def test_a_claim_waits_for_review_and_tells_the_manager(
    alice, bob, office, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        claim = submit(alice, office)
    assert (claim.state, claim.file_type, claim.file_size, claim.level_claimed) == (
        "submitted",
        "pdf",
        len(PDF_BYTES),
        3,
    )
    assert claim.file.name.startswith(f"prior-learning/{alice.pk}/") and "certificate" not in claim.file.name
    assert not LevelEvidence.objects.exists()
    (message,) = mail.outbox
    assert message.to == [bob.user.email] and "Data literacy" in message.body


def test_a_program_renamed_pdf_is_refused_and_nothing_is_kept(alice, office):
    with pytest.raises(ClaimRefused, match="This file is a program"):
        submit(alice, office, content=EXE_BYTES)
    assert not PriorLearningClaim.objects.exists()


def test_a_competency_outside_the_persons_frameworks_is_refused(alice, office):
    other_area = CompetencyAreaFactory(framework=CompetencyFrameworkFactory(code="OTHER"))
    elsewhere = CompetencyFactory(area=other_area, code="X1")
    with pytest.raises(ClaimRefused, match="not in a framework that applies to you"):
        submit(alice, elsewhere)
    assert not PriorLearningClaim.objects.exists()


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"level": 9}, "not on the scale"),
        ({"completed_on": dt.date(2026, 3, 3)}, "in the future"),
        ({"title": "  "}, "Give the course"),
    ],
)
def test_other_bad_claims_are_refused(alice, office, changes, reason):
    with pytest.raises(ClaimRefused, match=reason):
        submit(alice, office, **changes)


def test_accepting_records_prior_learning_evidence_and_emails_the_employee(
    alice, bob, office, django_capture_on_commit_callbacks
):
    claim = submit(alice, office)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        claim = claim_review(
            claim=claim, reviewer=bob.user, accept=True, level=2, reason="Seen the certificate", now=NOW
        )
    evidence = LevelEvidence.objects.get()
    assert (evidence.source, evidence.level, evidence.recorded_by, evidence.source_object) == (
        LevelEvidence.Source.PRIOR_LEARNING,
        2,
        bob.user,
        claim,
    )
    assert evidence.observed_at == dt.datetime(2025, 11, 20, 12, tzinfo=BANGKOK)
    assert (claim.state, claim.level_accepted, claim.evidence) == ("accepted", 2, evidence)
    assert current_levels(alice, as_of=NOW)[office.id].source == LevelEvidence.Source.PRIOR_LEARNING
    (message,) = mail.outbox
    assert message.to == [alice.user.email]
    thai, english = message.subject.split(" / ")
    assert english == "Your outside learning was accepted" and thai != english  # Thai first, then English
    assert "level 2" in message.body and "Seen the certificate" in message.body


def test_rejecting_needs_a_reason_which_the_employee_reads(
    alice, bob, office, django_capture_on_commit_callbacks
):
    claim = submit(alice, office)
    with pytest.raises(ClaimRefused, match="Say why"):
        claim_review(claim=claim, reviewer=bob.user, accept=False, reason=" ", now=NOW)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        claim_review(
            claim=claim, reviewer=bob.user, accept=False, reason="The certificate has no name on it", now=NOW
        )
    claim.refresh_from_db()
    assert claim.state == "rejected" and not LevelEvidence.objects.exists()
    assert "The certificate has no name on it" in mail.outbox[0].body


def test_a_reviewed_claim_is_not_reviewed_again(alice, bob, hana, office):
    claim = submit(alice, office)
    claim_review(claim=claim, reviewer=bob.user, accept=True, now=NOW)
    with pytest.raises(ClaimRefused, match="already been reviewed"):
        claim_review(claim=claim, reviewer=hana, accept=False, reason="No", now=NOW)
    assert LevelEvidence.objects.count() == 1


def test_resubmitting_a_reviewed_claim_is_refused(alice, bob, office):
    claim = submit(alice, office)
    with pytest.raises(ClaimRefused, match="waiting for review"):
        submit(alice, office)
    claim_review(claim=claim, reviewer=bob.user, accept=True, now=NOW)
    with pytest.raises(ClaimRefused, match="already accepted"):
        submit(alice, office)
    rejected = submit(alice, office, title="Cloud basics")
    claim_review(claim=rejected, reviewer=bob.user, accept=False, reason="No name on it", now=NOW)
    with pytest.raises(ClaimRefused, match="rejected with this same file"):
        submit(alice, office, title="Cloud basics")
    assert submit(alice, office, title="Cloud basics", content=png_bytes()).state == "submitted"  # new proof


def test_a_manager_reviews_only_the_people_of_their_units(alice, bob, carol, hana, office):
    claim = submit(alice, office)
    with pytest.raises(PermissionDenied):
        claim_review(claim=claim, reviewer=carol.user, accept=True, now=NOW)  # heads another unit
    own = submit(bob, office, title="Bob's own")
    with pytest.raises(PermissionDenied):
        claim_review(claim=own, reviewer=bob.user, accept=True, now=NOW)  # not their own
    assert (
        claim_review(claim=own, reviewer=hana, accept=True, now=NOW).state == "accepted"
    )  # HR reviews anyone


# --- Pages ---------------------------------------------------------------------------------------------


def login(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_employee_claims_through_the_form_and_sees_the_state(client, alice, office):
    login(client, alice.user)
    page = client.get(reverse("profiles:prior_learning_new")).content.decode()
    assert "A1.1" in page and "Level 5" in page
    assert 'name="completed_on_year"' in page and ">November</option>" in page  # not the browser's mm/dd/yyyy
    upload = SimpleUploadedFile("certificate.pdf", PDF_BYTES, content_type="application/pdf")
    level = f"{office.framework_id}:3"
    response = client.post(
        reverse("profiles:prior_learning_new"),
        {
            "title": "Data literacy",
            "provider": "TDGA",
            "completed_on_day": "20",
            "completed_on_month": "11",
            "completed_on_year": "2025",
            "hours": "6",
            "competency": office.pk,
            "level": level,
            "file": upload,
        },
    )
    claim = PriorLearningClaim.objects.get()
    assert claim.completed_on == dt.date(2025, 11, 20)
    assert response["Location"] == reverse("profiles:prior_learning_detail", args=[claim.pk])
    listing = client.get(reverse("profiles:prior_learning")).content.decode()
    assert "Data literacy" in listing and "Waiting for review" in listing
    proof = client.get(reverse("profiles:prior_learning_file", args=[claim.pk]))
    assert proof["Content-Type"] == "application/pdf" and b"".join(proof.streaming_content) == PDF_BYTES


def test_the_form_refuses_a_renamed_program_and_a_forged_competency(client, alice, office):
    login(client, alice.user)
    other = CompetencyFactory(area=CompetencyAreaFactory(framework=CompetencyFrameworkFactory(code="OTHER")))
    data = {
        "title": "T",
        "provider": "P",
        "completed_on": "2025-11-20",
        "hours": "2",
        "level": f"{office.framework_id}:2",
    }
    exe = SimpleUploadedFile("certificate.pdf", EXE_BYTES, content_type="application/pdf")
    page = client.post(reverse("profiles:prior_learning_new"), {**data, "competency": office.pk, "file": exe})
    assert "This file is a program" in page.content.decode()
    pdf = SimpleUploadedFile("certificate.pdf", PDF_BYTES, content_type="application/pdf")
    page = client.post(reverse("profiles:prior_learning_new"), {**data, "competency": other.pk, "file": pdf})
    assert "that one is not" in page.content.decode()
    assert not PriorLearningClaim.objects.exists()


def test_the_manager_reviews_from_the_list(client, alice, bob, office):
    claim = submit(alice, office)
    login(client, bob.user)
    listing = client.get(reverse("profiles:prior_learning_reviews")).content.decode()
    assert "Data literacy" in listing and alice.full_name in listing
    page = client.get(reverse("profiles:prior_learning_detail", args=[claim.pk])).content.decode()
    assert "Record the decision" in page
    url = reverse("profiles:prior_learning_review", args=[claim.pk])
    assert client.post(url, {"decision": "reject", "reason": ""}).status_code == 400
    client.post(url, {"decision": "accept", "level": "3", "reason": ""})
    claim.refresh_from_db()
    assert claim.state == "accepted"
    response = client.post(url, {"decision": "reject", "reason": "again"}, follow=True)  # a second click
    assert "already been reviewed" in response.content.decode()


def test_other_people_cannot_see_or_review_a_claim(client, alice, carol, office, eddie):
    claim = submit(alice, office)
    for user in (carol.user, eddie):
        login(client, user)
        assert client.get(reverse("profiles:prior_learning_detail", args=[claim.pk])).status_code == 404
        assert client.get(reverse("profiles:prior_learning_file", args=[claim.pk])).status_code == 404
        assert (
            client.post(
                reverse("profiles:prior_learning_review", args=[claim.pk]), {"decision": "accept"}
            ).status_code
            == 404
        )
    login(client, carol.user)
    assert "Data literacy" not in client.get(reverse("profiles:prior_learning_reviews")).content.decode()


def test_the_review_list_costs_the_same_queries_for_more_claims(client, bob, alice, office, org, academic):
    login(client, bob.user)
    submit(alice, office)
    client.get(reverse("profiles:prior_learning_reviews"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("profiles:prior_learning_reviews"))
    for index in range(12):
        person = EmployeeFactory(org_unit=org["data"], personnel_group=academic)
        PriorLearningClaimFactory(employee=person, competency=office, title=f"Course {index}")
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("profiles:prior_learning_reviews")).content.decode()
    assert "Course 11" in page
    assert len(many.captured_queries) <= len(one.captured_queries)


def test_my_claims_costs_the_same_queries_for_more_claims(client, alice, office):
    login(client, alice.user)
    submit(alice, office)
    client.get(reverse("profiles:prior_learning"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("profiles:prior_learning"))
    for index in range(10):
        PriorLearningClaimFactory(employee=alice, competency=office, title=f"Course {index}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("profiles:prior_learning"))
    assert len(many.captured_queries) <= len(one.captured_queries)


def test_anonymising_a_leaver_deletes_their_proof_but_keeps_the_claim_and_evidence(
    client, alice, bob, hana, office, django_capture_on_commit_callbacks
):
    from profiles.hr_data.personal_data import employee_anonymise

    claim = submit(alice, office)
    claim_review(claim=claim, reviewer=bob.user, accept=True, now=NOW)
    storage, name = claim.file.storage, claim.file.name
    alice.is_active = False
    alice.save()
    with django_capture_on_commit_callbacks(execute=True):
        employee_anonymise(employee=alice, by=hana)
    claim.refresh_from_db()
    assert (claim.file.name, claim.file_name, claim.state) == ("", "", "accepted")
    assert not storage.exists(name) and LevelEvidence.objects.filter(employee=alice).count() == 1
    login(client, hana)
    assert client.get(reverse("profiles:prior_learning_file", args=[claim.pk])).status_code == 404
