"""The Redis cache used in production, with one Redis client per connection pool.

Django's ``RedisCache`` builds a new ``redis.Redis`` object for every cache call, and building one
copies redis-py's table of several hundred response callbacks. Sessions, sign-in limits and the
evidence version make every page a few cache calls, so on exam day this was about 2 % of the app's
CPU. A ``redis.Redis`` object only borrows connections from its pool and is safe to share between
threads, so one per pool does the same work. Connections still come from the pool, which redis-py
resets in a worker forked after it was made.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
