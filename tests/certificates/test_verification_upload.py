"""Checking a PDF through the public form as Chromium and Edge send it.

The browser derives the Origin and Referer headers of the form's POST from the Referrer-Policy
of the page the form is on (Fetch standard, "serializing a request origin"): under
`no-referrer` it sends `Origin: null` and no Referer, which Django's CSRF protection refuses.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from certificates import verification_messages as msg
from certificates.models import Certificate
from tests.certificates.conftest import complete

SITE = "https://testserver"


def browser_headers(*, page_url: str, referrer_policy: str) -> dict:
    """The Origin and Referer Chromium sends with a same-origin form POST from `page_url`."""
    if referrer_policy == "no-referrer":
        return {"HTTP_ORIGIN": "null"}
    return {"HTTP_ORIGIN": SITE, "HTTP_REFERER": page_url}


@pytest.fixture
def stored_pdf(learner, certified_course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complete(learner, certified_course)
    certificate = Certificate.objects.get(user=learner, course=certified_course)
    with certificate.pdf.open("rb") as pdf:
        return certificate, pdf.read()


def upload_as_chromium(data: bytes):
    """Opens /verify/ over HTTPS and submits its file form the way Chromium would."""
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/verify/", secure=True)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    headers = browser_headers(page_url=f"{SITE}/verify/", referrer_policy=page["Referrer-Policy"])
    return browser.post(
        "/verify/",
        {"csrfmiddlewaretoken": token, "file": SimpleUploadedFile("zertifikat.pdf", data)},
        secure=True,
        **headers,
    )


def test_a_certificate_uploaded_through_the_form_in_chromium_is_checked(stored_pdf):
    certificate, data = stored_pdf
    response = upload_as_chromium(data)
    assert response.status_code == 200
    with translation.override("de"):
        expected = str(msg.FILE_MATCHES) % {"code": certificate.code_display}
    assert escape(expected) in response.content.decode()


def test_a_changed_file_uploaded_in_chromium_is_reported_as_not_matching(stored_pdf):
    _certificate, data = stored_pdf
    changed = data[:-10] + b"%% changed"
    response = upload_as_chromium(changed)
    assert response.status_code == 200
    with translation.override("de"):
        expected = str(msg.FILE_DOES_NOT_MATCH)
    assert escape(expected) in response.content.decode()
