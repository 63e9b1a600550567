"""Error pages as people get them in production (DEBUG off): in the site's layout and in their
language, the server-error page without the database; signed-in people without admin access
get a page that says so instead of an endless redirect; browsers find a favicon."""

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import get_resolver, path
from django.utils import translation

from lms import urls as lms_urls
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DEFAULT_CENTRE_NAME = "E-Government-Kompetenz- und Lernzentrum"


def forbidden(request):
    raise PermissionDenied


def bad(request):
    raise SuspiciousOperation("kaputte Anfrage")


def broken(request):
    raise RuntimeError("kaputt")


# The project's URLs with three that fail on purpose, ahead of Wagtail's catch-all.
urlpatterns = [
    path("test/verboten/", forbidden),
    path("test/ungueltig/", bad),
    path("test/kaputt/", broken),
    *lms_urls.urlpatterns,
]
with_failing_views = pytest.mark.urls(__name__)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page_of(response):
    return response.content.decode()


def assert_site_layout(html, lang):
    assert f'<html lang="{lang}">' in html
    assert 'class="site-header"' in html
    assert 'class="site-footer"' in html
    assert "/static/css/site.css" in html


# 404


def test_a_missing_page_is_german_in_the_site_layout(client):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    html = page_of(response)
    assert '<h1 id="error-heading">Seite nicht gefunden</h1>' in html
    assert "Fehlercode: 404" in html
    assert "Not Found" not in html
    assert_site_layout(html, "de")


def test_a_missing_page_is_english_once_english_is_chosen(english):
    html = page_of(english.get("/gibt-es-nicht/"))
    assert '<h1 id="error-heading">Page not found</h1>' in html
    assert "Error code: 404" in html
    assert_site_layout(html, "en")


def test_a_missing_page_follows_the_signed_in_persons_language(client):
    client.force_login(UserFactory(preferred_language="en"))
    html = page_of(client.get("/gibt-es-nicht/"))
    assert "Page not found" in html
    assert "My account" in html


# 403


@with_failing_views
def test_a_refusal_is_german_in_the_site_layout(client):
    response = client.get("/test/verboten/")
    assert response.status_code == 403
    html = page_of(response)
    assert "Kein Zugriff" in html
    assert "Sie haben keine Berechtigung, diese Seite zu öffnen." in html
    assert_site_layout(html, "de")


@with_failing_views
def test_a_refusal_is_english_once_english_is_chosen(english):
    html = page_of(english.get("/test/verboten/"))
    assert "Access denied" in html
    assert_site_layout(html, "en")


def test_a_form_refused_for_its_security_token_says_what_to_do():
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"login": "x"})
    assert response.status_code == 403
    html = page_of(response)
    assert "Das Formular konnte nicht gesendet werden" in html
    assert "laden Sie die Seite neu" in html
    assert "CSRF" not in html
    assert_site_layout(html, "de")


def test_a_form_refused_for_its_security_token_in_english():
    refusing = Client(enforce_csrf_checks=True)
    refusing.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = page_of(refusing.post("/accounts/login/", {"login": "x"}))
    assert "The form could not be sent" in html
    assert_site_layout(html, "en")


# 400


@with_failing_views
def test_a_bad_request_is_german_in_the_site_layout(client):
    response = client.get("/test/ungueltig/")
    assert response.status_code == 400
    html = page_of(response)
    assert "Ungültige Anfrage" in html
    assert "Bad Request" not in html
    assert_site_layout(html, "de")


