"""Failed sign-ins are limited per client address (ACCOUNT_RATE_LIMITS "login_failed": 10 a
minute per address). The address is REMOTE_ADDR unless TRUSTED_PROXY_COUNT says how many of our
own proxies append to X-Forwarded-For, so a client cannot reset its count by sending the header.
"""

import pytest
from allauth.account.adapter import get_adapter
from django.test import RequestFactory

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"
FAILED_PER_ADDRESS = 10  # ACCOUNT_RATE_LIMITS["login_failed"]: "10/m/ip,..."


def failed_sign_in(client, number, forwarded_for):
    """A wrong password for a new address each time, so only the per-address limit counts."""
    return client.post(
        LOGIN_URL,
        {"login": f"rate{number}@verwaltung.example", "password": "falsch-falsch-falsch"},
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def is_throttled(response):
    if response.status_code == 429:
        return True
    errors = response.context["form"].errors.as_data().get("__all__", [])
    return any(error.code == "too_many_login_attempts" for error in errors)


def test_rotating_x_forwarded_for_does_not_reset_the_limit_without_trusted_proxies(
    client, settings
):
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0
    responses = [
        failed_sign_in(client, n, forwarded_for=f"198.51.100.{n}")
        for n in range(FAILED_PER_ADDRESS)
    ]
    assert not any(is_throttled(r) for r in responses)

    assert is_throttled(failed_sign_in(client, 99, forwarded_for="198.51.100.99"))


def test_while_throttled_even_the_right_password_does_not_sign_in(client, settings, org):
    anna = UserFactory(email="anna@verwaltung.example", authority=org["rpda"])
    for n in range(FAILED_PER_ADDRESS):
        failed_sign_in(client, n, forwarded_for=f"198.51.100.{n}")
    response = client.post(
        LOGIN_URL,
        {"login": anna.email, "password": DEFAULT_PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.1",
    )
    assert is_throttled(response)
    assert "_auth_user_id" not in client.session


def test_behind_one_proxy_the_right_most_address_counts(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    # The client forges the left part; our proxy appends the address it really came from.
    for n in range(FAILED_PER_ADDRESS):
        assert not is_throttled(failed_sign_in(client, n, forwarded_for=f"10.0.0.{n}, 203.0.113.7"))
    assert is_throttled(failed_sign_in(client, 99, forwarded_for="10.9.9.9, 203.0.113.7"))
    # Someone else behind the same proxy has a count of their own.
    assert not is_throttled(failed_sign_in(client, 100, forwarded_for="203.0.113.8"))


@pytest.mark.parametrize(
    ("proxy_count", "expected"), [(0, "192.0.2.10"), (1, "203.0.113.7"), (2, "198.51.100.5")]
)
def test_the_client_address_is_the_one_our_proxies_saw(settings, proxy_count, expected):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxy_count
    request = RequestFactory().post(
        LOGIN_URL,
        REMOTE_ADDR="192.0.2.10",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.5, 203.0.113.7",
    )
    assert get_adapter().get_client_ip(request) == expected
