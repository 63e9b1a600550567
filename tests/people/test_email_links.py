"""Links in sign-in e-mails (password reset, address confirmation, sign-up) come from
PUBLIC_BASE_URL, never from the Host header of the request that caused them."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from lms.people.services import user_create

PUBLIC = "https://lernen.example.org"
LINK = re.compile(r"https?://[^/\s]+/\S*")


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.PUBLIC_BASE_URL = PUBLIC


def links_in(message) -> list[str]:
    return LINK.findall(message.body)


def test_the_password_reset_link_is_the_public_address_whatever_the_host(client, org):
    user_create(
        email="eva.erst@verwaltung.example",
        first_name="Eva",
        last_name="Erst",
        authority=org["rpda"],
    )
    client.post(
        reverse("account_reset_password"),
        {"email": "eva.erst@verwaltung.example"},
        HTTP_HOST="localhost",
    )
    [message] = mail.outbox
    [link] = [url for url in links_in(message) if "/password/reset/key/" in url]
    assert link.startswith(f"{PUBLIC}/accounts/password/reset/key/")
    assert "localhost" not in message.body + message.subject
    # The link works.
    assert client.get(link.removeprefix(PUBLIC), follow=True).status_code == 200


def test_the_link_to_confirm_an_address_is_the_public_address(client, settings, db):
    settings.ACCOUNT_SIGNUP_DOMAINS = ["verwaltung.example"]
    client.post(
        reverse("account_signup"),
        {
            "email": "neu@verwaltung.example",
            "password1": "ein-langes-passwort-2026",
            "password2": "ein-langes-passwort-2026",
        },
        HTTP_HOST="localhost",
    )
    [message] = mail.outbox
    links = links_in(message)
    assert links and all(url.startswith(f"{PUBLIC}/") for url in links), links
    assert any("/accounts/confirm-email/" in url for url in links), links
    assert "localhost" not in message.body + message.subject


def test_a_reset_for_an_unknown_address_links_the_public_address(client, db):
    client.post(
        reverse("account_reset_password"),
        {"email": "unbekannt@verwaltung.example"},
        HTTP_HOST="localhost",
    )
    [message] = mail.outbox
    links = links_in(message)
    assert links and all(url.startswith(f"{PUBLIC}/") for url in links), message.body
    assert "localhost" not in message.body + message.subject
