import datetime as dt

import pytest
from django.urls import reverse

from profiles.factories import LevelEvidenceFactory
from profiles.models import LevelEvidence
from skills_site.thai_calendar import BANGKOK
from tests.conftest import PASSWORD


def sign_in(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_staff_sign_in_with_their_email(client, alice):
    response = sign_in(client, "alice@example.go.th")
    assert response.status_code == 302
    assert response.url == reverse("profiles:my_profile")
    assert client.get(reverse("profiles:my_profile")).context["employee"] == alice


def test_wrong_password_is_refused(client, alice):
    response = sign_in(client, "alice@example.go.th", "not-her-password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sign_up_is_closed(client, db):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "signup_closed" in response.templates[0].name or b"closed" in response.content.lower()


def test_profile_needs_sign_in(client, db):
    response = client.get(reverse("profiles:my_profile"))
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_thai_is_the_default_and_english_is_a_switch_away(client, alice):
    client.force_login(alice.user)
    thai = client.get(reverse("profiles:my_profile"))
    assert thai.headers["Content-Language"] == "th"
    assert "เลขประจำตัว".encode() in thai.content or "โปรไฟล์ของฉัน".encode() in thai.content
    # Thai dates are in the Buddhist Era: started 6 Jan 2020 = 6 มกราคม 2563.
    assert "6 มกราคม 2563".encode() in thai.content
    response = client.post(reverse("set_language"), {"language": "en", "next": "/me/"})
    assert response.status_code == 302
    english = client.get(reverse("profiles:my_profile"))
    assert english.headers["Content-Language"] == "en"
    assert b"Employee number" in english.content
    assert b"6 Jan 2020" in english.content


def test_sign_out(client, alice):
    client.force_login(alice.user)
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_plain_employee_cannot_open_the_wagtail_admin(client, alice):
    client.force_login(alice.user)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert b"alice@example.go.th" in response.content  # told who they are signed in as
    assert response.context["user"] == alice.user
    response = client.get(reverse("orgunit:index"))
    assert response.status_code in (302, 403)


def test_hr_browses_and_edits_the_core_in_the_admin(client, hana, alice, org):
    client.force_login(hana)
    assert client.get("/admin/").status_code == 200
    for name in (
        "orgunit",
        "employee",
        "personnelgroup",
        "competencyframework",
        "roletarget",
        "competency",
        "competencyarea",
    ):
        assert client.get(reverse(f"{name}:index")).status_code == 200, name
    response = client.get(reverse("employee:index"), {"q": "อลิส"})
    assert "อลิส".encode() in response.content
    edit = client.get(reverse("orgunit:edit", args=[org["data"].pk]))
    assert edit.status_code == 200


def test_editor_sees_no_people_in_the_admin(client, eddie):
    client.force_login(eddie)
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("employee:index")).status_code in (302, 403)


def test_evidence_log_is_read_only_in_the_admin(client, hana, alice, competencies, django_user_model):
    evidence = LevelEvidenceFactory(
        employee=alice,
        competency=competencies["A1.1"],
        level=3,
        observed_at=dt.datetime(2025, 3, 1, 9, tzinfo=BANGKOK),
    )
    superuser = django_user_model.objects.create_superuser("root", "root@example.go.th", PASSWORD)
    for user in (hana, superuser):
        client.force_login(user)
        assert client.get(reverse("levelevidence:index")).status_code == 200
        assert client.get(reverse("levelevidence:inspect", args=[evidence.pk])).status_code == 200
        assert client.get(reverse("levelevidence:edit", args=[evidence.pk])).status_code in (302, 403)
        assert client.post(
            reverse("levelevidence:edit", args=[evidence.pk]), {"note": "changed"}
        ).status_code in (302, 403)
        assert client.post(reverse("levelevidence:delete", args=[evidence.pk])).status_code in (302, 403)
        assert client.get(reverse("levelevidence:add")).status_code in (302, 403)
    evidence.refresh_from_db()
    assert evidence.note == "" and LevelEvidence.objects.count() == 1


@pytest.mark.parametrize("listing", ["levelevidence", "employee", "orgunit", "roletarget", "competency"])
def test_admin_listings_cost_the_same_queries_for_more_rows(client, hana, bob, org, academic, competencies,
                                                            targets, listing):  # fmt: skip
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from profiles.factories import EmployeeFactory, OrgUnitFactory

    def add_rows(count):
        for n in range(count):
            person = EmployeeFactory(org_unit=OrgUnitFactory(parent=org["bureau"]), personnel_group=academic)
            LevelEvidenceFactory(employee=person, competency=competencies["A1.1"], recorded_by=bob.user,
                                 observed_at=dt.datetime(2025, 3, 1 + n, tzinfo=BANGKOK))  # fmt: skip

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(f"{listing}:index")).status_code == 200
        return len(captured)

    client.force_login(hana)
    add_rows(2)
    few = queries()
    add_rows(8)
    assert queries() == few


def test_browser_language_does_not_override_thai_default(client, alice):
    client.force_login(alice.user)
    response = client.get(reverse("profiles:my_profile"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "th"


def test_password_reset_sends_an_email(client, alice, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": "alice@example.go.th"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["alice@example.go.th"]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body
