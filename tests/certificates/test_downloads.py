"""Who gets a certificate file: the learner, HR of their scope, centre admins; nobody else."""

import pytest
from django.urls import reverse

from certificates.models import Certificate
from tests.certificates.conftest import complete
from tests.factories import UserFactory


@pytest.fixture
def issued(learner, certified_course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complete(learner, certified_course)
    return Certificate.objects.get()


def download(client, user, certificate):
    if user is not None:
        client.force_login(user)
    return client.get(reverse("certificates:download", args=[certificate.pk]))


def test_a_learner_downloads_their_own_certificate(client, learner, issued):
    response = download(client, learner, issued)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "Zertifikat-informationssicherheit-am-arbeitsplatz" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == issued.pdf.open("rb").read()
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_another_learner_gets_not_found(client, org, issued):
    other = UserFactory(authority=org["rpda"])
    assert download(client, other, issued).status_code == 404


def test_hr_of_the_learners_ministry_downloads_it(client, hr_innen, issued):
    assert download(client, hr_innen, issued).status_code == 200


def test_hr_of_another_ministry_gets_not_found(client, hr_finanzen, issued):
    assert download(client, hr_finanzen, issued).status_code == 404


def test_a_centre_admin_downloads_any(client, centre_admin, issued):
    assert download(client, centre_admin, issued).status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(client, issued):
    response = download(client, None, issued)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_unknown_and_huge_ids_are_not_found(client, learner, issued):
    client.force_login(learner)
    assert client.get(f"/zertifikate/{issued.pk + 1000}/pdf/").status_code == 404
    assert client.get("/zertifikate/99999999999999999999999/pdf/").status_code == 404


def test_a_pending_certificate_has_no_file_to_download(client, learner, issued):
    Certificate.objects.filter(pk=issued.pk).update(sha256="")
    assert download(client, learner, issued).status_code == 404


def test_the_file_is_not_under_a_public_media_url(client, issued, settings):
    assert not str(issued.pdf.path).startswith(str(settings.MEDIA_ROOT))
    assert client.get(settings.MEDIA_URL + issued.pdf.name).status_code == 404


def test_mein_lernen_lists_the_certificate_with_status_and_download(client, learner, issued):
    client.force_login(learner)
    page = client.get("/").content.decode()
    assert "Informationssicherheit am Arbeitsplatz" in page
    assert reverse("certificates:download", args=[issued.pk]) in page
    assert issued.code_display in page
    assert 'class="badge badge-valid"' in page


def test_mein_lernen_shows_a_revoked_certificate_as_revoked(client, learner, issued, centre_admin):
    from certificates.services import certificate_revoke

    certificate_revoke(certificate=issued, by=centre_admin, reason="Fehler")
    client.force_login(learner)
    page = client.get("/").content.decode()
    assert 'class="badge badge-revoked"' in page
    assert "Fehler" not in page
