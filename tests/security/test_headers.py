"""Response headers: Content-Security-Policy (site and admin), Permissions-Policy and the rest of
what browsers are told about framing, sniffing, referrers and opener windows."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from lms.security.csp import HEADER, REPORT_ONLY_HEADER

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
