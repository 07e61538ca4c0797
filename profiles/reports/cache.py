"""The one place reports, charts and the PDF pack are cached.

Keys carry the evidence version, so recording evidence makes every cached figure stale. A miss is
built once: the first viewer takes a short lock in the shared cache and builds; others asking for
the same key meanwhile wait for that result instead of building it again (single flight).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from ..competencies.selectors import evidence_cache_version

REPORT_CACHE_SECONDS = 24 * 60 * 60

T = TypeVar("T")


def report_cache_key(kind: str, *parts) -> str:
    """A key for one kind of figure and its parameters, at the current evidence version."""
    digest = hashlib.sha1(repr(parts).encode()).hexdigest()[:20]
    return f"profiles:report:{kind}:v{evidence_cache_version()}:{digest}"


BUILD_WAIT_SECONDS = 60  # how long a viewer waits for another's build before building itself


def cached(key: str, build: Callable[[], T], *, timeout: int = REPORT_CACHE_SECONDS) -> T:
    """The cached value under ``key``; on a miss, built by one caller while the others wait for it."""
    value = cache.get(key)
    if value is not None:
        return value
    lock = f"{key}:building"
    if cache.add(lock, 1, timeout=BUILD_WAIT_SECONDS):
        try:
            value = build()
            cache.set(key, value, timeout=timeout)
        finally:
            cache.delete(lock)
        return value
    deadline, pause = time.monotonic() + BUILD_WAIT_SECONDS, 0.02
    while time.monotonic() < deadline:
        time.sleep(pause)
        pause = min(pause * 2, 0.5)
        value = cache.get(key)
        if value is not None:
            return value
        if cache.get(lock) is None:  # the build failed (or its result could not be stored)
            break
    return build()
