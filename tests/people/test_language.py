import pytest

from lms.people.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_site_speaks_german_by_default(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="de">' in html
    assert "Anmelden" in html


def test_visitors_switch_to_english(client):
    response = client.post("/language/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Sign in" in html
    assert "Anmelden" not in html


def test_switching_back_to_german(client):
    client.post("/language/", {"language": "en", "next": "/"})
    client.post("/language/", {"language": "de", "next": "/"})
    assert '<html lang="de">' in client.get("/").content.decode()


def test_signed_in_people_keep_their_language_on_every_device(client, org):
    person = UserFactory(authority=org["rpda"])
    client.force_login(person)
    client.post("/language/", {"language": "en", "next": "/"})
    person.refresh_from_db()
    assert person.preferred_language == User.Language.ENGLISH

    other_device = type(client)()
    other_device.force_login(person)
    assert '<html lang="en">' in other_device.get("/").content.decode()


def test_an_unknown_language_changes_nothing(client):
    client.post("/language/", {"language": "xx", "next": "/"})
    assert '<html lang="de">' in client.get("/").content.decode()


def test_the_switch_never_redirects_to_another_site(client):
    response = client.post("/language/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_switch_accepts_only_post(client):
    assert client.get("/language/?language=en").status_code == 405


def test_an_english_browser_still_gets_german_until_english_is_chosen(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="de">' in html


def test_the_login_page_does_not_offer_signup_while_it_is_closed(client, settings):
    settings.ACCOUNT_SIGNUP_DOMAINS = []
    html = client.get("/accounts/login/").content.decode()
    assert "/accounts/signup/" not in html
    settings.ACCOUNT_SIGNUP_DOMAINS = ["hessen.example"]
    assert "/accounts/signup/" in client.get("/accounts/login/").content.decode()
