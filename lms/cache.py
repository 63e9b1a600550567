"""The shared cache in production: Redis, which no page may depend on.

Everything kept in the cache can be derived again from the database (routes, a course's lessons
and quizzes) or only limits requests (sign-in and verification counters). So while Redis cannot
be reached, the cache answers as an empty one that keeps nothing, like Django's DummyCache: reads
miss, writes are dropped, `add` succeeds, `incr` finds no key. Pages stay up, only slower, and a
quiz submission, which reads the course's quizzes from the cache inside the grading transaction,
is not lost. What this costs: docs/decisions/0014-redis-outages.md.
"""

import logging
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import AuthenticationError, AuthorizationError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)


@contextmanager
def _unless_unreachable(operation):
    """Runs the block; if Redis cannot be reached, logs it and goes on after the block."""
    try:
        yield
    except (AuthenticationError, AuthorizationError):
        raise  # a wrong password or ACL in REDIS_URL is a mistake to see at once, not an outage
    except (RedisConnectionError, RedisTimeoutError) as error:
        logger.warning("Cache unreachable, %s answered as by an empty cache: %s", operation, error)


class FailSoftRedisCache(RedisCache):
    """Django's RedisCache, answering as an empty cache while Redis cannot be reached."""

    def get(self, key, default=None, version=None):
        with _unless_unreachable("get"):
            return super().get(key, default, version)
        return default

    def get_many(self, keys, version=None):
        with _unless_unreachable("get_many"):
            return super().get_many(keys, version)
        return {}

    def has_key(self, key, version=None):
        with _unless_unreachable("has_key"):
            return super().has_key(key, version)
        return False

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with _unless_unreachable("add"):
            return super().add(key, value, timeout, version)
        return True

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with _unless_unreachable("set"):
            super().set(key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        with _unless_unreachable("set_many"):
            return super().set_many(data, timeout, version)
        return []

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        with _unless_unreachable("touch"):
            return super().touch(key, timeout, version)
        return False

    def delete(self, key, version=None):
        with _unless_unreachable("delete"):
            return super().delete(key, version)
        return False

    def delete_many(self, keys, version=None):
        with _unless_unreachable("delete_many"):
            super().delete_many(keys, version)

    def incr(self, key, delta=1, version=None):
        with _unless_unreachable("incr"):
            return super().incr(key, delta, version)
        raise ValueError(f"Key '{key}' not found.")

    def clear(self):
        with _unless_unreachable("clear"):
            return super().clear()
        return False
