"""The shared cache in production: Redis, which no page may depend on.

Everything kept in the cache can be derived again from the database (routes, a course's lessons
and quizzes) or only limits requests (sign-in and verification counters). So while Redis cannot
be reached, the cache answers as an empty one that keeps nothing, like Django's DummyCache: reads
miss, writes are dropped, `add` succeeds, `incr` finds no key. Pages stay up, only slower, and a
quiz submission, which reads the course's quizzes from the cache inside the grading transaction,
is not lost. After a failure Redis is left alone for RETRY_AFTER_SECONDS, so that a Redis that
hangs (packets dropped) rather than refusing costs one timeout, not one per cache access, and the
log gets one warning per outage rather than one per access. What this costs:
docs/decisions/0014-redis-outages.md.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import AuthenticationError, AuthorizationError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5.0
_NOT_FOUND = object()


class _Outage:
    """Whether one Redis (by its location) failed lately; shared by the threads of a process."""

    _until = {}
    _lock = threading.Lock()

    @classmethod
    def ongoing(cls, location) -> bool:
        return time.monotonic() < cls._until.get(location, 0.0)

    @classmethod
    def begin(cls, location, operation, error) -> None:
        with cls._lock:
            if not cls.ongoing(location):
                logger.warning(
                    "Cache unreachable (%s: %s); answering as an empty cache for %ss",
                    operation,
                    error,
                    RETRY_AFTER_SECONDS,
                )
            cls._until[location] = time.monotonic() + RETRY_AFTER_SECONDS


class FailSoftRedisCache(RedisCache):
    """Django's RedisCache, answering as an empty cache while Redis cannot be reached."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)

    def _soft(self, operation, empty, method, *args):
        """method(*args), or `empty` while Redis cannot be reached."""
        if _Outage.ongoing(self._location):
            return empty
        try:
            return method(*args)
        except (AuthenticationError, AuthorizationError):
            raise  # a wrong password or ACL in REDIS_URL is a mistake to see at once
        except (RedisConnectionError, RedisTimeoutError) as error:
            _Outage.begin(self._location, operation, error)
            return empty

    def get(self, key, default=None, version=None):
        return self._soft("get", default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._soft("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._soft("has_key", False, super().has_key, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft("add", True, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._soft("set", None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft("set_many", [], super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._soft("delete", False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        self._soft("delete_many", None, super().delete_many, keys, version)

    def incr(self, key, delta=1, version=None):
        value = self._soft("incr", _NOT_FOUND, super().incr, key, delta, version)
        if value is _NOT_FOUND:
            raise ValueError(f"Key '{key}' not found.")
        return value

    def clear(self):
        return self._soft("clear", False, super().clear)
