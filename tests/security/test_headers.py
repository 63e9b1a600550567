"""Response headers: Content-Security-Policy (site and admin), Permissions-Policy and the rest of
what browsers are told about framing, sniffing, referrers and opener windows."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from certificates.views import verify as verify_views
from lms.security.csp import HEADER, REPORT_ONLY_HEADER
from tests.courses.conftest import publish

pytestmark = pytest.mark.django_db


def directives(response, header=HEADER):
    """The policy as {directive: [sources]}."""
    policy = {}
    for part in response[header].split(";"):
        name, *sources = part.split()
        policy[name] = sources
    return policy


SITE_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}


# The site


def test_a_lesson_page_has_the_strict_site_policy(learner_client, lesson):
    response = learner_client.get(lesson.url)
    assert response.status_code == 200
    assert directives(response) == SITE_POLICY


def test_the_site_policy_allows_no_inline_script_or_style_and_no_eval(learner_client, lesson):
    policy = learner_client.get(lesson.url)[HEADER]
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy


def test_the_login_page_has_the_site_policy(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert directives(response) == SITE_POLICY


def test_a_missing_page_has_the_site_policy(client, catalog):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert directives(response) == SITE_POLICY


def test_with_report_only_the_browser_only_reports(client, settings):
    settings.CSP_REPORT_ONLY = True
    response = client.get("/accounts/login/")
    assert HEADER not in response
    assert directives(response, REPORT_ONLY_HEADER) == SITE_POLICY


def test_reports_go_to_the_configured_address(client, settings):
    settings.CSP_REPORT_URI = "https://csp-reports.example/lms"
    response = client.get("/accounts/login/")
    assert directives(response)["report-uri"] == ["https://csp-reports.example/lms"]


def test_pages_may_not_be_framed_by_other_sites_and_by_none_where_framing_is_denied(
    client, settings
):
    assert client.get("/accounts/login/")["X-Frame-Options"] == "SAMEORIGIN"
    settings.X_FRAME_OPTIONS = "DENY"  # as in production
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert directives(response)["frame-ancestors"] == ["'none'"]


# Every kind of page a learner or a visitor sees


def learner_pages(course, lesson, quiz):
    return [
        "/",
        course.get_parent().url,
        course.url,
        lesson.url,
        quiz.url,
        "/lernen/meine-daten/",
        "/lernen/protokoll/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/konto/",
        "/verify/",
    ]


@pytest.fixture
def quiz(course):
    from courses.models import QuizPage

    page = course.add_child(
        instance=QuizPage(
            title="Abschlusstest",
            questions=[("true_false", {"prompt": "Stimmt das?", "points": 1, "correct": True})],
            max_attempts=3,
        )
    )
    return publish(page)


def test_every_page_a_learner_opens_has_the_site_policy(learner_client, course, lesson, quiz):
    for url in learner_pages(course, lesson, quiz):
        response = learner_client.get(url)
        assert response.status_code == 200, url
        assert directives(response) == SITE_POLICY, url


@pytest.mark.parametrize(
    "url", ["/", "/accounts/login/", "/accounts/password/reset/", "/accounts/signup/", "/verify/"]
)
def test_pages_for_visitors_have_the_site_policy(client, catalog, url):
    response = client.get(url)
    assert response.status_code == 200
    assert directives(response) == SITE_POLICY


def test_the_verification_answers_have_the_site_policy(client, db):
    missing = client.get("/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ/")
    assert missing.status_code == 404
    assert directives(missing) == SITE_POLICY
    as_json = client.get("/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ.json")
    assert as_json.status_code == 404
    assert directives(as_json) == SITE_POLICY


# Error pages


def test_a_refused_form_has_the_site_policy(db):
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"login": "x"})
    assert response.status_code == 403
    assert directives(response) == SITE_POLICY


def test_a_bad_request_has_the_site_policy(client, settings, db):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = client.get("/", HTTP_HOST="boese.example")
    assert response.status_code == 400
    assert directives(response) == SITE_POLICY


def test_too_many_verifications_get_a_page_with_the_site_policy(client, settings, db):
    settings.CERTIFICATE_VERIFY_RATE = "1/m"
    client.get("/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ/")
    response = client.get("/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ/")
    assert response.status_code == 429
    assert directives(response) == SITE_POLICY


def test_too_many_sign_ins_get_a_page_with_the_site_policy(client, settings, db):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1/m/ip"}
    form = {"login": "niemand@verwaltung.example", "password": "falsch-falsch-falsch"}
    client.post("/accounts/login/", form)
    response = client.post("/accounts/login/", form)
    assert response.status_code == 429
    assert directives(response) == SITE_POLICY


def test_a_server_error_has_the_site_policy(client, monkeypatch, db):
    def broken(*args, **kwargs):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(verify_views, "_start_page", broken)
    client.raise_request_exception = False
    response = client.get("/verify/")
    assert response.status_code == 500
    assert directives(response) == SITE_POLICY


# The Wagtail admin


def test_the_admin_has_its_own_looser_but_closed_policy(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]
    assert "'unsafe-eval'" not in response[HEADER]


def test_the_admin_sign_in_redirect_has_the_admin_policy(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "'unsafe-inline'" in directives(response)["script-src"]


def test_a_draft_viewed_from_the_admin_runs_under_the_site_policy(admin_client, lesson):
    response = admin_client.get(f"/admin/pages/{lesson.pk}/view_draft/")
    assert response.status_code == 200
    assert "Inhalt 1" in response.content.decode()
    assert directives(response) == SITE_POLICY


def test_the_preview_panel_keeps_the_site_policy_and_may_be_framed_by_the_admin(
    admin_client, settings, lesson
):
    settings.X_FRAME_OPTIONS = "DENY"  # as in production
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[lesson.pk])
    form = nested_form_data(
        {
            "title": lesson.title,
            "slug": lesson.slug,
            "body": streamfield([("text", rich_text("<p>Neuer Inhalt</p>"))]),
            "required": "on",
            "duration_minutes": 10,
        }
    )
    assert admin_client.post(preview_url, form).json()["is_valid"]

    response = admin_client.get(preview_url + "?in_preview_panel=true")
    assert response.status_code == 200
    assert "Neuer Inhalt" in response.content.decode()
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert directives(response) == SITE_POLICY


@pytest.fixture
def staff_client(client, centre_admin):
    client.force_login(centre_admin)
    return client


def admin_pages(course, lesson):
    return [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{course.pk}/",
        f"/admin/pages/{lesson.pk}/edit/",
        f"/admin/pages/{course.pk}/add_subpage/",
        f"/admin/pages/{lesson.pk}/history/",
        "/admin/images/",
        "/admin/documents/",
        "/admin/documents/add/",
        "/admin/users/",
        "/admin/groups/",
        "/admin/authorities/",
        "/admin/people/import/",
        "/admin/courses/assignments/",
        "/admin/courses/assignments/new/",
        "/admin/reports/completion/",
        "/admin/reports/access-log/",
        "/admin/privacy/processing-activities/",
        "/admin/certificates/issued/",
        "/admin/workflows/list/",
        "/admin/reports/site-history/",
    ]


def assert_admin_policy(response, url=""):
    policy = directives(response)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"], url
    assert policy["object-src"] == ["'none'"], url
    assert policy["base-uri"] == ["'self'"], url
    assert policy["frame-ancestors"] == ["'self'"], url
    assert "'unsafe-eval'" not in response[HEADER], url


def test_every_admin_page_has_the_admin_policy(staff_client, course, lesson):
    for url in admin_pages(course, lesson):
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert_admin_policy(response, url)


def test_admin_error_pages_have_the_admin_policy(staff_client, centre_admin, db):
    missing = staff_client.get("/admin/gibt-es-nicht/")
    assert missing.status_code == 404
    assert_admin_policy(missing)

    refusing = Client(enforce_csrf_checks=True)
    refusing.force_login(centre_admin)
    refused = refusing.post("/admin/documents/add/", {"title": "x"})
    assert refused.status_code == 403
    assert_admin_policy(refused)

    # Wagtail's own page for trying out error reporting raises on purpose.
    staff_client.raise_request_exception = False
    failed = staff_client.get("/admin/failwhale/")
    assert failed.status_code == 500
    assert_admin_policy(failed)


def test_a_learner_refused_at_the_admin_gets_the_site_policy(learner_client):
    # The no-access page is the site's (templates/people/admin_no_access.html), not the admin's.
    response = learner_client.get("/admin/pages/")
    assert response.status_code == 403
    assert directives(response) == SITE_POLICY


# Document downloads


def test_a_document_download_keeps_wagtails_own_policy(client, db):
    document = Document.objects.create(
        title="Handreichung", file=ContentFile(b"%PDF-1.4 Test", name="handreichung.pdf")
    )
    response = client.get(document.url)
    assert response.status_code == 200
    assert response[HEADER] == "default-src 'none'"


# The other headers


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/"])
def test_powerful_features_are_refused(client, url):
    response = client.get(url)
    assert response["Permissions-Policy"] == (
        "camera=(), microphone=(), geolocation=(), payment=()"
    )


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/"])
def test_browsers_neither_sniff_nor_leak_referrers_nor_share_the_window(client, url):
    response = client.get(url)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
