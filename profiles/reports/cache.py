"""The one place reports, charts and the PDF pack are cached.

Keys carry the evidence version, so recording evidence makes every cached figure stale.
"""

from __future__ import annotations

import hashlib
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


def cached(key: str, build: Callable[[], T], *, timeout: int = REPORT_CACHE_SECONDS) -> T:
    """The cached value under ``key``, built and stored on a miss."""
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=timeout)
    return value
