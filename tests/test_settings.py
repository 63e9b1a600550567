"""Settings read from the environment: production refuses to start without its secrets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from lms.settings.env import env_bool, env_database, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "lms.settings.production",
    "SECRET_KEY": "k3Jd8-Qp2zR7vLx0Wm5nTb9YcA1sHe4Gu6Fo+Ii8Nr2Kw7Pq5Zt3Vy0Bj1Dl9Mx4",
    "ALLOWED_HOSTS": "lernen.example.org",
    "PUBLIC_BASE_URL": "https://lernen.example.org",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/1",
    "EMAIL_HOST": "smtp.example.org",
}


def run_manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = run_manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": "kurz"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "variable", ["ALLOWED_HOSTS", "REDIS_URL", "CELERY_BROKER_URL", "EMAIL_HOST"]
)
def test_production_refuses_to_start_without_a_required_variable(variable):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != variable}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert variable in result.stderr


def test_production_refuses_an_empty_host_list():
    result = run_manage("check", env={**PRODUCTION_ENV, "ALLOWED_HOSTS": " , "})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_requires_verified_addresses_and_a_second_factor_for_staff():
    code = (
        "from django.conf import settings; "
        "print(settings.ACCOUNT_EMAIL_VERIFICATION, settings.MFA_REQUIRED_FOR_STAFF, "
        "settings.SESSION_COOKIE_SECURE, settings.DEBUG)"
    )
    result = run_manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-4:] == ["mandatory", "True", "True", "False"]


def test_production_settings_pass_the_deployment_checks():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr


def test_demo_data_is_refused_with_production_settings():
    result = run_manage("seed_demo", env=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "Die Demodaten dürfen nicht mit Produktionseinstellungen angelegt werden." in (
        result.stderr
    )


def test_a_malformed_boolean_is_named_in_the_error(monkeypatch):
    monkeypatch.setenv("LMS_FLAG", "vielleicht")
    with pytest.raises(ImproperlyConfigured, match="LMS_FLAG"):
        env_bool("LMS_FLAG")


def test_a_malformed_number_is_named_in_the_error(monkeypatch):
    monkeypatch.setenv("LMS_PORT", "acht")
    with pytest.raises(ImproperlyConfigured, match="LMS_PORT"):
        env_int("LMS_PORT")


def test_a_required_variable_that_is_missing_is_named(monkeypatch):
    monkeypatch.delenv("LMS_REQUIRED", raising=False)
    with pytest.raises(ImproperlyConfigured, match="LMS_REQUIRED"):
        env_str("LMS_REQUIRED")


def test_typed_helpers_read_values(monkeypatch):
    monkeypatch.setenv("LMS_HOSTS", "a.example, b.example,,")
    monkeypatch.setenv("LMS_ON", "yes")
    monkeypatch.setenv("LMS_N", "42")
    assert env_list("LMS_HOSTS") == ["a.example", "b.example"]
    assert env_bool("LMS_ON") is True
    assert env_int("LMS_N") == 42


def test_database_urls_for_both_engines(monkeypatch):
    monkeypatch.setenv("LMS_DB", "postgres://lms:pw@db.example:5432/lms")
    assert env_database("LMS_DB")["ENGINE"] == "django.db.backends.postgresql"
    monkeypatch.setenv("LMS_DB", "sqlite:////tmp/lms.sqlite3")
    assert env_database("LMS_DB")["ENGINE"] == "django.db.backends.sqlite3"
    monkeypatch.setenv("LMS_DB", "ftp://nope")
    with pytest.raises(ImproperlyConfigured, match="LMS_DB"):
        env_database("LMS_DB")
