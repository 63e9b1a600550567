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


# The access log: staff downloads are what the holder reads on "Who viewed my data?".

ACCESS_LOG = "/lernen/protokoll/"


def access_log_lines(client, user) -> list[str]:
    from bs4 import BeautifulSoup

    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    client.force_login(user)
    soup = BeautifulSoup(client.get(ACCESS_LOG).content, "html.parser")
    return [row.get_text(" ", strip=True) for row in soup.select("table#access-log tbody tr")]


def test_hrs_download_is_in_the_holders_access_log(client, hr_innen, learner, org, issued):
    from lms.audit.models import AuditEntry

    assert download(client, hr_innen, issued).status_code == 200

    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.subject, entry.action) == (hr_innen, learner, "downloaded")
    assert entry.filters == {"course": "Informationssicherheit am Arbeitsplatz"}
    (line,) = access_log_lines(client, learner)
    assert "HR coordinator" in line
    assert "Downloaded your certificate for “Informationssicherheit am Arbeitsplatz” as PDF" in line
    assert access_log_lines(client, UserFactory(authority=org["rpda"])) == []


def test_a_centre_admins_download_is_in_the_holders_access_log(
    client, centre_admin, learner, issued
):
    from lms.audit.models import AuditEntry

    assert download(client, centre_admin, issued).status_code == 200

    assert list(AuditEntry.objects.values_list("actor", "subject", "action")) == [
        (centre_admin.pk, learner.pk, "downloaded")
    ]


def test_a_learners_own_download_writes_nothing_to_the_access_log(client, learner, issued):
    from lms.audit.models import AuditEntry

    assert download(client, learner, issued).status_code == 200
    assert not AuditEntry.objects.exists()
    assert access_log_lines(client, learner) == []


def test_a_refused_download_writes_nothing_to_the_access_log(client, hr_finanzen, issued):
    from lms.audit.models import AuditEntry

    assert download(client, hr_finanzen, issued).status_code == 404
    assert not AuditEntry.objects.exists()


def test_opening_a_certificate_in_the_admin_is_in_the_holders_access_log(
    client, hr_innen, learner, issued
):
    from lms.audit.models import AuditEntry

    client.force_login(hr_innen)
    response = client.get(reverse("issued_certificates:inspect", args=[issued.pk]))

    assert response.status_code == 200
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.subject, entry.action) == (hr_innen, learner, "viewed")
    (line,) = access_log_lines(client, learner)
    assert "Viewed your certificate for “Informationssicherheit am Arbeitsplatz”" in line
