"""The menu links a person gets, and how long the answer is kept."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from skills_site import context_processors
from tests.conftest import PASSWORD


def team_link_shown(client) -> bool:
    return reverse("profiles:my_team") in client.get(reverse("profiles:my_profile")).content.decode()


def test_a_new_head_gets_the_team_link_within_five_minutes_and_the_page_at_once(
    client, alice, bob, org, monkeypatch
):
    clock = [1_000_000.0]
    monkeypatch.setattr(context_processors.time, "time", lambda: clock[0])
    client.force_login(alice.user)
    assert not team_link_shown(client)

    org["service"].head = alice
    org["service"].save(update_fields=["head"])
    # The link is kept for a while; the page itself checks the role on every request.
    assert not team_link_shown(client)
    assert client.get(reverse("profiles:my_team")).status_code == 200

    clock[0] += context_processors.NAVIGATION_SECONDS + 1
    assert team_link_shown(client)


def test_the_kept_answer_belongs_to_the_person_who_signed_in(client, alice, bob):
    client.force_login(bob.user)
    assert team_link_shown(client)
    client.force_login(alice.user)
    assert not team_link_shown(client)


def test_pages_after_the_first_do_not_ask_the_role_questions_again(client, alice):
    client.force_login(alice.user)
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("profiles:my_profile"))
    with CaptureQueriesContext(connection) as second:
        client.get(reverse("profiles:my_profile"))
    kept = client.session[context_processors.NAVIGATION_SESSION_KEY]
    assert kept["user"] == alice.user.pk and kept["is_manager"] is False
    # has_perm (two queries) and is_manager (one) are answered from the session.
    assert len(second) <= len(first) - 3


def test_signing_in_answers_the_menu_so_the_first_page_writes_no_session(client, alice, bob, settings):
    settings.MFA_REQUIRED_ROLES = ["hr", "manager"]
    response = client.post(reverse("account_login"), {"login": alice.user.email, "password": PASSWORD})
    assert response.status_code == 302
    kept = client.session[context_processors.NAVIGATION_SESSION_KEY]
    assert kept["user"] == alice.user.pk and kept["is_manager"] is False and kept["can_open_admin"] is False
    with CaptureQueriesContext(connection) as first_page:
        page = client.get(reverse("profiles:my_profile"))
    assert page.status_code == 200
    writes = [q["sql"] for q in first_page.captured_queries if q["sql"].startswith(("INSERT", "UPDATE"))]
    assert not any("django_session" in sql for sql in writes)


def test_a_head_who_signs_in_gets_the_team_link_and_still_must_set_up_a_second_factor(client, bob, settings):
    settings.MFA_REQUIRED_ROLES = ["hr", "manager"]
    client.post(reverse("account_login"), {"login": bob.user.email, "password": PASSWORD})
    assert client.session[context_processors.NAVIGATION_SESSION_KEY]["is_manager"] is True
    response = client.get(reverse("profiles:my_profile"))
    assert response.status_code == 302 and response.url == reverse("mfa_activate_totp")
