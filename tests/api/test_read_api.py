"""The read API at /api/v1/: tokens, scope, cursors, rate limits, the audit log, the schema and
query counts that do not grow with headcount."""

import datetime as dt
import json

import pytest
from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from api.models import ApiClient
from api.services import api_client_create, api_client_revoke
from profiles.factories import EmployeeFactory, LevelEvidenceFactory
from profiles.models import Employee, LevelEvidence

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def make_client(hana, *, unit=None, days=30, name="Power BI"):
    now = timezone.now()
    return api_client_create(
        name=name, org_unit=unit, expires_at=now + dt.timedelta(days=days), by=hana, now=now
    )


def get(client, path, token=None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get("/api/v1/" + path, params, **headers)


def test_department_token_reads_units_staff_and_every_call_is_logged(client, hana, staff, org):
    api_client, token = make_client(hana)
    units = get(client, "org-units/", token)
    assert units.status_code == 200
    assert [u["code"] for u in units.json()["results"]] == ["D", "D.B1", "D.B1.S1", "D.B1.S2"]
    people = get(client, "staff/", token).json()
    assert {p["employee_number"] for p in people["results"]} == {e.employee_number for e in staff.values()}
    assert set(people["results"][0]) == {
        "id",
        "employee_number",
        "first_name_th",
        "last_name_th",
        "first_name_en",
        "last_name_en",
        "org_unit_id",
        "personnel_group",
        "is_active",
        "start_date",
        "end_date",
    }  # fmt: skip  (minimal: no e-mail, account or position)
    calls = ModelLogEntry.objects.filter(action="api.call", object_id=str(api_client.pk)).order_by("id")
    assert [entry.data["path"] for entry in calls] == ["/api/v1/org-units/", "/api/v1/staff/"]
    assert calls.last().data["rows"] == 5 and calls.last().data["status"] == 200
    api_client.refresh_from_db()
    assert api_client.last_used_at is not None


def test_the_token_is_stored_hashed(hana):
    api_client, token = make_client(hana)
    secret = token.rsplit("_", 1)[1]
    stored = ApiClient.objects.filter(pk=api_client.pk).values()[0]
    assert not any(secret in str(value) for value in stored.values())
    assert len(api_client.secret_hash) == 64


@pytest.mark.parametrize(
    ("make_token", "message"),
    [
        (lambda token: None, "Authorization: Bearer"),
        (lambda token: "not-a-token", "not a token of this site"),
        (lambda token: "dst_000000000000_" + "x" * 43, "No API client has this token"),
        (lambda token: token[:-4] + "AAAA", "This token is not valid"),
    ],
    ids=["missing", "malformed", "unknown", "forged"],
)
def test_missing_forged_or_unknown_tokens_are_refused_and_logged(client, hana, staff, make_token, message):
    _api_client, token = make_client(hana)
    before = (Employee.objects.count(), LevelEvidence.objects.count(), ApiClient.objects.count())
    response = get(client, "staff/", make_token(token))
    assert response.status_code == 401 and message in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert (Employee.objects.count(), LevelEvidence.objects.count(), ApiClient.objects.count()) == before
    refused = ModelLogEntry.objects.get(action="api.refused")
    assert refused.data["status"] == 401 and refused.data["path"] == "/api/v1/staff/"


def test_expired_and_revoked_tokens_are_refused(client, hana, staff):
    expired, expired_token = make_client(hana)
    ApiClient.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = get(client, "staff/", expired_token)
    assert response.status_code == 401 and "expired" in response.json()["detail"]
    revoked, revoked_token = make_client(hana, name="HRIS")
    assert get(client, "staff/", revoked_token).status_code == 200
    assert api_client_revoke(client=revoked, by=hana, now=timezone.now())
    assert not api_client_revoke(client=revoked, by=hana, now=timezone.now())  # twice: no harm
    response = get(client, "staff/", revoked_token)
    assert response.status_code == 401 and "revoked" in response.json()["detail"]
    reasons = ModelLogEntry.objects.filter(action="api.refused").values_list("data__reason", flat=True)
    assert sorted(reasons) == ["expired", "revoked"]


def test_a_session_does_not_open_the_api(client, hana, staff):
    client.force_login(hana)
    assert get(client, "staff/").status_code == 401


def test_read_only(client, hana, staff):
    api_client, token = make_client(hana)
    for method in (client.post, client.put, client.patch, client.delete):
        response = method("/api/v1/staff/", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 405
    assert Employee.objects.count() == 5
    assert ModelLogEntry.objects.filter(action="api.refused", object_id=str(api_client.pk)).count() == 4


def test_a_scoped_token_reads_its_subtree_only(client, hana, staff, org):
    api_client, token = make_client(hana, unit=org["service"])
    people = get(client, "staff/", token).json()["results"]
    assert {p["employee_number"] for p in people} == {
        staff[name].employee_number for name in ("carol", "dan", "max")
    }
    assert [u["code"] for u in get(client, "org-units/", token).json()["results"]] == ["D.B1.S2"]
    for path in ("staff/", "levels/", "evidence/"):
        response = get(client, path, token, unit=org["data"].pk)
        assert response.status_code == 403 and "D.B1.S2" in response.json()["detail"], path
    assert get(client, "staff/", token, unit=org["service"].pk).status_code == 200
    refused = ModelLogEntry.objects.filter(action="api.refused", object_id=str(api_client.pk))
    assert refused.count() == 3 and {entry.data["reason"] for entry in refused} == {"scope"}


def test_cursor_pagination_walks_every_row_once(client, hana, org, academic):
    for n in range(7):
        EmployeeFactory(org_unit=org["data"], personnel_group=academic, employee_number=f"P{n}")
    _api_client, token = make_client(hana)
    seen, cursor, pages = [], None, 0
    while True:
        page = get(client, "staff/", token, page_size=3, **({"cursor": cursor} if cursor else {})).json()
        seen += [p["employee_number"] for p in page["results"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == [f"P{n}" for n in range(7)] and pages == 3


def test_tampered_or_borrowed_cursors_are_refused(client, hana, org, academic):
    EmployeeFactory.create_batch(4, org_unit=org["data"], personnel_group=academic)
    api_client, token = make_client(hana)
    cursor = get(client, "staff/", token, page_size=2).json()["next_cursor"]
    payload = signing.loads(cursor, salt="api.v1.cursor")
    forged = signing.dumps({**payload, "a": 0}, salt="another-salt", compress=True)
    for bad in (cursor[:-3] + "xyz", forged, "garbage"):
        response = get(client, "staff/", token, cursor=bad)
        assert response.status_code == 400 and "cursor" in response.json()["detail"]
    # Issued for another list, another client or other parameters.
    assert get(client, "org-units/", token, cursor=cursor).status_code == 400
    _other, other_token = make_client(hana, name="Other")
    assert get(client, "staff/", other_token, cursor=cursor).status_code == 400
    response = get(client, "staff/", token, cursor=cursor, include_inactive="true")
    assert response.status_code == 400 and "other parameters" in response.json()["detail"]
    reasons = ModelLogEntry.objects.filter(action="api.refused", object_id=str(api_client.pk))
    assert {entry.data["reason"] for entry in reasons} == {"cursor"}


def test_levels_as_of_a_date_follow_the_level_policy(client, hana, history, staff):
    _api_client, token = make_client(hana)
    body = get(client, "levels/", token, as_of="2024-09-30").json()
    by_person = {row["employee_number"]: row["levels"] for row in body["results"]}
    assert [lv["level"] for lv in by_person[staff["alice"].employee_number]] == [3]
    assert by_person[staff["bob"].employee_number] == []  # his assessment is dated 1 Oct 2024
    assert body["as_of"].startswith("2024-09-30T23:59:59")
    later = get(client, "levels/", token, as_of="2024-10-01").json()
    bob = next(r for r in later["results"] if r["employee_number"] == staff["bob"].employee_number)
    assert [(lv["competency"], lv["level"], lv["source"]) for lv in bob["levels"]] == [
        ("A1.1", 3, "assessment")
    ]
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert get(client, "levels/", token, as_of=tomorrow).status_code == 400
    assert get(client, "levels/", token, as_of="30/09/2567").status_code == 422


def test_evidence_since_a_cursor_gives_only_what_was_recorded_since(client, hana, alice, competencies):
    _api_client, token = make_client(hana)
    first = LevelEvidenceFactory(employee=alice, competency=competencies["A1.1"], level=2)
    page = get(client, "evidence/", token).json()
    assert [row["id"] for row in page["results"]] == [first.pk] and page["more"] is False
    cursor = page["next_cursor"]
    assert get(client, "evidence/", token, cursor=cursor).json()["results"] == []
    second = LevelEvidenceFactory(employee=alice, competency=competencies["A1.2"], level=3)
    page = get(client, "evidence/", token, cursor=cursor).json()
    assert [(row["id"], row["competency"], row["level"]) for row in page["results"]] == [
        (second.pk, "A1.2", 3)
    ]


def test_evidence_waits_until_it_has_settled(client, hana, alice, competencies, settings):
    """A record is given once no transaction that began before it can still be running."""
    settings.API_EVIDENCE_SETTLE_SECONDS = 300
    _api_client, token = make_client(hana)
    LevelEvidenceFactory(employee=alice, competency=competencies["A1.1"], level=2)
    page = get(client, "evidence/", token).json()
    assert page["results"] == []
    cursor = page["next_cursor"]
    with connection.cursor() as raw:  # the log is append-only for the ORM; age the record in SQL
        raw.execute(
            f"UPDATE {LevelEvidence._meta.db_table} SET recorded_at = %s",
            [timezone.now() - dt.timedelta(seconds=301)],
        )
    assert len(get(client, "evidence/", token, cursor=cursor).json()["results"]) == 1


def test_plan_targets_with_status_per_fiscal_year(client, hana, plan, history, org):
    _api_client, token = make_client(hana)
    plans = get(client, "plans/", token).json()
    assert [p["code"] for p in plans] == ["DAP"]
    rows = get(client, f"plans/{plan.pk}/targets/", token, fiscal_year=2568).json()
    assert rows and {row["fiscal_year"] for row in rows} == {2568}
    year = next(row for row in rows if row["period"] == "year" and row["competency"] == "A1.1")
    assert year["target_pct"] == 60 and year["status"] in {"met", "on_track", "at_risk", "off_track"}
    assert get(client, "plans/999999/targets/", token).status_code == 404
    _scoped, scoped_token = make_client(hana, unit=org["service"], name="Service BI")
    assert get(client, f"plans/{plan.pk}/targets/", scoped_token, unit=org["data"].pk).status_code == 403
    assert get(client, f"plans/{plan.pk}/targets/", scoped_token).status_code == 200


def test_a_client_is_rate_limited(client, hana, staff, settings):
    settings.API_RATE_LIMIT = "3/m"
    api_client, token = make_client(hana)
    statuses = [get(client, "org-units/", token).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    response = get(client, "org-units/", token)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert ModelLogEntry.objects.filter(action="api.refused", object_id=str(api_client.pk)).count() == 3
    _other, other_token = make_client(hana, name="Other")
    assert get(client, "org-units/", other_token).status_code == 200  # per client


def test_an_address_sending_bad_tokens_is_told_to_wait(client, settings, db):
    settings.API_REFUSALS_PER_MINUTE = 5
    statuses = [get(client, "staff/", f"dst_{n:012d}_secret").status_code for n in range(7)]
    assert statuses == [401] * 5 + [429] * 2


def test_queries_per_page_do_not_grow_with_headcount(client, hana, org, academic, competencies):
    _api_client, token = make_client(hana, unit=org["bureau"])

    def add_people(count):
        for _ in range(count):
            person = EmployeeFactory(org_unit=org["data"], personnel_group=academic)
            for code in ("A1.1", "A2.1"):
                LevelEvidenceFactory(employee=person, competency=competencies[code], level=2)

    def queries(path):
        with CaptureQueriesContext(connection) as captured:
            assert get(client, path, token, page_size=500).status_code == 200
        return len(captured.captured_queries)

    add_people(3)
    small = {path: queries(path) for path in ("org-units/", "staff/", "levels/", "evidence/")}
    add_people(40)
    large = {path: queries(path) for path in small}
    assert large == small and max(small.values()) <= 8, small


def test_the_openapi_schema_describes_every_endpoint(client, db):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/org-units/", "/api/v1/staff/", "/api/v1/levels/", "/api/v1/evidence/", "/api/v1/plans/",
        "/api/v1/plans/{plan_id}/targets/",
    }  # fmt: skip
    assert all(list(methods) == ["get"] for methods in schema["paths"].values())  # read-only
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    staff_fields = schema["components"]["schemas"]["StaffOut"]["properties"]
    assert "email" not in staff_fields and "employee_number" in staff_fields
    assert json.dumps(schema)  # plain JSON, for Power BI / Power Query and code generators


def test_hr_creates_a_client_sees_the_token_once_and_revokes_it(client, hana, staff):
    client.force_login(hana)
    page = client.get(reverse("api_clients:add"))
    form_key = page.context["form"].initial["form_key"]
    expires_on = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    data = {"name": "HRIS nightly sync", "org_unit": "", "expires_on": expires_on, "form_key": form_key}
    response = client.post(reverse("api_clients:add"), data)
    token = response.context["token"]
    assert response.status_code == 200 and token in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    again = client.post(reverse("api_clients:add"), data)  # a double click
    assert again.status_code == 302 and ApiClient.objects.count() == 1
    listing = client.get(reverse("api_clients:index")).content.decode()
    assert "HRIS nightly sync" in listing and token not in listing
    assert get(client.__class__(), "staff/", token).status_code == 200
    api_client = ApiClient.objects.get()
    client.post(reverse("api_clients:revoke", args=[api_client.pk]))
    assert get(client.__class__(), "staff/", token).status_code == 401
    actions = set(ModelLogEntry.objects.filter(object_id=str(api_client.pk)).values_list("action", flat=True))
    assert {"api.client_create", "api.client_revoke", "api.call", "api.refused"} <= actions


def test_token_lifetime_and_scope_are_checked_in_the_admin(client, hana, scoped_hr, org):
    client.force_login(hana)
    client.cookies["skills_language"] = "en"
    page = client.get(reverse("api_clients:add"))
    too_long = (timezone.localdate() + dt.timedelta(days=400)).isoformat()
    response = client.post(
        reverse("api_clients:add"),
        {"name": "x", "expires_on": too_long, "form_key": page.context["form"].initial["form_key"]},
    )
    assert response.status_code == 200 and "at most 365 days" in response.content.decode()
    assert not ApiClient.objects.exists()
    # An HR officer limited to the Service section makes tokens inside it only, and sees only those.
    hq, _token = make_client(hana, name="Department BI")
    client.force_login(scoped_hr)
    page = client.get(reverse("api_clients:add"))
    assert list(page.context["form"].fields["org_unit"].queryset) == [org["service"]]
    key = page.context["form"].initial["form_key"]
    future = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    refused = client.post(
        reverse("api_clients:add"), {"name": "y", "org_unit": "", "expires_on": future, "form_key": key}
    )
    assert refused.status_code == 200 and not ApiClient.objects.filter(name="y").exists()
    assert "Department BI" not in client.get(reverse("api_clients:index")).content.decode()
    assert client.post(reverse("api_clients:revoke", args=[hq.pk])).status_code == 404


def test_employees_and_editors_cannot_manage_clients(client, alice, eddie, hana):
    hq, _token = make_client(hana)
    for user in (alice.user, eddie):
        client.force_login(user)
        assert client.get(reverse("api_clients:index")).status_code in (302, 403)
        client.post(reverse("api_clients:revoke", args=[hq.pk]))
    hq.refresh_from_db()
    assert hq.revoked_at is None


def test_a_made_up_token_is_logged_against_the_api_client_model(db):
    """A refused call with a made-up token lands in the log against the API client model, labelled."""
    from django.test import Client

    Client().get("/api/v1/staff/", HTTP_AUTHORIZATION="Bearer dst_abcdefabcdef_nope")
    entry = ModelLogEntry.objects.get(action="api.refused")
    assert entry.label == "API: unknown token" and entry.object_id == "0"
    assert entry.content_type.model == "apiclient"


def test_anonymous_users_have_no_admin(db):
    from django.test import Client

    response = Client().get(reverse("api_clients:index"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_expiry_date_works_in_thai_too(client, hana):
    """On a Thai page the expiry is shown and typed as day / month / B.E. year."""
    client.force_login(hana)
    page = client.get(reverse("api_clients:add"))  # Thai, the default
    day = timezone.localdate() + dt.timedelta(days=90)
    html = page.content.decode()
    assert f'name="expires_on_year" value="{day.year + 543}"' in html and "พ.ศ." in html
    data = {
        "name": "BI",
        "expires_on_day": day.day,
        "expires_on_month": day.month,
        "expires_on_year": day.year + 543,
        "form_key": page.context["form"].initial["form_key"],
    }
    assert client.post(reverse("api_clients:add"), data).status_code == 200
    assert ApiClient.objects.get().expires_at.date() == day
