"""Course fixtures: a catalogue with a few courses mapped to the test framework."""

import pytest

from courses.factories import catalogue_create, course_create, lesson_data


@pytest.fixture
def catalogue(db):
    return catalogue_create(title="คลังหลักสูตร", slug="courses")


@pytest.fixture
def excel_course(catalogue, competencies):
    return course_create(
        catalogue=catalogue,
        title="Excel สำหรับงานข้อมูล",
        summary="ใช้สเปรดชีตจัดการและวิเคราะห์ข้อมูล",
        keywords="excel สเปรดชีต ข้อมูล",
        level="intermediate",
        language="th",
        duration_minutes=180,
        lessons=[lesson_data("ตารางและสูตร"), lesson_data("PivotTable"), lesson_data("กราฟ")],
        competencies=[(competencies["A1.1"], 3), (competencies["A1.2"], 2)],
    )


@pytest.fixture
def cyber_course(catalogue, competencies):
    return course_create(
        catalogue=catalogue,
        title="ความปลอดภัยไซเบอร์และการรับมือฟิชชิง",
        summary="รู้ทันอีเมลหลอกลวงและดูแลอุปกรณ์ให้ปลอดภัย",
        level="introductory",
        language="th",
        duration_minutes=45,
        is_mandatory=True,
        lessons=[lesson_data("ฟิชชิงคืออะไร"), lesson_data("รหัสผ่านและ MFA")],
        competencies=[(competencies["A2.1"], 2)],
    )


@pytest.fixture
def english_course(catalogue, competencies):
    return course_create(
        catalogue=catalogue,
        title="Cyber hygiene and phishing",
        summary="Spot phishing e-mail and keep devices safe",
        level="introductory",
        language="en",
        duration_minutes=45,
        lessons=1,
        competencies=[(competencies["A2.1"], 2)],
    )


@pytest.fixture
def client_for(client):
    """Log a persona in: ``client_for(alice)`` (an Employee) or ``client_for(hana)`` (a User)."""

    def login(person):
        user = getattr(person, "user", person)
        client.force_login(user)
        return client

    return login
