"""The site header leads to the catalogue, *Mein Lernen* and *Mein Konto*; *Mein Konto* brings
e-mail addresses, password, second factor and language together on one page."""

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from wagtail.models import PageViewRestriction

from courses.models import CatalogPage
from home.models import HomePage
from tests.courses.conftest import publish
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CATALOGUE_LINK = '<a href="/kurse/" id="nav-catalogue">Kursangebot</a>'
MY_LEARNING_LINK = '<a href="/#dashboard" id="nav-my-learning">Mein Lernen</a>'
ACCOUNT_LINK = '<a href="/konto/" id="nav-account">Mein Konto</a>'


@pytest.fixture
def catalog(db):
    home = HomePage.objects.first()
    return publish(home.add_child(instance=CatalogPage(title="Kurse", slug="kurse")))


@pytest.fixture
def learner(org):
    return UserFactory(authority=org["rpda"], first_name="Anna")


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


def header_of(response):
    html = response.content.decode()
    return html[html.index('<header class="site-header">') : html.index("</header>")]


# The header


def test_visitors_find_the_public_catalogue_in_the_header(client, catalog):
    header = header_of(client.get("/accounts/login/"))
    assert CATALOGUE_LINK in header
    assert "nav-my-learning" not in header
    assert "nav-account" not in header


def test_signed_in_people_find_catalogue_my_learning_and_my_account(learner_client, catalog):
    header = header_of(learner_client.get("/"))
    assert CATALOGUE_LINK in header
    assert MY_LEARNING_LINK in header
    assert ACCOUNT_LINK in header


def test_the_header_links_are_english_once_english_is_chosen(learner_client, learner, catalog):
    learner.preferred_language = "en"
    learner.save(update_fields=["preferred_language"])
    header = header_of(learner_client.get("/"))
    assert ">Course catalogue</a>" in header
    assert ">My learning</a>" in header
    assert ">My account</a>" in header


def test_a_catalogue_for_signed_in_people_only_is_linked_for_them_only(client, catalog, learner):
    PageViewRestriction.objects.create(page=catalog, restriction_type="login")
    assert "nav-catalogue" not in header_of(client.get("/accounts/login/"))
    client.force_login(learner)
    assert CATALOGUE_LINK in header_of(client.get("/"))


def test_without_a_catalogue_there_is_no_catalogue_link(learner_client):
    assert "nav-catalogue" not in header_of(learner_client.get("/"))


def test_the_header_links_lead_to_pages_that_open(learner_client, catalog):
    for url in ["/kurse/", "/", "/konto/"]:
        assert learner_client.get(url).status_code == 200, url


# Mein Konto


def test_my_account_asks_visitors_to_sign_in(client):
    response = client.get("/konto/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_my_account_brings_together_email_password_second_factor_and_language(
    learner_client, learner
):
    html = learner_client.get("/konto/").content.decode()
    assert "<h1>Mein Konto</h1>" in html
    assert f"Angemeldet als {learner.email}" in html
    assert '<a href="/accounts/email/">E-Mail-Adressen verwalten</a>' in html
    assert '<a href="/accounts/password/change/">Passwort ändern</a>' in html
    assert "Status: ausgeschaltet" in html
    assert '<a href="/accounts/2fa/">Zweiten Faktor einrichten</a>' in html
    assert 'action="/language/"' in html
    assert 'name="next" value="/konto/"' in html
    assert 'name="language" value="en"' in html
    assert '<a href="/lernen/meine-daten/">Meine Daten herunterladen</a>' in html


def test_my_account_says_when_the_second_factor_is_on(learner_client, learner):
    Authenticator.objects.create(user=learner, type=Authenticator.Type.TOTP, data={"secret": "x"})
    html = learner_client.get("/konto/").content.decode()
    assert "Status: eingeschaltet (Authenticator-App)" in html
    assert '<a href="/accounts/2fa/">Zweiten Faktor verwalten</a>' in html


def test_people_without_a_password_of_their_own_may_set_one(learner_client, learner):
    learner.set_unusable_password()
    learner.save()
    learner_client.force_login(learner)
    html = learner_client.get("/konto/").content.decode()
    assert '<a href="/accounts/password/set/">Passwort festlegen</a>' in html
    assert "/accounts/password/change/" not in html


def test_switching_the_language_on_my_account_comes_back_to_it_in_english(learner_client):
    response = learner_client.post("/language/", {"language": "en", "next": "/konto/"})
    assert response.status_code == 302
    assert response["Location"] == "/konto/"
    html = learner_client.get("/konto/").content.decode()
    assert "<h1>My account</h1>" in html
    assert '<a href="/accounts/email/">Manage e-mail addresses</a>' in html
    assert 'name="language" value="de"' in html
    assert learner_client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
