"""A report, chart or PDF that is not cached is built once, however many viewers ask at once."""

import threading
import time

import pytest
from django.core.cache import cache
from django.http import Http404

from profiles.reports.cache import cached


def test_viewers_asking_at_once_share_one_build():
    cache.clear()
    builds, results = [], []
    start = threading.Barrier(4)

    def build():
        builds.append(1)
        time.sleep(0.3)
        return b"png"

    def view():
        start.wait(timeout=5)
        results.append(cached("profiles:report:test-single-flight", build))

    threads = [threading.Thread(target=view) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert results == [b"png"] * 4
    assert len(builds) == 1


def test_a_failed_build_stores_nothing_and_releases_the_lock():
    cache.clear()

    def missing():
        raise Http404("no such chart")

    with pytest.raises(Http404):
        cached("profiles:report:test-missing", missing)
    assert cache.get("profiles:report:test-missing") is None
    assert cache.get("profiles:report:test-missing:building") is None
    assert cached("profiles:report:test-missing", lambda: "built") == "built"
