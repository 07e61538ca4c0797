"""The production Redis cache: Django's cache API over one shared client per connection pool."""

import os
import threading
import uuid

import pytest
import redis

from skills_site.cache import SharedClientRedisCache

REDIS_URL = os.environ.get("SKILLS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def cache():
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    backend = SharedClientRedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield backend
    backend.clear()


def test_cache_calls_share_one_client_and_work_as_django_cache(cache):
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    cache.set("version", 1, timeout=None)
    assert cache.incr("version") == 2
    assert cache.add("version", 9) is False
    cache.set_many({"a": {"nested": [1, "ภาษาไทย"]}, "b": None})
    assert cache.get_many(["a", "b", "missing"]) == {"a": {"nested": [1, "ภาษาไทย"]}, "b": None}
    assert cache.delete("a") is True
    assert cache.get("a", "gone") == "gone"
    with pytest.raises(ValueError):
        cache.incr("never-set")


def test_threads_share_the_client_without_mixing_answers(cache):
    errors = []

    def worker(number):
        for turn in range(50):
            key = f"thread-{number}-{turn}"
            cache.set(key, number * 1000 + turn)
            if cache.get(key) != number * 1000 + turn:
                errors.append(key)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(cache._cache._clients) == 1
