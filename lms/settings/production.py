"""Production: every secret and host comes from the environment; nothing insecure by default."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host

from .base import *  # noqa: F403
from .base import CELERY_BROKER_URL, EMAIL_HOST, REDIS_URL
from .env import env_bool, env_int, env_list, env_origin, env_str

IS_PRODUCTION = True
DEBUG = False

# Fails at start-up when missing: there is no fallback key in production.
SECRET_KEY = env_str("SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long in production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name at least one host in production.")
# Printed on certificates that are filed for years: no default, and https (plain http only for
# a server on loopback, as the local production stacks of tests/stack.py run).
PUBLIC_BASE_URL = env_origin("PUBLIC_BASE_URL", require_https=True)
if not validate_host(urlsplit(PUBLIC_BASE_URL).hostname, ALLOWED_HOSTS):
    raise ImproperlyConfigured(
        f"The host of PUBLIC_BASE_URL ({PUBLIC_BASE_URL}) must be one of ALLOWED_HOSTS."
    )
WAGTAILADMIN_BASE_URL = PUBLIC_BASE_URL
# Each of these would otherwise fall back silently to what only suits one machine.
_REQUIRED = {
    "REDIS_URL": (REDIS_URL, "rate limits and caches must be shared by all processes"),
    "CELERY_BROKER_URL": (CELERY_BROKER_URL, "tasks must run in workers, not in web requests"),
    "EMAIL_HOST": (EMAIL_HOST, "verification and password links must be mailed, not logged"),
}
for _name, (_value, _why) in _REQUIRED.items():
    if not _value:
        raise ImproperlyConfigured(f"{_name} is required in production: {_why}.")

ACCOUNT_EMAIL_VERIFICATION = "mandatory"
MFA_REQUIRED_FOR_STAFF = env_bool("MFA_REQUIRED_FOR_STAFF", True)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
# Also sent as CSP frame-ancestors 'none' (lms.security); Wagtail's preview views set SAMEORIGIN,
# so the admin can still frame its previews.
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = []
if not SECURE_HSTS_PRELOAD:
    # Preloading is a one-way decision for the operator's domain, not ours to make by default.
    SILENCED_SYSTEM_CHECKS.append("security.W021")
