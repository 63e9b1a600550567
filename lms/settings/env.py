"""Typed access to environment variables that fails loudly.

Every deploy-specific value comes through these helpers, so a missing or malformed
variable stops the process at start-up with a message naming the variable.
"""

import ipaddress
import os
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_MISSING = object()
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name, default):
    value = os.environ.get(name)
    if value is None:
        if default is _MISSING:
            raise ImproperlyConfigured(f"Environment variable {name} is required but not set.")
        return None
    return value.strip()


def env_str(name, default=_MISSING):
    value = _raw(name, default)
    return default if value is None else value


def env_bool(name, default=_MISSING):
    value = _raw(name, default)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"Environment variable {name} must be a boolean, got {value!r}.")


def env_int(name, default=_MISSING):
    value = _raw(name, default)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"Environment variable {name} must be an integer, got {value!r}."
        ) from None


def env_list(name, default=_MISSING):
    """Comma-separated list; empty items are dropped."""
    value = _raw(name, default)
    if value is None:
        return list(default) if default is not None else []
    return [item.strip() for item in value.split(",") if item.strip()]


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def env_origin(name, default=_MISSING, *, require_https=False):
    """An absolute base URL, scheme and host (and port) only, returned without a trailing slash.

    With `require_https`, plain http is accepted only for a loopback host (localhost, 127.0.0.1,
    ::1): a server on this machine for tests and measurements, never one that others reach.
    """
    value = _raw(name, default)
    if value is None:
        if default is None:
            return None
        value = default
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018  (raises ValueError for a port out of range)
    except ValueError:
        host = None
    if parts.scheme not in ("http", "https") or not host or parts.username or parts.password:
        raise ImproperlyConfigured(
            f"Environment variable {name} must be an absolute URL such as "
            f"https://lernen.example.org, got {value!r}."
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"Environment variable {name} must name scheme and host only (no path, query or "
            f"fragment), got {value!r}."
        )
    if require_https and parts.scheme != "https" and not _is_loopback(host):
        raise ImproperlyConfigured(
            f"Environment variable {name} must be an https URL, got {value!r} (plain http is "
            f"accepted for localhost and 127.0.0.1 only)."
        )
    return f"{parts.scheme}://{parts.netloc}"


def env_database(name, default=_MISSING):
    value = _raw(name, default)
    if value is None:
        value = default
    try:
        config = dj_database_url.parse(value, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"Environment variable {name} is not a database URL: {exc}"
        ) from exc
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        # Several processes (server, worker) share the file: wait for locks, don't fail.
        config["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    return config
