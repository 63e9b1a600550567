"""Test settings: the same stack as dev, made fast and deterministic."""

from .base import *  # noqa: F403
from .base import CACHES, REDIS_URL
from .env import env_str

SECRET_KEY = env_str("SECRET_KEY", "test-only-insecure-key")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if REDIS_URL:
    # Tests share one Redis with other runs; keep their keys apart.
    CACHES["default"]["KEY_PREFIX"] = "lms-test"
PUBLIC_BASE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"
# Tasks run in the test's own process and transaction; tests that need the broker and a real
# worker (tests/certificates/test_worker.py) switch this off for themselves.
CELERY_TASK_ALWAYS_EAGER = True
