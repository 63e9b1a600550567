"""Art. 15: a person downloads everything about them as one ZIP."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from lms.personal_data.registry import registry
from lms.privacy.exports import data_export_build, data_export_request
from lms.privacy.models import DataExport
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MY_DATA = reverse("privacy:my_data")


def zip_of(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.fixture
def requested(client, django_capture_on_commit_callbacks):
    """Request one's own export, running the build as the commit would."""

    def request_for(client_, person) -> DataExport:
        client_.force_login(person)
        with django_capture_on_commit_callbacks(execute=True):
            response = client_.post(MY_DATA)
        assert response.status_code == 302
        return DataExport.objects.get(person=person)

    return request_for


def test_learner_gets_a_ready_zip_right_away(client, anna, requested):
    export = requested(client, anna)
    assert export.status == DataExport.Status.READY
    assert export.requested_by == anna


def test_the_json_has_every_registered_model(client, anna, requested):
    export = requested(client, anna)
    response = client.get(reverse("privacy:data_export_download", args=[export.pk]))
    data = json.loads(zip_of(response).read("data.json"))
    assert set(data["records"]) == {d.label for d in registry.declarations}
    records = data["records"]
    assert records["people.User"]["rows"][0]["last_name"] == "Zaunkoenig"
    assert records["people.User"]["rows"][0]["password"] == "[withheld]"
    for label in (
        "people.AuthorityMembership",
        "courses.Enrolment",
        "courses.LessonProgress",
        "courses.ProgressEvent",
        "certificates.Certificate",
        "notifications.Notification",
        "audit.AuditEntry",
        "account.EmailAddress",
    ):
        assert records[label]["rows"], label
    certificate = records["certificates.Certificate"]["rows"][0]
    assert certificate["content"]["fields"]["name"] == "Annabell Zaunkoenig"
    # Who looked at the record is named; the person themselves appears as "self".
    entry = records["audit.AuditEntry"]["rows"][0]
    assert entry["actor_name"] and entry["subject"] == "self"


def test_the_zip_has_the_certificate_pdfs(client, anna, requested):
    export = requested(client, anna)
    archive = zip_of(client.get(reverse("privacy:data_export_download", args=[export.pk])))
    certificate = Certificate.objects.get(user=anna)
    name = f"certificates/{certificate.code_display}.pdf"
    assert name in archive.namelist()
    with certificate.pdf.open("rb") as stored:
        assert archive.read(name) == stored.read()


def test_nothing_of_another_learner_is_in_it(client, anna, bruno, requested):
    export = requested(client, anna)
    archive = zip_of(client.get(reverse("privacy:data_export_download", args=[export.pk])))
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode("latin-1")
    for text in ("Brunhold", "Wiedehopf", "PN-BRUNO-2", Certificate.objects.get(user=bruno).code):
        assert text not in everything
    assert len([n for n in archive.namelist() if n.endswith(".pdf")]) == 1


def test_download_is_not_cached(client, anna, requested):
    export = requested(client, anna)
    response = client.get(reverse("privacy:data_export_download", args=[export.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "no-store" in client.get(MY_DATA)["Cache-Control"]


def test_page_lists_own_exports_with_a_download_link(client, anna, bruno, requested):
    export = requested(client, anna)
    requested(client, bruno)
    client.force_login(anna)
    page = client.get(MY_DATA).content.decode()
    assert reverse("privacy:data_export_download", args=[export.pk]) in page
    assert page.count("/herunterladen/") == 1


@pytest.mark.parametrize("who", ["other_learner", "hr"])
def test_others_get_404(client, anna, bruno, hr_innen, who, requested):
    export = requested(client, anna)
    client.force_login(bruno if who == "other_learner" else hr_innen)
    response = client.get(reverse("privacy:data_export_download", args=[export.pk]))
    assert response.status_code == 404


def test_centre_admin_downloads_and_requests_for_anyone(
    client, anna, centre_admin, requested, django_capture_on_commit_callbacks
):
    export = requested(client, anna)
    client.force_login(centre_admin)
    assert client.get(reverse("privacy:data_export_download", args=[export.pk])).status_code == 200
    # Older than an hour: the admin's request builds anew (a recent export would be reused).
    DataExport.objects.filter(pk=export.pk).update(created_at=timezone.now() - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy_person_export", args=[anna.pk]))
    assert response.status_code == 302
    admin_export = DataExport.objects.filter(person=anna, requested_by=centre_admin).get()
    assert admin_export.status == DataExport.Status.READY
    page = client.get(reverse("privacy_person_export", args=[anna.pk])).content.decode()
    assert reverse("privacy:data_export_download", args=[admin_export.pk]) in page


def test_learner_cannot_request_for_someone_else(anna, bruno):
    with pytest.raises(PermissionDenied):
        data_export_request(by=bruno, person=anna)


@pytest.mark.parametrize("role", ["hr", "learner"])
def test_admin_export_page_is_for_centre_admins_only(client, org, anna, role):
    roles = ["hr"] if role == "hr" else []
    client.force_login(UserFactory(authority=org["rpda"], roles=roles, hr_scopes=[org["innen"]]))
    response = client.post(reverse("privacy_person_export", args=[anna.pk]))
    assert response.status_code in (302, 403)
    assert not DataExport.objects.exists()


def test_building_twice_changes_nothing(client, anna, requested):
    export = requested(client, anna)
    name = export.file.name
    again = data_export_build(export=export)
    assert again.status == DataExport.Status.READY and again.file.name == name


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(MY_DATA).status_code == 302