def test_a_request_for_an_unknown_host_gets_the_german_page(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = client.get("/", HTTP_HOST="boese.example")
    assert response.status_code == 400
    html = page_of(response)
    assert "Ungültige Anfrage" in html
    assert_site_layout(html, "de")


@with_failing_views
def test_a_bad_request_is_english_once_english_is_chosen(english):
    html = page_of(english.get("/test/ungueltig/"))
    assert "Bad request" in html
    assert_site_layout(html, "en")


# 429


def sign_in_twice(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1/m/ip"}
    form = {"login": "niemand@verwaltung.example", "password": "falsch-falsch-falsch"}
    client.post("/accounts/login/", form)
    return client.post("/accounts/login/", form)


def test_too_many_sign_ins_get_a_german_page_in_the_site_layout(client, settings):
    response = sign_in_twice(client, settings)
    assert response.status_code == 429
    html = page_of(response)
    assert "Zu viele Anfragen" in html
    assert "Bitte warten Sie einige Minuten" in html
    assert_site_layout(html, "de")


def test_too_many_sign_ins_get_an_english_page_once_english_is_chosen(english, settings):
    html = page_of(sign_in_twice(english, settings))
    assert "Too many requests" in html
    assert "Please wait a few minutes" in html
    assert_site_layout(html, "en")


# 500


@with_failing_views
def test_a_server_error_is_german_in_the_site_layout(client):
    client.raise_request_exception = False
    response = client.get("/test/kaputt/")
    assert response.status_code == 500
    html = page_of(response)
    assert "Etwas ist schiefgelaufen" in html
    assert "Der Fehler liegt bei uns, nicht bei Ihnen." in html
    assert "Server Error" not in html
    assert_site_layout(html, "de")
    assert DEFAULT_CENTRE_NAME in html


@with_failing_views
def test_a_server_error_is_english_once_english_is_chosen(english):
    english.raise_request_exception = False
    html = page_of(english.get("/test/kaputt/"))
    assert "Something went wrong" in html
    assert_site_layout(html, "en")


def test_the_server_error_page_needs_no_database(rf, django_assert_num_queries, django_db_blocker):
    handler = get_resolver().resolve_error_handler(500)
    with translation.override("de"), django_assert_num_queries(0), django_db_blocker.block():
        response = handler(rf.get("/lernen/"))
    assert response.status_code == 500
    html = page_of(response)
    assert "Etwas ist schiefgelaufen" in html
    assert_site_layout(html, "de")
    assert DEFAULT_CENTRE_NAME in html
    # No form that could not be sent: the language switcher and sign-out need a request.
    assert "<form" not in html


# The admin, for people without access to it


def test_a_learner_opening_the_admin_is_told_there_is_no_access(client, org):
    client.force_login(UserFactory(authority=org["rpda"]))
    response = client.get("/admin/")
    assert response.status_code == 403
    assert "Location" not in response
    html = page_of(response)
    assert "Kein Zugang zur Verwaltung" in html
    assert 'href="/#dashboard" id="my-learning-link">Zu „Mein Lernen“</a>' in html
    assert_site_layout(html, "de")


def test_every_admin_address_tells_a_learner_there_is_no_access(client, org):
    client.force_login(UserFactory(authority=org["rpda"]))
    for url in ["/admin/pages/", "/admin/reports/completion/", "/admin/gibt-es-nicht/"]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Kein Zugang zur Verwaltung" in page_of(response), url


def test_the_no_access_page_is_in_the_learners_language(client, org):
    client.force_login(UserFactory(authority=org["rpda"], preferred_language="en"))
    response = client.get("/admin/")
    assert response.status_code == 403
    html = page_of(response)
    assert "No access to the administration" in html
    assert "Go to My learning" in html
    assert_site_layout(html, "en")


def test_staff_without_admin_rights_are_told_there_is_no_access(client, org):
    client.force_login(UserFactory(authority=org["rpda"], is_staff=True))
    response = client.get("/admin/")
    assert response.status_code == 403
    assert "Kein Zugang zur Verwaltung" in page_of(response)


def test_people_with_admin_access_still_get_the_admin(client, hr_innen):
    client.force_login(hr_innen)
    assert client.get("/admin/").status_code == 200


def test_visitors_are_still_sent_to_sign_in_from_the_admin(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# The favicon


def test_browsers_asking_for_favicon_ico_get_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.ico"
    icon = finders.find("favicon.ico")
    assert icon is not None
    with open(icon, "rb") as file:
        assert file.read(4) == b"\x00\x00\x01\x00"  # an ICO file


def test_every_page_links_its_icons(client):
    html = page_of(client.get("/accounts/login/"))
    for name in ["favicon.ico", "favicon.svg", "apple-touch-icon.png"]:
        assert f'href="/static/{name}"' in html
        assert finders.find(name) is not None, name
