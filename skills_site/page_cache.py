"""Signed-in pages answered from the shared cache until anything they could show changes.

The pages people open most (home, *My skills*, *My team*, the catalogue, a course, the capability
report) are built from many queries, while the data behind them changes far less often than they
are opened. A view opts in with ``page_cache_allow(request)`` (or ``@cacheable_page``); the
middleware then keeps its rendered response in the cache under

- the **data version**: one number in the cache that every committed write to the database moves
  (any INSERT, UPDATE or DELETE through Django's connections, seen by a query wrapper, so no model,
  bulk update or raw statement can be forgotten; only the session table is left out). Whatever
  changes (evidence, a placement, a role, a course, a published page), every kept page is stale;
- the person (user id), the language, the host and full path with its query string, the day in
  Bangkok time, and the person's CSRF secret (the forms in a kept page carry tokens for it);

and for at most ``PAGE_CACHE_SECONDS``, or less when the view says the page changes by itself at a
known moment (``page_cache_until``: a test opening or closing). A request is answered from the cache
only when it is a GET of a signed-in person with a CSRF cookie and no messages waiting; a response
is kept only when it is a plain 200 page that set no cookie, left the session unchanged and asked for
no new CSRF secret. The nonce of the Content-Security-Policy is per request, so it is kept as a
placeholder and filled in again on each answer.

Writes inside a transaction move the version when it commits (so another worker cannot keep a page
of data that is about to change) and once more before this process answers its next request (so a
test run inside one transaction sees its own writes).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import re
import threading

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.utils import timezone

VERSION_KEY = "skills:data-version"
NONCE_PLACEHOLDER = "\x00csp-nonce\x00"
UNTIL_ATTRIBUTE = "_page_cache_until"
ALLOW_ATTRIBUTE = "_page_cache_allowed"
KEPT_TYPES = ("text/html", "image/png")  # pages and their charts; never a download
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Cache-Control", "X-Frame-Options")
# Writes to these tables change no page: the session store (every sign-in and visit writes it).
UNTRACKED_TABLES = frozenset({"django_session"})
_WRITE = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|COPY|TRUNCATE|MERGE\s+INTO)\s+\"?(\w+)", re.I)
_WRITE_IN_WITH = re.compile(r"\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.I)

_local = threading.local()
logger = logging.getLogger(__name__)


# --- the data version ---------------------------------------------------------------------------


def data_version() -> int:
    """The number every committed write moves (0 before the first)."""
    return cache.get(VERSION_KEY, 0)


def data_changed() -> None:
    """Move the data version: every kept page is stale from now on. A cache that cannot be reached
    is logged, not raised: the write it follows has been made, and no page is read from it either."""
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.add(VERSION_KEY, 1, timeout=None) or cache.incr(VERSION_KEY)
    except Exception:
        logger.exception("The data version could not be moved in the cache")
        return
    _local.dirty = False


def written_table(sql: str) -> str | None:
    """The table a write statement changes, or None for a read (``WITH … SELECT`` included)."""
    match = _WRITE.match(sql)
    if match is None and sql.lstrip()[:4].upper() == "WITH":
        match = _WRITE_IN_WITH.search(sql)
    return match.group(1).lower() if match else None


def _track_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    table = written_table(sql) if isinstance(sql, str) else None
    if table is not None and table not in UNTRACKED_TABLES:
        connection = context["connection"]
        if connection.in_atomic_block:
            _local.dirty = True
            if not any(entry[1] is data_changed for entry in connection.run_on_commit):
                transaction.on_commit(data_changed, using=connection.alias, robust=True)
        else:
            data_changed()
    return result


def _install(sender, connection, **kwargs):
    if _track_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_track_writes)


def install_write_tracking() -> None:
    """Watch every database connection's writes (called once, from the app's ``ready``)."""
    connection_created.connect(_install, dispatch_uid="skills_site.page_cache")
    for connection in connections.all(initialized_only=True):
        _install(None, connection)


def changes_pending() -> None:
    """Before answering a request: writes this process made in a transaction that has not committed
    (or was rolled back) may be visible to it, so move the version rather than serve older pages."""
    if getattr(_local, "dirty", False):
        data_changed()


# --- what views say ------------------------------------------------------------------------------


def page_cache_allow(request) -> None:
    """This request's page may be kept and answered from the cache (see the module's rules)."""
    setattr(request, ALLOW_ATTRIBUTE, True)


def page_cache_until(request, moment: dt.datetime | None) -> None:
    """The page changes by itself at ``moment`` (a test opens or closes): keep it no longer."""
    if moment is None or moment <= timezone.now():
        return
    current = getattr(request, UNTIL_ATTRIBUTE, None)
    if current is None or moment < current:
        setattr(request, UNTIL_ATTRIBUTE, moment)


def cacheable_page(view):
    """Decorator: the view's 200 pages may be kept (``page_cache_allow``)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        page_cache_allow(request)
        return view(request, *args, **kwargs)

    return wrapper


