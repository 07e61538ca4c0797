"""The menu links a person gets, and how long the answer is kept."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from skills_site import context_processors


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
