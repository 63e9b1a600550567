"""Security settings as the environment makes them: production's cookies, HSTS and framing,
the trusted proxies for sign-in limits, and the origins the policy lets in.

Settings are read once per process, so each environment is loaded in a subprocess.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "lms.settings.production",
    "SECRET_KEY": "s8Kd2-Lp9zQ4vNx7Wr1mTc5YbH3aEf6Gj0Uo+Ik2Rq8Pw4Zn6Vt1By3Cl5Dx7Ms9",
    "ALLOWED_HOSTS": "lernen.example.org",
    "PUBLIC_BASE_URL": "https://lernen.example.org",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/1",
    "EMAIL_HOST": "smtp.example.org",
}
# Everything the code below may read from the environment; cleared so the caller's shell or
# CI does not leak in.
_READ = {
    *PRODUCTION_ENV,
    "DATABASE_URL",
    "TRUSTED_PROXY_COUNT",
    "SIGNIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE",
    "CSP_REPORT_ONLY",
    "CSP_REPORT_URI",
    "CSP_MEDIA_ORIGINS",
    "MEDIA_STORAGE",
    "MEDIA_URL",
    "OIDC_SERVER_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
}

SHOW = """
import json
from django.conf import settings
from django.test import Client

names = [
    "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE",
    "ALLAUTH_TRUSTED_PROXY_COUNT", "CSP_REPORT_ONLY", "CSP_SITE_POLICY", "CSP_ADMIN_POLICY",
    "ACCOUNT_RATE_LIMITS",
]
client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
secure = client.get("/admin/", secure=True)
plain = client.get("/admin/")
print(json.dumps({
    "settings": {name: getattr(settings, name) for name in names},
    "secure": dict(secure.headers),
    "plain": {"status": plain.status_code, **dict(plain.headers)},
}))
"""


def load(env, tmp_path):
    clean = {k: v for k, v in os.environ.items() if k not in _READ}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SHOW],
        cwd=ROOT,
        env={**clean, "LMS_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    return load(PRODUCTION_ENV, tmp_path_factory.mktemp("production"))


def test_production_sends_hsts_for_a_year_including_subdomains(production):
    assert production["secure"]["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains"
    )


def test_production_sends_plain_http_to_https(production):
    assert production["plain"]["status"] == 301
    assert production["plain"]["Location"] == "https://lernen.example.org/admin/"


def test_production_session_cookie_is_secure_and_hidden_from_scripts(production):
    assert production["settings"]["SESSION_COOKIE_SECURE"] is True
    assert production["settings"]["SESSION_COOKIE_HTTPONLY"] is True


def test_production_csrf_cookie_is_secure(production):
    assert production["settings"]["CSRF_COOKIE_SECURE"] is True


def test_production_pages_may_not_be_framed(production):
    assert production["secure"]["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in production["secure"]["Content-Security-Policy"]


def test_production_enforces_the_policy_and_ignores_forwarded_addresses(production):
    assert production["settings"]["CSP_REPORT_ONLY"] is False
    assert production["settings"]["ALLAUTH_TRUSTED_PROXY_COUNT"] == 0


@pytest.fixture(scope="module")
def configured(tmp_path_factory):
    return load(
        {
            **PRODUCTION_ENV,
            "TRUSTED_PROXY_COUNT": "2",
            "SIGNIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE": "600",
            "CSP_REPORT_ONLY": "true",
            "OIDC_SERVER_URL": "https://sso.land.example/realms/land",
            "OIDC_CLIENT_ID": "lms",
            "OIDC_CLIENT_SECRET": "geheim",
            "CSP_MEDIA_ORIGINS": "https://medien.land.example",
        },
        tmp_path_factory.mktemp("configured"),
    )


def test_the_proxy_count_goes_to_allauth(configured):
    assert configured["settings"]["ALLAUTH_TRUSTED_PROXY_COUNT"] == 2


def test_sign_in_attempts_per_address_are_raised_but_failures_stay_limited(configured, production):
    assert production["settings"]["ACCOUNT_RATE_LIMITS"]["login"] == "30/m/ip"
    limits = configured["settings"]["ACCOUNT_RATE_LIMITS"]
    assert limits["login"] == "600/m/ip"
    assert limits["login_failed"] == production["settings"]["ACCOUNT_RATE_LIMITS"]["login_failed"]


def test_report_only_is_switched_on_by_the_environment(configured):
    assert configured["settings"]["CSP_REPORT_ONLY"] is True
    assert "Content-Security-Policy" not in configured["secure"]
    assert "script-src 'self'" in configured["secure"]["Content-Security-Policy-Report-Only"]


def test_sign_in_forms_may_lead_to_the_state_idp(configured):
    assert configured["settings"]["CSP_SITE_POLICY"]["form-action"] == [
        "'self'",
        "https://sso.land.example",
    ]


def test_images_may_come_from_the_media_origin(configured):
    policies = configured["settings"]
    assert policies["CSP_SITE_POLICY"]["img-src"] == [
        "'self'",
        "data:",
        "https://medien.land.example",
    ]
    assert "https://medien.land.example" in policies["CSP_ADMIN_POLICY"]["img-src"]


def test_a_negative_proxy_count_is_refused(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k not in _READ}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, "LMS_VAR_DIR": str(tmp_path), **PRODUCTION_ENV, "TRUSTED_PROXY_COUNT": "-1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in result.stderr