# --- the middleware ------------------------------------------------------------------------------


def _csrf_secret(request) -> str | None:
    secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if not secret or secret != request.META.get("CSRF_COOKIE"):
        return None  # missing or malformed: the CSRF middleware will set a new one
    return secret


def _has_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0  # len() does not mark them as shown


def page_key(request, secret: str, version: int) -> str:
    parts = "\n".join(
        [
            str(request.user.pk),
            getattr(request, "LANGUAGE_CODE", ""),
            request.get_host(),
            request.get_full_path(),
            timezone.localdate().isoformat(),
            secret,
        ]
    )
    return f"skills:page:v{version}:{hashlib.sha256(parts.encode()).hexdigest()}"


class PageCacheMiddleware:
    """Answers a signed-in GET from the kept page, or keeps the page the view allowed (last in MIDDLEWARE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        changes_pending()
        key = self.lookup_key(request)
        if key is not None:
            kept = cache.get(key)
            if kept is not None:
                return self.answer(request, kept)
        response = self.get_response(request)
        if key is not None and self.keepable(request, response):
            self.keep(request, key, response)
        return response

    @staticmethod
    def lookup_key(request) -> str | None:
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or request.method != "GET":
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        secret = _csrf_secret(request)
        if secret is None or _has_messages(request):
            return None
        return page_key(request, secret, data_version())

    @staticmethod
    def keepable(request, response) -> bool:
        return (
            getattr(request, ALLOW_ATTRIBUTE, False)
            and response.status_code == 200
            and not response.streaming
            and response.get("Content-Type", "").startswith(KEPT_TYPES)
            and "Content-Disposition" not in response
            and not response.cookies
            and not request.session.modified
            and request.META.get("CSRF_COOKIE") == _csrf_secret(request)  # no new secret was made
            and not _has_messages(request)
            and not getattr(_local, "dirty", False)
        )

    @staticmethod
    def keep(request, key: str, response) -> None:
        seconds = settings.PAGE_CACHE_SECONDS
        until = getattr(request, UNTIL_ATTRIBUTE, None)
        if until is not None:
            seconds = min(seconds, int((until - timezone.now()).total_seconds()))
            if seconds < 1:
                return
        content = response.content
        nonce = getattr(request, "csp_nonce", None)
        if nonce and response["Content-Type"].startswith("text/html"):
            content = content.replace(nonce.encode(), NONCE_PLACEHOLDER.encode())
        headers = {name: response[name] for name in KEPT_HEADERS if name in response}
        cache.set(key, (content, headers), timeout=seconds)

    @staticmethod
    def answer(request, kept):
        content, headers = kept
        nonce = getattr(request, "csp_nonce", None)
        if nonce and headers.get("Content-Type", "").startswith("text/html"):
            content = content.replace(NONCE_PLACEHOLDER.encode(), nonce.encode())
        response = HttpResponse(content)
        for name, value in headers.items():
            response[name] = value
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # as a fresh page's forms do: renew the cookie
        return response
