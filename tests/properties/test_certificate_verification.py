"""Arbitrary codes and uploads on the public certificate verification pages.

Whatever arrives (any code in the URL, any uploaded bytes, any extra fields) the answer is
never a server error.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse
from hypothesis import given
from hypothesis import strategies as st

from certificates.models import Certificate, CertificateTemplate
from tests.certificates.conftest import complete
from tests.courses.conftest import add_course
from tests.factories import UserFactory
from tests.properties.support import TEXT, assert_answered, browser, examples, fresh_state, rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate_template(db):
    return CertificateTemplate.objects.create(
        name="Eigenschaften", issuer="Lernzentrum", body_de="{name}: {course}"
    )


@pytest.fixture
def issued(catalog, certificate_template, org, django_capture_on_commit_callbacks, settings):
    settings.CERTIFICATE_VERIFY_RATE = "100000/m"
    course = add_course(catalog, lessons=1, certificate_template=certificate_template)
    with django_capture_on_commit_callbacks(execute=True):
        complete(UserFactory(authority=org["rpda"]), course)
    return Certificate.objects.get()


def certificates():
    return rows(Certificate.objects.all(), "sha256", "revoked_at", "valid_until", "user_id")


@examples(40)
@given(code=TEXT)
def test_any_code_in_the_verification_url_is_answered_never_an_error(issued, code):
    for name in ("certificates:verify", "certificates:verify_json"):
        try:
            url = reverse(name, args=[code])
        except NoReverseMatch:  # no URL of the pattern carries it: Django's own 404 applies
            continue
        with fresh_state():
            assert_answered(browser().get(url), 200, 301, 302, 404)


@examples(40)
@given(
    code=TEXT,
    upload=st.binary(max_size=2048) | st.just(b"%PDF-1.7\n") | st.just(b""),
    posted=st.dictionaries(TEXT, TEXT, max_size=3),
)
def test_any_verification_form_is_answered_never_an_error(issued, code, upload, posted):
    with fresh_state():
        before = certificates()
        client = browser()
        assert_answered(client.get(reverse("certificates:verify_start"), {"code": code}))
        data = {**posted, "file": SimpleUploadedFile("z.pdf", upload, "application/pdf")}
        assert_answered(client.post(reverse("certificates:verify_start"), data))
        assert certificates() == before
