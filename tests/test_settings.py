import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from skills_site.settings.env import env_bool, env_database, env_int, env_list, env_str

STRONG_KEY = "k3y-" + "x7Qp9-Lm2Za8" * 6


def test_required_value_missing_names_the_variable(monkeypatch):
    monkeypatch.delenv("SOME_REQUIRED", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SOME_REQUIRED is not set"):
        env_str("SOME_REQUIRED")


def test_defaults_and_parsing(monkeypatch):
    monkeypatch.setenv("A_BOOL", "Yes")
    monkeypatch.setenv("AN_INT", "42")
    monkeypatch.setenv("A_LIST", "a.example, b.example ,")
    assert env_bool("A_BOOL") is True
    assert env_int("AN_INT") == 42
    assert env_list("A_LIST") == ["a.example", "b.example"]
    assert env_str("UNSET_WITH_DEFAULT_X", "fallback") == "fallback"


@pytest.mark.parametrize(
    ("name", "value", "reader", "message"),
    [
        ("A_BOOL", "perhaps", env_bool, "A_BOOL='perhaps' is not a boolean"),
        ("AN_INT", "ten", env_int, "AN_INT='ten' is not a whole number"),
        ("A_LIST", " , ", env_list, "A_LIST is set but lists nothing"),
    ],
)
def test_malformed_values_fail_with_the_variable_named(monkeypatch, name, value, reader, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=message):
        reader(name)


def test_database_url_selects_postgres_and_rejects_others(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert env_database(sqlite_path=tmp_path / "x.sqlite3")["ENGINE"] == "django.db.backends.sqlite3"
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/skills")
    config = env_database(sqlite_path=tmp_path / "x.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql" and config["NAME"] == "skills"
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/skills")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL must start with"):
        env_database(sqlite_path=tmp_path / "x.sqlite3")


def test_the_embedded_database_file_is_written_through_the_write_ahead_log(
    monkeypatch, tmp_path, django_db_blocker
):
    """Pages can be read while a submission or an import is being written."""
    from django.db.utils import ConnectionHandler

    monkeypatch.delenv("DATABASE_URL", raising=False)
    handler = ConnectionHandler({"default": env_database(sqlite_path=tmp_path / "skills.sqlite3")})
    try:
        with django_db_blocker.unblock(), handler["default"].cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
    finally:
        handler.close_all()


def manage(*args, **env):
    environment = {
        key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "ALLOWED_HOSTS")
    }
    environment.update(DJANGO_SETTINGS_MODULE="skills_site.settings.production", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    result = manage("check", ALLOWED_HOSTS="skills.example")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Configuration error: SECRET_KEY is not set: it is required in this configuration."
    )


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", SECRET_KEY=STRONG_KEY)
    assert result.returncode == 1
    assert "ALLOWED_HOSTS is not set" in result.stderr and "Traceback" not in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = manage("check", SECRET_KEY="short", ALLOWED_HOSTS="skills.example")
    assert result.returncode == 1 and "SECRET_KEY is too weak" in result.stderr


def test_production_passes_the_deployment_checklist():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="skills.example"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
