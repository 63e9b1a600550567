"""One public base URL for every link that outlives the request; production has no default."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from lms.settings.env import env_origin
from tests.test_settings import PRODUCTION_ENV, run_manage

PRINT_URLS = (
    "from django.conf import settings; "
    "print(settings.PUBLIC_BASE_URL, settings.WAGTAILADMIN_BASE_URL)"
)


def production_with(**changes):
    env = {**PRODUCTION_ENV, **changes}
    return {name: value for name, value in env.items() if value is not None}


def test_production_refuses_to_start_without_a_public_base_url():
    result = run_manage("check", env=production_with(PUBLIC_BASE_URL=None))
    assert result.returncode != 0
    assert "PUBLIC_BASE_URL" in result.stderr


@pytest.mark.parametrize(
    "url",
    [
        "http://lernen.example.org",  # not https
        "/verify/",  # relative
        "lernen.example.org",  # no scheme
        "https://",  # no host
        "https://lernen.example.org/lernen/",  # a path
        "ftp://lernen.example.org",
        "",
    ],
)
def test_production_refuses_a_public_base_url_that_is_not_an_absolute_https_url(url):
    result = run_manage("check", env=production_with(PUBLIC_BASE_URL=url))
    assert result.returncode != 0
    assert "PUBLIC_BASE_URL" in result.stderr


def test_production_refuses_a_public_host_it_would_not_answer():
    result = run_manage("check", env=production_with(PUBLIC_BASE_URL="https://andere.example.org"))
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_takes_an_https_url_for_links_and_the_admin():
    result = run_manage("shell", "-c", PRINT_URLS, env=production_with())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["https://lernen.example.org"] * 2


def test_production_on_loopback_may_serve_plain_http():
    """As the local production stacks of the browser journeys and load tests do."""
    env = production_with(ALLOWED_HOSTS="127.0.0.1", PUBLIC_BASE_URL="http://127.0.0.1:8123/")
    result = run_manage("shell", "-c", PRINT_URLS, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["http://127.0.0.1:8123"] * 2


def test_development_links_point_to_where_make_run_serves():
    env = {"DJANGO_SETTINGS_MODULE": "lms.settings.dev"}
    result = run_manage("shell", "-c", PRINT_URLS, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["http://127.0.0.1:8000"] * 2


def test_the_former_admin_base_url_variable_is_refused_not_ignored():
    env = production_with(WAGTAILADMIN_BASE_URL="https://lernen.example.org")
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "PUBLIC_BASE_URL" in result.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://lernen.example.org/", "https://lernen.example.org"),
        ("https://lernen.example.org:8443", "https://lernen.example.org:8443"),
        ("http://localhost:8000", "http://localhost:8000"),
        ("http://[::1]:8000", "http://[::1]:8000"),
        ("http://127.0.0.2", "http://127.0.0.2"),
    ],
)
def test_an_origin_is_read_without_its_trailing_slash(monkeypatch, value, expected):
    monkeypatch.setenv("LMS_ORIGIN", value)
    assert env_origin("LMS_ORIGIN", require_https=True) == expected


@pytest.mark.parametrize(
    "value", ["http://10.0.0.1", "http://lernen.example.org", "https://user:pw@lernen.example"]
)
def test_plain_http_elsewhere_or_credentials_are_named_in_the_error(monkeypatch, value):
    monkeypatch.setenv("LMS_ORIGIN", value)
    with pytest.raises(ImproperlyConfigured, match="LMS_ORIGIN"):
        env_origin("LMS_ORIGIN", require_https=True)
