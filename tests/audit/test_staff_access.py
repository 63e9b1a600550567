"""Beyond the reports: a people import, a person's account in the user administration and an
export of their personal data are in the access log, each entry about exactly the people
concerned and on their page only."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lms.audit.models import AuditEntry
from lms.people.imports import users_import
from lms.people.models import User
from tests.factories import UserFactory, person_form_data

pytestmark = pytest.mark.django_db

ACCESS_LOG = "/lernen/protokoll/"


def csv_file(*lines) -> bytes:
    return ("\r\n".join(["E-Mail;Vorname;Nachname;Behörde", *lines]) + "\r\n").encode()


def access_log_lines(user) -> list[str]:
    """The learner's page as they read it, in English."""
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    browser = Client()
    browser.force_login(user)
    soup = BeautifulSoup(browser.get(ACCESS_LOG).content, "html.parser")
    return [row.get_text(" ", strip=True) for row in soup.select("table#access-log tbody tr")]


@pytest.fixture
def anna(org):
    return UserFactory(
        email="anna.amsel@verwaltung.example",
        first_name="Anna",
        last_name="Amsel",
        authority=org["rpda"],
    )


@pytest.fixture
def bystander(org):
    return UserFactory(email="bernd.birke@verwaltung.example", authority=org["rpda"])


def test_an_import_records_each_person_it_created_or_changed(hr_innen, anna, bystander):
    data = csv_file(
        "anna.amsel@verwaltung.example;Anna;Amsel-Berg;RPDA",  # changed
        "bernd.birke@verwaltung.example;"
        f"{bystander.first_name};{bystander.last_name};RPDA",  # unchanged
        "clara.cedern@verwaltung.example;Clara;Cedern;RPKS",  # created
    )

    report = users_import(data=data, by=hr_innen)

    assert report.ok, report.errors
    clara = User.objects.get(email="clara.cedern@verwaltung.example")
    entries = AuditEntry.objects.filter(report="people_import")
    assert {(e.subject, e.action, e.actor) for e in entries} == {
        (anna, "changed", hr_innen),
        (clara, "created", hr_innen),
    }
    (line,) = access_log_lines(anna)
    assert "Changed your name, authority, personnel number or roles by importing" in line
    (line,) = access_log_lines(clara)
    assert "Created your account by importing a list of people" in line
    assert access_log_lines(bystander) == []


def test_a_check_only_import_and_a_refused_one_record_nothing(hr_innen, anna):
    users_import(
        data=csv_file("anna.amsel@verwaltung.example;Anna;Neu;RPDA"), by=hr_innen, dry_run=True
    )
    users_import(data=csv_file("anna.amsel@verwaltung.example;Anna;Neu;HZD"), by=hr_innen)

    assert not AuditEntry.objects.exists()


def test_an_import_of_many_people_writes_their_entries_in_a_few_queries(hr_innen, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def import_people(prefix, count):
        lines = [f"{prefix}{n}@verwaltung.example;P;{prefix}{n};RPDA" for n in range(count)]
        with CaptureQueriesContext(connection) as queries:
            assert users_import(data=csv_file(*lines), by=hr_innen).ok
        return [q["sql"] for q in queries if "audit_auditentry" in q["sql"]]

    assert len(import_people("few", 2)) == 1
    # Bulk INSERTs of as many rows as the database takes at once (SQLite: about 75).
    assert len(import_people("many", 120)) <= 2
    assert AuditEntry.objects.filter(report="people_import").count() == 122


def test_the_import_screen_records_the_importer(client, centre_admin, org):
    client.force_login(centre_admin)
    upload = SimpleUploadedFile(
        "people.csv", csv_file("dora.dorn@verwaltung.example;Dora;Dorn;RPDA"), "text/csv"
    )

    assert client.post(reverse("people_import"), {"file": upload}).status_code == 302

    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.subject.email, entry.action) == (
        centre_admin,
        "dora.dorn@verwaltung.example",
        "created",
    )


def test_opening_and_changing_an_account_is_in_that_persons_access_log(
    client, centre_admin, anna, bystander
):
    client.force_login(centre_admin)
    url = reverse("wagtailusers_users:edit", args=[anna.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, person_form_data(anna, last_name="Amsel-Berg"))
    assert response.status_code == 302

    assert list(AuditEntry.objects.order_by("pk").values_list("subject", "action", "report")) == [
        (anna.pk, "viewed", "account"),
        (anna.pk, "changed", "account"),
    ]
    lines = access_log_lines(anna)
    assert any("Opened your account in the user administration" in line for line in lines)
    assert any("Changed your account in the user administration" in line for line in lines)
    assert access_log_lines(bystander) == []


def test_opening_ones_own_account_records_nothing(client, centre_admin):
    client.force_login(centre_admin)
    assert client.get(reverse("wagtailusers_users:edit", args=[centre_admin.pk])).status_code == 200
    assert not AuditEntry.objects.exists()


def test_a_centre_admin_exporting_a_persons_data_is_in_their_access_log(
    client, centre_admin, anna, bystander, django_capture_on_commit_callbacks
):
    client.force_login(centre_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy_person_export", args=[anna.pk]))
    export = anna.data_exports.get()
    response = client.get(reverse("privacy:data_export_download", args=[export.pk]))
    assert response.status_code == 200

    assert list(AuditEntry.objects.order_by("pk").values_list("subject", "action")) == [
        (anna.pk, "exported"),
        (anna.pk, "downloaded"),
    ]
    lines = access_log_lines(anna)
    assert any("Requested an export of all your personal data" in line for line in lines)
    assert any("Downloaded the export of all your personal data" in line for line in lines)
    assert access_log_lines(bystander) == []


def test_a_learner_exporting_their_own_data_records_nothing(
    client, anna, django_capture_on_commit_callbacks
):
    client.force_login(anna)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:my_data"))
    export = anna.data_exports.get()
    assert client.get(reverse("privacy:data_export_download", args=[export.pk])).status_code == 200
    assert not AuditEntry.objects.exists()
