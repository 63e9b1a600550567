"""The QR code and link printed on a certificate come from PUBLIC_BASE_URL, whoever asks."""

import pytest
from pypdf import PdfReader

from certificates.models import Certificate
from tests.certificates.conftest import complete
from tests.e2e.certificate import qr_code_url
from tests.factories import UserFactory

PUBLIC = "https://lernen.example.org"


@pytest.fixture
def issued(settings, learner, certified_course, django_capture_on_commit_callbacks, tmp_path):
    settings.PUBLIC_BASE_URL = PUBLIC
    with django_capture_on_commit_callbacks(execute=True):
        complete(learner, certified_course)
    certificate = Certificate.objects.get(user=learner)
    path = tmp_path / "zertifikat.pdf"
    with certificate.pdf.open("rb") as pdf:
        path.write_bytes(pdf.read())
    return certificate, path


def test_the_printed_link_and_the_qr_code_lead_to_the_public_verification_page(issued):
    certificate, path = issued
    expected = f"{PUBLIC}/verify/{certificate.code_display}/"
    text = " ".join(PdfReader(path).pages[0].extract_text().split())
    assert expected in text
    assert qr_code_url(path) == expected


def test_the_admin_shows_the_public_link_whatever_host_it_is_reached_by(issued, client):
    certificate, _path = issued
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    page = client.get(f"/admin/certificates/issued/{certificate.pk}/", HTTP_HOST="localhost")
    assert page.status_code == 200
    assert f'href="{PUBLIC}/verify/{certificate.code_display}/"' in page.content.decode()
