"""The certificate PDF: Thai name, course, B.E. date and code; the verification page is public."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from courses.models import Enrolment
from courses.services import course_complete
from skills_site.thai_calendar import BANGKOK


@pytest.fixture
def completed(alice, excel_course):
    enrolment = Enrolment.objects.create(employee=alice, course=excel_course)
    course_complete(enrolment=enrolment, now=dt.datetime(2026, 3, 5, 10, 0, tzinfo=BANGKOK))
    return enrolment


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.django_db
def test_certificate_pdf_has_thai_name_course_code_and_be_date(client_for, alice, completed):
    response = client_for(alice).get(f"/learning/certificates/{completed.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    compact = text.replace(" ", "").replace("\n", "")
    assert completed.certificate_code in text
    assert "อลิสใจดี" in compact
    assert "2569" in text  # 5 March 2026 in the Buddhist Era
    assert f"/learning/verify/{completed.certificate_code}/" in compact


@pytest.mark.django_db
def test_certificate_download_is_limited_to_the_learner_their_manager_and_hr(
    client_for, completed, bob, carol, hana, oscar
):
    url = f"/learning/certificates/{completed.pk}/"
    assert client_for(bob).get(url).status_code == 200
    assert client_for(hana).get(url).status_code == 200
    assert client_for(carol).get(url).status_code == 404
    assert client_for(oscar).get(url).status_code == 404


@pytest.mark.django_db
def test_no_certificate_before_completion(client_for, alice, excel_course):
    enrolment = Enrolment.objects.create(employee=alice, course=excel_course)
    assert client_for(alice).get(f"/learning/certificates/{enrolment.pk}/").status_code == 404


@pytest.mark.django_db
def test_verification_page_shows_name_course_and_date_only(client, completed, alice):
    alice.position_title = "นักวิเคราะห์ข้อมูลชำนาญการ"
    alice.save()
    response = client.get(f"/learning/verify/{completed.certificate_code}/")  # not logged in
    assert response.status_code == 200
    html = response.content.decode()
    assert "อลิส ใจดี" in html and completed.course.title in html and "2569" in html
    for private in (alice.employee_number, alice.position_title, alice.user.email, alice.org_unit.name_th):
        assert private not in html
    # Typed by hand, in lower case and without dashes, it still verifies.
    typed = completed.certificate_code.replace("-", "").lower()
    response = client.get("/learning/verify/", {"code": typed})
    assert response.status_code == 302 and response.url.endswith(f"/{completed.certificate_code}/")


@pytest.mark.django_db
def test_forged_code_is_not_genuine(client, completed):
    response = client.get("/learning/verify/ZZZZ-ZZZZ-ZZZZ/")
    assert response.status_code == 404
    assert "อลิส" not in response.content.decode()
    response = client.get("/learning/verify/", {"code": "<script>"})
    assert response.status_code == 200 and response.context["form"].errors


@pytest.mark.django_db
def test_certificate_is_in_the_language_of_the_page_it_is_downloaded_from(client_for, alice, completed, org):
    alice.first_name_en, alice.last_name_en = "Alice", "Jaidee"
    alice.save()
    client = client_for(alice)
    client.cookies["skills_language"] = "en"
    english = pdf_text(client.get(f"/learning/certificates/{completed.pk}/").content)
    assert "Certificate of completion" in english and "has completed the course" in english
    assert "5 Mar 2026" in english and "Alice Jaidee" in english
    assert "ประกาศนียบัตร" not in english and "ตรวจสอบ" not in english
    client.cookies["skills_language"] = "th"
    thai = pdf_text(client.get(f"/learning/certificates/{completed.pk}/").content)
    compact = thai.replace(" ", "").replace("\n", "")
    assert "ได้ผ่านการเรียนรู้หลักสูตร" in compact and "5มีนาคม2569" in compact
    assert "Certificate" not in thai and "Verify" not in thai
    # the footer names the department in the certificate's language, not the software
    assert "Digital Skills Tracker" not in thai + english
    assert "กรมตัวอย่าง" in compact and "Sample Department" in english
