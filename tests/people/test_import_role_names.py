"""The "Rollen" column of the people import takes role names in German and English, in any
case; the import screen and its errors list them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lms.people import messages as msg
from lms.people.imports import RowError, role_names_text, users_import
from lms.people.models import User
from lms.people.roles import Role
from lms.people.selectors import user_roles

pytestmark = pytest.mark.django_db

HEADER = "E-Mail;Vorname;Nachname;Behörde;Personalnummer;Rollen"


def import_roles(cell, *, by=None):
    data = f"\ufeff{HEADER}\r\nanna.berg@verwaltung.example;Anna;Berg;RPDA;;{cell}\r\n"
    return users_import(data=data.encode(), by=by)


def roles_of_anna():
    return user_roles(user=User.objects.get(email="anna.berg@verwaltung.example"))


@pytest.mark.parametrize(
    ("cell", "roles"),
    [
        ("Trainer", {Role.TRAINER}),
        ("Trainerin", {Role.TRAINER}),
        ("TRAINERIN", {Role.TRAINER}),
        ("trainer", {Role.TRAINER}),
        ("HR-Koordination", {Role.HR}),
        ("hr-koordination", {Role.HR}),
        ("HR Koordination", {Role.HR}),
        ("HR coordinator", {Role.HR}),
        ("hr", {Role.HR}),
        ("Zentrumsadministration", {Role.CENTRE_ADMIN}),
        ("Centre admin", {Role.CENTRE_ADMIN}),
        ("Lernende", set()),
        ("learner", set()),
        ("Trainerin, HR-Koordination", {Role.TRAINER, Role.HR}),
        ("Trainerin|hr", {Role.TRAINER, Role.HR}),
        ("trainer hr", {Role.TRAINER, Role.HR}),
        ("HR coordinator, Lernende", {Role.HR}),
    ],
)
def test_role_names_in_german_and_english_any_case(org, centre_admin, cell, roles):
    report = import_roles(cell, by=centre_admin)
    assert report.ok, report.errors
    assert roles_of_anna() == {Role.LEARNER, *roles}


def test_an_unknown_role_lists_the_names_allowed(org, centre_admin):
    report = import_roles("Chefin", by=centre_admin)
    assert report.errors == [
        RowError(
            2, msg.IMPORT_ERROR_UNKNOWN_ROLE % {"role": "Chefin", "allowed": role_names_text()}
        )
    ]
    text = str(report.errors[0])
    for name in ("Trainerin", "HR-Koordination", "Lernende", "admin"):
        assert name in text
    assert not User.objects.filter(email="anna.berg@verwaltung.example").exists()


def test_the_error_is_in_german(org, centre_admin):
    from django.utils import translation

    with translation.override("de"):
        text = str(import_roles("Chefin", by=centre_admin).errors[0])
    assert "Unbekannte Rolle „Chefin“" in text and "Trainerin" in text


def test_hr_may_name_the_learner_role_but_grant_no_other(org, hr_innen):
    assert import_roles("Lernende", by=hr_innen).ok
    report = import_roles("Trainerin", by=hr_innen)
    assert report.errors == [RowError(2, str(msg.IMPORT_ERROR_ROLES_NOT_ALLOWED))]
    assert roles_of_anna() == {Role.LEARNER}


def test_the_import_screen_lists_the_role_names(client, centre_admin):
    client.force_login(centre_admin)
    html = client.get(reverse("people_import")).content.decode()
    for name in (
        "Trainerin",
        "HR-Koordination",
        "Zentrumsadministration",
        "Lernende",
        "Centre admin",
    ):
        assert name in html


def test_the_import_screen_shows_the_error_with_the_names(client, centre_admin, org):
    client.force_login(centre_admin)
    data = f"{HEADER}\r\nanna.berg@verwaltung.example;Anna;Berg;RPDA;;Chefin\r\n".encode()
    upload = SimpleUploadedFile("leute.csv", data, content_type="text/csv")
    html = client.post(reverse("people_import"), {"file": upload}).content.decode()
    assert "Chefin" in html and "Trainerin" in html
