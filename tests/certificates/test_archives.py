"""ZIP archives of an authority's certificates for HR: built by a task, downloaded by the
requester only, always within their scope."""

import hashlib
import io
import os
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from certificates import admin_messages as admin_msg
from certificates import tasks
from certificates.archives import (
    archive_entry_name,
    certificate_archive_build,
    certificate_archive_request,
    certificate_archives_delete_old,
)
from certificates.models import Certificate, CertificateArchive
from certificates.services import certificate_reissue, certificate_revoke
from lms.people.models import HRScope
from tests.certificates.conftest import complete
from tests.courses.conftest import add_course
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ARCHIVES = "certificate_archives:index"


def download_url(archive):
    return reverse("certificate_archives:download", args=[archive.pk])


def zip_entries(response) -> dict[str, bytes]:
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def archive_files():
    root = os.path.join(storages["certificates"].location, "archives")
    return [name for _dir, _subdirs, files in os.walk(root) for name in files]


@pytest.fixture
def issue(django_capture_on_commit_callbacks):
    def issue(user, course):
        with django_capture_on_commit_callbacks(execute=True):
            enrolment = complete(user, course)
        return Certificate.objects.get(enrolment=enrolment, replaced_by__isnull=True)

    return issue


@pytest.fixture
def hr_client(client, hr_innen):
    client.force_login(hr_innen)
    return client


@pytest.fixture
def certificates(
    issue, org, learner, certified_course, catalog, certificate_template, centre_admin
):
    """Who holds which certificate of the course, around RPDA (Darmstadt)."""
    unit = UserFactory(first_name="Jürgen", last_name="Weiß", authority=org["rpda_unit"])
    corrected = UserFactory(first_name="Bea", last_name="Tippfehler", authority=org["rpda"])
    revoked = UserFactory(first_name="Rolf", last_name="Widerruf", authority=org["rpda"])
    kassel = UserFactory(first_name="Karla", last_name="Kassel", authority=org["rpks"])
    finance = UserFactory(first_name="Fritz", last_name="Finanz", authority=org["hzd"])
    other_course = add_course(
        catalog, title="E-Akte kompakt", lessons=1, certificate_template=certificate_template
    )

    result = {
        "anna": issue(learner, certified_course),
        "unit": issue(unit, certified_course),
        "corrected_old": issue(corrected, certified_course),
        "revoked": issue(revoked, certified_course),
        "kassel": issue(kassel, certified_course),
        "finance": issue(finance, certified_course),
        "anna_other_course": issue(learner, other_course),
    }
    certificate_revoke(certificate=result["revoked"], by=centre_admin, reason="Irrtum")
    corrected.last_name = "Tippfehlerfrei"
    corrected.save()
    result["corrected_new"] = certificate_reissue(
        certificate=result["corrected_old"], by=centre_admin
    )
    return result


def request_archive(client, authority, course, capture):
    with capture(execute=True):
        return client.post(reverse(ARCHIVES), {"authority": authority.pk, "course": course.pk})


def test_the_archive_holds_exactly_the_current_certificates_of_the_authority_and_its_units(
    hr_client, hr_innen, org, certified_course, certificates, django_capture_on_commit_callbacks
):
    response = request_archive(
        hr_client, org["rpda"], certified_course, django_capture_on_commit_callbacks
    )
    assert response.status_code == 302

    archive = CertificateArchive.objects.get(requested_by=hr_innen)
    assert archive.status == CertificateArchive.Status.READY
    assert archive.count == 3 and archive.finished_at is not None
    download = hr_client.get(download_url(archive))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    entries = zip_entries(download)
    expected = {
        f"Lernt_Anna_{certificates['anna'].code_display}.pdf": certificates["anna"],
        f"Weiss_Juergen_{certificates['unit'].code_display}.pdf": certificates["unit"],
        f"Tippfehlerfrei_Bea_{certificates['corrected_new'].code_display}.pdf": certificates[
            "corrected_new"
        ],
    }
    assert set(entries) == set(expected)
    for name, data in entries.items():
        assert data.startswith(b"%PDF-")
        assert hashlib.sha256(data).hexdigest() == expected[name].sha256


def test_the_archive_list_shows_ones_own_archives_with_their_status(
    hr_client, hr_innen, hr_finanzen, org, certified_course, certificates
):
    mine = CertificateArchive.objects.create(
        requested_by=hr_innen, authority=org["rpks"], course=certified_course
    )
    CertificateArchive.objects.create(
        requested_by=hr_finanzen, authority=org["hzd"], course=certified_course
    )

    response = hr_client.get(reverse(ARCHIVES))

    assert response.status_code == 200
    assert list(response.context["items"]) == [mine]
    content = response.content.decode()
    assert str(CertificateArchive.Status.QUEUED.label) in content
    assert "Zentrale für Datenverarbeitung" not in content


