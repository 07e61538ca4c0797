"""Reading configuration from the environment.

Every reader fails with ``ImproperlyConfigured`` naming the variable, so a bad deployment
stops at start-up with one clear line instead of running with a silent default.
"""

import os
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

REQUIRED = object()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        if default is REQUIRED:
            raise ImproperlyConfigured(f"{name} is not set: it is required in this configuration.")
        return None
    return value.strip()


def env_str(name: str, default=REQUIRED) -> str:
    value = _raw(name, default)
    return default if value is None else value


def env_bool(name: str, default=REQUIRED) -> bool:
    value = _raw(name, default)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean: use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(name: str, default=REQUIRED, *, minimum: int | None = None, maximum: int | None = None) -> int:
    value = _raw(name, default)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum of {minimum}.")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name}={number} is above the maximum of {maximum}.")
    return number


def env_choice(name: str, default=REQUIRED, *, choices: list[str]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of: {', '.join(choices)}.")
    return value


def env_list(name: str, default=REQUIRED) -> list[str]:
    value = _raw(name, default)
    if value is None:
        return default
    items = [item.strip() for item in value.split(",") if item.strip()]
    if value.strip().lower() == "none":
        return []
    if not items:
        raise ImproperlyConfigured(f"{name} is set but lists nothing (expected comma-separated).")
    return items


def env_database(name: str = "DATABASE_URL", *, sqlite_path) -> dict:
    """The database from ``DATABASE_URL``; the embedded SQLite file when it is unset."""
    value = _raw(name, None)
    if value is None:
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(sqlite_path),
            # Writers queue for the lock (IMMEDIATE) instead of failing half-way; the write-ahead
            # log lets pages be read while a submission or an import is being written.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL;",
            },
        }
    if not value.startswith(("postgres://", "postgresql://", "sqlite://")):
        raise ImproperlyConfigured(
            f"{name} must start with postgres://, postgresql:// or sqlite:// (got {value[:20]!r})."
        )
    try:
        config = dj_database_url.parse(value, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} could not be parsed: {exc}") from None
    if not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} names no database.")
    return config


_PERIODS = {"s": 1, "m": 60, "h": 3600}


def env_rate(name: str, default: str) -> tuple[int, int]:
    """``COUNT/PERIOD`` (``50/10m``, ``100/1h``, ``20/90s``) as (count, seconds)."""
    value = _raw(name, default) or default
    count, _slash, period = value.partition("/")
    unit = period[-1:].lower()
    amount = period[:-1] or "1"
    if not (count.isdigit() and amount.isdigit() and unit in _PERIODS and int(count) > 0 and int(amount) > 0):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a rate: write COUNT/PERIOD, e.g. 50/10m (s, m or h)."
        )
    return int(count), int(amount) * _PERIODS[unit]


_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


def env_sso() -> dict | None:
    """Single sign-on from SSO_ISSUER_URL, SSO_CLIENT_ID, SSO_CLIENT_SECRET (all or none) and
    SSO_BUTTON_LABEL; None when none is set. The issuer must be https (http only on loopback)."""
    names = ("SSO_ISSUER_URL", "SSO_CLIENT_ID", "SSO_CLIENT_SECRET")
    values = {name: _raw(name, None) for name in names}
    if not any(values.values()):
        if _raw("SSO_BUTTON_LABEL", None):
            raise ImproperlyConfigured("SSO_BUTTON_LABEL is set but SSO_ISSUER_URL is not: set all three.")
        return None
    missing = [name for name, value in values.items() if not value]
    if missing:
        raise ImproperlyConfigured(
            f"{', '.join(missing)} not set: single sign-on needs SSO_ISSUER_URL, SSO_CLIENT_ID and "
            "SSO_CLIENT_SECRET together."
        )
    issuer = values["SSO_ISSUER_URL"].rstrip("/")
    parts = urlsplit(issuer)
    if not parts.netloc or parts.query or parts.fragment:
        raise ImproperlyConfigured(f"SSO_ISSUER_URL={issuer!r} is not an issuer URL (https://host/path).")
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in _LOOPBACK):
        raise ImproperlyConfigured(
            f"SSO_ISSUER_URL={issuer!r} must use https (http is accepted on this machine's loopback only)."
        )
    return {
        "issuer": issuer,
        "client_id": values["SSO_CLIENT_ID"],
        "secret": values["SSO_CLIENT_SECRET"],
        "label": _raw("SSO_BUTTON_LABEL", None),  # None: the sign-in page's own (translated) words
    }
