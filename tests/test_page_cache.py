# ruff: noqa: F811  (the reports' plan and history are fixtures imported from their conftest)
"""Signed-in pages kept in the cache until any data changes (skills_site/page_cache.py)."""

import datetime as dt
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.factories import assessment_page_create
from profiles.competencies.services import evidence_record
from profiles.models import LevelEvidence, OrgUnit
from skills_site import page_cache
from skills_site.page_cache import data_version, written_table
from tests.reports.conftest import empty_cache, history, plan, staff, technology  # noqa: F401

MY_SKILLS = "/me/skills/"


def signed_in(client, user, language="en"):
    client.force_login(user)
    client.cookies["skills_language"] = language
    first = client.get(MY_SKILLS)  # renders a form: the CSRF cookie is set from here on
    assert first.status_code == 200 and client.cookies.get("csrftoken")
    return client


def assessed(employee, competency, *, level):
    evidence_record(
        employee=employee,
        competency=competency,
        level=level,
        source=LevelEvidence.Source.ASSESSMENT,
        observed_at=timezone.now() - dt.timedelta(hours=1),
    )


def without_nonce(response) -> bytes:
    return response.content.replace(response.wsgi_request.csp_nonce.encode(), b"")


def opened(client, path):
    """The response and the number of queries it cost."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return response, len(queries)


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ('INSERT INTO "profiles_levelevidence" ("level") VALUES (%s)', "profiles_levelevidence"),
        ('UPDATE "auth_user" SET "last_login" = %s', "auth_user"),
        ('DELETE FROM "django_session" WHERE 1', "django_session"),
        ('SELECT "updated_at", "deleted" FROM "courses_enrolment"', None),
        ("WITH t AS (SELECT 1) SELECT * FROM t", None),
        ("WITH t AS (SELECT 1) INSERT INTO profiles_levelcell SELECT * FROM t", "profiles_levelcell"),
        ("  copy profiles_levelevidence (level) FROM STDIN", "profiles_levelevidence"),
        ("SAVEPOINT s1", None),
    ],
)
def test_writes_are_told_from_reads(sql, table):
    assert written_table(sql) == table


def test_a_second_visit_is_answered_from_the_cache_until_evidence_changes_it(client, alice, competencies):
    signed_in(client, alice.user)
    fresh, fresh_queries = opened(client, MY_SKILLS)
    kept, kept_queries = opened(client, MY_SKILLS)
    assert fresh.context is not None and kept.context is None  # the template did not run again
    assert without_nonce(kept) == without_nonce(fresh)
    assert kept_queries <= 2 < fresh_queries  # the session and the user, nothing else

    before = data_version()
    assessed(alice, competencies["A1.1"], level=4)
    changed, _queries = opened(client, MY_SKILLS)
    assert data_version() > before
    assert changed.context is not None  # built again from the new evidence
    rows = {
        row.competency.code: row for profile in changed.context["skills"].frameworks for row in profile.rows
    }
    assert rows["A1.1"].level == 4


def test_each_answer_carries_its_own_script_nonce(client, alice):
    signed_in(client, alice.user)
    opened(client, MY_SKILLS)
    for _ in range(2):
        response, _queries = opened(client, MY_SKILLS)
        nonce = response.wsgi_request.csp_nonce
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces = set(re.findall(r'nonce="([^"]+)"', response.content.decode()))
        assert nonces <= {nonce}
        assert page_cache.NONCE_PLACEHOLDER not in response.content.decode()


def test_the_forms_of_a_kept_page_still_post(alice):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    signed_in(client, alice.user)
    opened(client, MY_SKILLS)
    kept, _queries = opened(client, MY_SKILLS)
    assert kept.context is None
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', kept.content.decode()).group(1)
    response = client.post(
        reverse("set_language"), {"language": "th", "csrfmiddlewaretoken": token, "next": "/"}
    )
    assert response.status_code == 302


def test_people_never_see_each_others_pages(client, alice, bob, competencies):
    assessed(alice, competencies["A1.1"], level=4)
    signed_in(client, alice.user)
    opened(client, MY_SKILLS)
    alices, _queries = opened(client, MY_SKILLS)
    signed_in(client, bob.user)
    bobs, _queries = opened(client, MY_SKILLS)
    kept, _queries = opened(client, MY_SKILLS)
    assert alices.context is None and kept.context is None  # both answered from the cache
    assert without_nonce(kept) == without_nonce(bobs)
    assert b"Office tools" in alices.content
    assert without_nonce(alices) != without_nonce(kept)


def test_languages_are_kept_apart(client, alice):
    signed_in(client, alice.user, "en")
    opened(client, MY_SKILLS)
    english, _queries = opened(client, MY_SKILLS)
    client.cookies["skills_language"] = "th"
    thai, _queries = opened(client, MY_SKILLS)
    assert thai.context is not None  # not the English page
    assert '<html lang="th"' in thai.content.decode() and '<html lang="en"' in english.content.decode()


def test_a_waiting_message_is_shown_not_skipped(client, alice):
    from django.contrib import messages
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest, HttpResponse

    signed_in(client, alice.user)
    opened(client, MY_SKILLS)
    opened(client, MY_SKILLS)  # kept from here on
    storage, carrier = CookieStorage(HttpRequest()), HttpResponse()
    storage.add(messages.SUCCESS, "Your claim was sent for review.")
    storage.update(carrier)  # as a form's redirect leaves it for the next page
    client.cookies[storage.cookie_name] = carrier.cookies[storage.cookie_name].value
    shown, _queries = opened(client, MY_SKILLS)
    assert shown.context is not None and "Your claim was sent for review." in shown.content.decode()
    after, _queries = opened(client, MY_SKILLS)
    assert "Your claim was sent for review." not in after.content.decode()


def test_signed_out_visitors_and_downloads_are_never_kept(client, hana, plan, history):
    anonymous = client.get("/")
    again = client.get("/")
    assert anonymous.status_code == again.status_code == 200 and again.context is not None
    client.force_login(hana)
    client.get("/admin/")
    path = reverse("capability_report:index") + f"?plan={plan.pk}&export=csv"
    for _ in range(3):
        response = client.get(path)
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]


@pytest.mark.django_db(transaction=True)
def test_a_write_in_a_transaction_moves_the_version_when_it_commits(alice):
    page_cache.changes_pending()
    start = data_version()
    with transaction.atomic():
        OrgUnit.objects.filter(pk=alice.org_unit_id).update(name_en="Data and Analytics")
        OrgUnit.objects.filter(pk=alice.org_unit_id).update(name_th="ข้อมูลและการวิเคราะห์")
        assert data_version() == start  # not yet: others would keep pages of the data before it
    assert data_version() == start + 1  # once for the transaction, however many statements
    with transaction.atomic():
        OrgUnit.objects.filter(pk=alice.org_unit_id).update(name_en="Data")
        transaction.set_rollback(True)
    assert data_version() == start + 1
    page_cache.changes_pending()  # what this process wrote may have been seen: stale it anyway
    assert data_version() == start + 2
    alice.user.save(update_fields=["last_login"])  # outside a transaction: at once
    assert data_version() == start + 3


def test_a_cache_out_of_reach_does_not_fail_the_write(alice, monkeypatch, caplog):
    def unreachable(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(page_cache.cache, "incr", unreachable)
    monkeypatch.setattr(page_cache.cache, "add", unreachable)
    alice.user.first_name = "Alicia"
    alice.user.save(update_fields=["first_name"])
    page_cache.changes_pending()  # the write is made; the failure is logged, not raised
    alice.user.refresh_from_db()
    assert alice.user.first_name == "Alicia"
    assert "data version could not be moved" in caplog.text


def test_session_writes_do_not_move_the_version(client, alice):
    signed_in(client, alice.user)
    page_cache.changes_pending()
    start = data_version()
    client.session.save()
    client.get("/healthz")
    assert data_version() == start


def test_a_page_listing_open_tests_is_kept_no_longer_than_until_the_next_one_opens(client, alice, settings):
    opens = timezone.now() + dt.timedelta(seconds=40)
    assessment_page_create(title="Annual digital test", competencies=[], opens_at=opens)
    signed_in(client, alice.user)
    settings.PAGE_CACHE_SECONDS = 300
    stored = {}
    original = page_cache.cache.set

    def keep(key, value, timeout):
        stored["timeout"] = timeout
        original(key, value, timeout)

    page_cache.cache.set = keep
    try:
        request = client.get("/").wsgi_request
    finally:
        page_cache.cache.set = original
    assert getattr(request, page_cache.UNTIL_ATTRIBUTE) == opens
    assert 0 < stored["timeout"] <= 40


def test_the_cache_can_be_turned_off(client, alice, settings):
    settings.PAGE_CACHE_SECONDS = 0
    signed_in(client, alice.user)
    opened(client, MY_SKILLS)
    again, _queries = opened(client, MY_SKILLS)
    assert again.context is not None