def test_the_request_is_queued_only_after_it_is_committed(
    hr_client, org, certified_course, certificates, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        hr_client.post(
            reverse(ARCHIVES), {"authority": org["rpda"].pk, "course": certified_course.pk}
        )

    archive = CertificateArchive.objects.get()
    assert archive.status == CertificateArchive.Status.QUEUED
    assert len(callbacks) == 1
    callbacks[0]()
    archive.refresh_from_db()
    assert archive.status == CertificateArchive.Status.READY


def test_hr_cannot_request_an_archive_outside_their_scope(
    hr_client, org, certified_course, certificates, django_capture_on_commit_callbacks
):
    response = request_archive(
        hr_client, org["hzd"], certified_course, django_capture_on_commit_callbacks
    )

    assert response.status_code == 200
    assert response.context["form"].errors["authority"] == [
        str(admin_msg.ERROR_ARCHIVE_OUT_OF_SCOPE)
    ]
    assert not CertificateArchive.objects.exists()


def test_the_service_refuses_an_authority_outside_the_scope(hr_innen, org, certified_course):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        certificate_archive_request(by=hr_innen, authority=org["hzd"], course=certified_course)
    assert not CertificateArchive.objects.exists()


def test_hr_cannot_download_another_persons_archive(
    client,
    hr_client,
    hr_finanzen,
    centre_admin,
    org,
    certified_course,
    certificates,
    django_capture_on_commit_callbacks,
):
    request_archive(hr_client, org["rpda"], certified_course, django_capture_on_commit_callbacks)
    archive = CertificateArchive.objects.get()
    colleague = UserFactory(authority=org["innen"], roles=["hr"], hr_scopes=[org["innen"]])

    for other in (colleague, hr_finanzen):
        client.force_login(other)
        assert client.get(download_url(archive)).status_code == 404
    client.force_login(centre_admin)
    assert client.get(download_url(archive)).status_code == 200


def test_a_learner_cannot_download_an_archive(
    client,
    learner,
    hr_client,
    org,
    certified_course,
    certificates,
    django_capture_on_commit_callbacks,
):
    request_archive(hr_client, org["rpda"], certified_course, django_capture_on_commit_callbacks)
    archive = CertificateArchive.objects.get()
    client.force_login(learner)

    response = client.get(download_url(archive))

    assert response.status_code in (302, 403, 404)
    assert not getattr(response, "streaming", False)


def test_the_build_checks_the_scope_again(
    hr_innen, org, certified_course, certificates, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        archive = certificate_archive_request(
            by=hr_innen, authority=org["rpda"], course=certified_course
        )
    HRScope.objects.filter(user=hr_innen).delete()

    tasks.certificate_archive_build(archive.pk)

    archive.refresh_from_db()
    assert archive.status == CertificateArchive.Status.FAILED
    assert not archive.file
    assert archive_files() == []


def test_the_download_checks_the_scope_again(
    hr_client, hr_innen, org, certified_course, certificates, django_capture_on_commit_callbacks
):
    request_archive(hr_client, org["rpda"], certified_course, django_capture_on_commit_callbacks)
    archive = CertificateArchive.objects.get()
    HRScope.objects.filter(user=hr_innen).update(authority=org["finanzen"])

    assert hr_client.get(download_url(archive)).status_code == 404


def test_a_failing_build_marks_the_archive_failed(
    hr_innen, org, certified_course, certificates, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=False):
        archive = certificate_archive_request(
            by=hr_innen, authority=org["rpda"], course=certified_course
        )
    storage_class = type(storages["certificates"])

    def broken_save(self, name, content, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(storage_class, "save", broken_save)

    with pytest.raises(OSError):
        certificate_archive_build(archive=archive)
    archive.refresh_from_db()
    assert archive.status == CertificateArchive.Status.FAILED
    assert archive.finished_at is not None


def test_building_twice_builds_once(
    hr_innen, org, certified_course, certificates, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        archive = certificate_archive_request(
            by=hr_innen, authority=org["rpda"], course=certified_course
        )
    archive.refresh_from_db()
    first_file = archive.file.name

    tasks.certificate_archive_build(archive.pk)

    archive.refresh_from_db()
    assert archive.file.name == first_file
    assert len(archive_files()) == 1


def test_entry_names_use_safe_characters_and_stay_unique(learner, rpda_like_certificate):
    learner.first_name, learner.last_name = "Zoë Ann", "von Ölmühle/../x"
    taken: set[str] = set()

    first = archive_entry_name(rpda_like_certificate, taken)
    second = archive_entry_name(rpda_like_certificate, taken)

    code = rpda_like_certificate.code_display
    assert first == f"von-Oelmuehle-x_Zoe-Ann_{code}.pdf"
    assert second == f"von-Oelmuehle-x_Zoe-Ann_{code}_2.pdf"


@pytest.fixture
def rpda_like_certificate(learner):
    # Unsaved: naming needs only the person and the code.
    return Certificate(user=learner)


def test_archives_older_than_a_week_are_deleted_with_their_files(
    hr_innen, org, certified_course, certificates, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        old = certificate_archive_request(
            by=hr_innen, authority=org["rpda"], course=certified_course
        )
        recent = certificate_archive_request(
            by=hr_innen, authority=org["rpks"], course=certified_course
        )
    CertificateArchive.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=8)
    )
    assert len(archive_files()) == 2

    assert certificate_archives_delete_old() == 1

    assert list(CertificateArchive.objects.all()) == [recent]
    assert len(archive_files()) == 1


# The access log: each holder of a certificate in an archive reads it on "Who viewed my data?".


def access_log_lines(client, user) -> list[str]:
    from bs4 import BeautifulSoup

    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    client.force_login(user)
    soup = BeautifulSoup(client.get("/lernen/protokoll/").content, "html.parser")
    return [row.get_text(" ", strip=True) for row in soup.select("table#access-log tbody tr")]


def archive_entries():
    from lms.audit.models import AuditEntry

    return AuditEntry.objects.filter(report="certificate_archive")


def test_an_archive_writes_one_access_log_entry_per_holder_of_a_certificate_in_it(
    client,
    hr_client,
    hr_innen,
    org,
    certified_course,
    certificates,
    django_capture_on_commit_callbacks,
):
    request_archive(hr_client, org["rpda"], certified_course, django_capture_on_commit_callbacks)

    holders = {certificates[key].user for key in ("anna", "unit", "corrected_new")}
    entries = archive_entries()
    assert {entry.subject for entry in entries} == holders
    assert entries.count() == 3
    assert {(entry.actor, entry.action, entry.row_count) for entry in entries} == {
        (hr_innen, "exported", 3)
    }
    (line,) = access_log_lines(client, certificates["anna"].user)
    assert (
        "Put your certificate for “Informationssicherheit am Arbeitsplatz” into a ZIP archive"
        in line
    )
    assert access_log_lines(client, certificates["kassel"].user) == []
    assert access_log_lines(client, certificates["revoked"].user) == []


def test_the_requesters_downloads_add_nothing_a_centre_admins_download_is_logged_per_holder(
    client,
    hr_client,
    centre_admin,
    org,
    certified_course,
    certificates,
    django_capture_on_commit_callbacks,
):
    request_archive(hr_client, org["rpda"], certified_course, django_capture_on_commit_callbacks)
    archive = CertificateArchive.objects.get()
    assert hr_client.get(download_url(archive)).status_code == 200
    assert archive_entries().count() == 3

    client.force_login(centre_admin)
    assert client.get(download_url(archive)).status_code == 200

    downloaded = archive_entries().filter(action="downloaded")
    assert {entry.subject for entry in downloaded} == {
        certificates[key].user for key in ("anna", "unit", "corrected_new")
    }
    assert {entry.actor for entry in downloaded} == {centre_admin}
    lines = access_log_lines(client, certificates["unit"].user)
    assert any("Downloaded a ZIP archive with your certificate" in line for line in lines)


def test_the_access_log_entries_of_an_archive_take_the_same_queries_for_any_number_of_holders(
    hr_innen,
    org,
    issue,
    certified_course,
    certificates,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def request(authority):
        with django_capture_on_commit_callbacks(execute=False):
            return certificate_archive_request(
                by=hr_innen, authority=authority, course=certified_course
            )

    first = request(org["rpda_unit"])
    with CaptureQueriesContext(connection) as queries:
        certificate_archive_build(archive=first)
    one_holder = len(queries)
    assert archive_entries().filter(subject__authority=org["rpda_unit"]).count() == 1
    for number in range(12):
        issue(UserFactory(first_name=f"Person {number}", authority=org["rpks"]), certified_course)
    archive = request(org["rpks"])

    with django_assert_max_num_queries(one_holder):
        certificate_archive_build(archive=archive)

    assert archive_entries().filter(subject__authority=org["rpks"]).count() == 13
