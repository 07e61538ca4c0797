"""/healthz answers for load balancers: the database and the cache, and nothing personal."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_healthz_is_ok_when_the_database_and_cache_answer(client, db):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert len(queries) == 1 and "no-cache" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


def test_healthz_says_which_part_failed(client, db, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr("skills_site.views.cache.set", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "cache": "error: ConnectionError"}


@pytest.mark.parametrize("method", ["post", "put"])
def test_healthz_only_answers_get(client, db, method):
    assert getattr(client, method)("/healthz").status_code == 405
