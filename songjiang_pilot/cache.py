"""The shared cache on Redis, degrading to a per-process memory cache while Redis is unreachable.

The portal keeps nothing in the cache that a page needs to be correct: it holds the log-in
throttling counters (``accounts.throttle``). When Redis stops, Django's own ``RedisCache`` raises
``ConnectionError`` from every call, so the log-in page and the token endpoint would answer 500.
This backend catches the connection and timeout errors of each call and serves it from a
per-process ``LocMemCache`` instead: pages keep working, and failed log-ins are still counted (per
web process, which still stops a guesser) until Redis is back, when Redis's counters apply again.
After a failure the process leaves Redis alone for ``RETRY_AFTER_SECONDS``, so that a Redis that hangs
(rather than refusing connections) costs one socket timeout, not one per call. Errors are logged, at
most once a minute per process.
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
LOG_EVERY_SECONDS = 60
RETRY_AFTER_SECONDS = 5


def _degrading(name):
    def method(self, *args, **kwargs):
        if time.monotonic() < self._retry_at:
            return getattr(self._fallback, name)(*args, **kwargs)
        try:
            return getattr(super(ResilientRedisCache, self), name)(*args, **kwargs)
        except UNREACHABLE as exc:
            self._unreachable(exc)
            return getattr(self._fallback, name)(*args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"``{name}`` on Redis, or on the per-process fallback while Redis is unreachable."
    return method


class ResilientRedisCache(RedisCache):
    """``RedisCache`` whose calls fall back to a per-process memory cache when Redis is unreachable."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._fallback = LocMemCache(f"redis-fallback:{server}", {"KEY_PREFIX": params.get("KEY_PREFIX", "")})
        self._last_logged = 0.0
        self._retry_at = 0.0

    def _unreachable(self, exc):
        now = time.monotonic()
        self._retry_at = now + RETRY_AFTER_SECONDS
        if now - self._last_logged >= LOG_EVERY_SECONDS:
            self._last_logged = now
            logger.warning("Redis cache unreachable (%s); using this process's memory cache meanwhile", exc)

    add = _degrading("add")
    get = _degrading("get")
    set = _degrading("set")
    touch = _degrading("touch")
    delete = _degrading("delete")
    get_many = _degrading("get_many")
    has_key = _degrading("has_key")
    incr = _degrading("incr")
    set_many = _degrading("set_many")
    delete_many = _degrading("delete_many")
    clear = _degrading("clear")
