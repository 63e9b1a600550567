"""Importing people from CSV files: on the admin screen, on the command line and in the domain."""

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils.html import escape

from lms.people import imports
from lms.people import messages as msg
from lms.people.imports import RowError, users_import
from lms.people.models import AuthorityMembership, HRScope, User
from lms.people.roles import Role
from lms.people.selectors import user_roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HEADER = "E-Mail;Vorname;Nachname;Behörde;Personalnummer"


def csv_bytes(*lines, bom=True):
    text = "\r\n".join(lines) + "\r\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


GOOD_FILE = csv_bytes(
    HEADER,
    "anna.berg@verwaltung.example;Anna;Berg;RPDA;P-1001",
    "Jonas.Koch@Verwaltung.example;Jonas;Koch;hzd;",
)


def lines_of(report):
    return [error.line for error in report.errors]


def test_a_semicolon_file_with_bom_creates_people_in_their_authorities(org):
    report = users_import(data=GOOD_FILE)

    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    anna = User.objects.get(email="anna.berg@verwaltung.example")
    assert anna.authority == org["rpda"]
    assert anna.personnel_number == "P-1001"
    assert User.objects.get(email="jonas.koch@verwaltung.example").authority == org["hzd"]


def test_new_people_have_no_password_and_an_unverified_primary_address(org):
    users_import(data=GOOD_FILE)

    anna = User.objects.get(email="anna.berg@verwaltung.example")
    assert not anna.has_usable_password()
    address = EmailAddress.objects.get(user=anna)
    assert (address.email, address.verified, address.primary) == (anna.email, False, True)
    assert list(anna.memberships.values_list("authority__abbreviation", flat=True)) == ["RPDA"]


def test_a_comma_separated_file_with_english_headers_works(org):
    data = csv_bytes(
        "email,first_name,last_name,authority,personnel_number",
        "lena.wolf@verwaltung.example,Lena,Wolf,RPKS,4711",
        bom=False,
    )

    report = users_import(data=data)

    assert report.ok, report.errors
    assert User.objects.get(email="lena.wolf@verwaltung.example").authority == org["rpks"]


def test_three_bad_rows_import_nothing_and_are_reported_with_their_line_numbers(org):
    data = csv_bytes(
        HEADER,
        "gut.eins@verwaltung.example;Gut;Eins;RPDA;",
        "",
        "keine-adresse;Falsch;Adresse;RPDA;",
        "gut.zwei@verwaltung.example;Gut;Zwei;RPKS;",
        "unbekannt@verwaltung.example;Un;Bekannt;XYZ;",
        "ohne.nachname@verwaltung.example;Ohne;;RPDA;",
    )

    report = users_import(data=data)

    assert not report.ok
    assert report.errors == [
        RowError(4, msg.IMPORT_ERROR_INVALID_EMAIL % {"email": "keine-adresse"}),
        RowError(6, msg.IMPORT_ERROR_UNKNOWN_AUTHORITY % {"abbreviation": "XYZ"}),
        RowError(7, str(msg.IMPORT_ERROR_LAST_NAME_MISSING)),
    ]
    assert str(report.errors[0]) == msg.IMPORT_LINE % {
        "line": 4,
        "message": report.errors[0].message,
    }
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert not User.objects.filter(email__startswith="gut.").exists()


def test_reimporting_the_same_file_changes_nothing_and_never_duplicates(org):
    users_import(data=GOOD_FILE)

    report = users_import(data=GOOD_FILE)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert User.objects.filter(email__endswith="@verwaltung.example").count() == 2


def test_reimporting_with_a_changed_last_name_updates_the_person(org):
    users_import(data=GOOD_FILE)
    changed = GOOD_FILE.replace(b"Anna;Berg", b"Anna;Berg-Schmidt")

    report = users_import(data=changed)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert User.objects.get(email="anna.berg@verwaltung.example").last_name == "Berg-Schmidt"
    assert EmailAddress.objects.filter(email="anna.berg@verwaltung.example").count() == 1


def test_an_empty_personnel_number_keeps_the_one_on_record(org):
    users_import(data=GOOD_FILE)

    users_import(data=GOOD_FILE.replace(b";P-1001", b";"))

    assert User.objects.get(email="anna.berg@verwaltung.example").personnel_number == "P-1001"


def test_moving_a_person_by_import_keeps_the_membership_history(org):
    users_import(data=GOOD_FILE)

    report = users_import(data=GOOD_FILE.replace(b"Berg;RPDA", b"Berg;RPKS"))

    assert report.updated == 1
    anna = User.objects.get(email="anna.berg@verwaltung.example")
    assert anna.authority == org["rpks"]
    memberships = AuthorityMembership.objects.filter(user=anna).order_by("started_at")
    assert [m.authority.abbreviation for m in memberships] == ["RPDA", "RPKS"]
    assert memberships[0].ended_at is not None and memberships[1].ended_at is None


def test_a_dry_run_reports_counts_and_writes_nothing(org):
    report = users_import(data=GOOD_FILE, dry_run=True)

    assert report.ok
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert not User.objects.filter(email="anna.berg@verwaltung.example").exists()


def test_hr_imports_people_into_their_own_part_of_the_organisation(org, hr_innen):
    data = csv_bytes(HEADER, "anna.berg@verwaltung.example;Anna;Berg;RPDA-I;")

    report = users_import(data=data, by=hr_innen)

    assert report.ok, report.errors
    assert User.objects.get(email="anna.berg@verwaltung.example").authority == org["rpda_unit"]


def test_hr_of_the_interior_cannot_import_into_the_finance_ministry(org, hr_innen):
    report = users_import(data=GOOD_FILE, by=hr_innen)

    assert report.errors == [
        RowError(3, msg.IMPORT_ERROR_AUTHORITY_OUT_OF_SCOPE % {"authority": org["hzd"]})
    ]
    assert not User.objects.filter(email="anna.berg@verwaltung.example").exists()


def test_hr_cannot_change_a_person_who_belongs_elsewhere(org, hr_innen):
    UserFactory(email="fremd@verwaltung.example", authority=org["hzd"], last_name="Alt")
    data = csv_bytes(HEADER, "FREMD@verwaltung.example;Fremd;Neu;RPDA;")

    report = users_import(data=data, by=hr_innen)

    assert report.errors == [
        RowError(2, msg.IMPORT_ERROR_PERSON_OUT_OF_SCOPE % {"email": "fremd@verwaltung.example"})
    ]
    assert User.objects.get(email="fremd@verwaltung.example").last_name == "Alt"


def test_hr_cannot_take_over_a_person_without_an_authority(org, hr_innen, centre_admin):
    data = csv_bytes(HEADER, f"{centre_admin.email};Falscher;Name;RPDA;")

    report = users_import(data=data, by=hr_innen)

    assert lines_of(report) == [2]
    centre_admin.refresh_from_db()
    assert centre_admin.authority is None and centre_admin.last_name != "Name"


def test_hr_cannot_assign_roles(org, hr_innen):
    data = csv_bytes(f"{HEADER};Rollen", "anna.berg@verwaltung.example;Anna;Berg;RPDA;;trainer")

    report = users_import(data=data, by=hr_innen)

    assert report.errors == [RowError(2, str(msg.IMPORT_ERROR_ROLES_NOT_ALLOWED))]
    assert not User.objects.filter(email="anna.berg@verwaltung.example").exists()


def test_a_centre_admin_granting_hr_gives_a_scope_of_the_own_authority(org, centre_admin):
    data = csv_bytes(f"{HEADER};Rollen", "anna.berg@verwaltung.example;Anna;Berg;RPDA;;HR|Trainer")

    report = users_import(data=data, by=centre_admin)

    assert report.ok, report.errors
    anna = User.objects.get(email="anna.berg@verwaltung.example")
    assert user_roles(user=anna) == {Role.LEARNER, Role.TRAINER, Role.HR}
    assert list(HRScope.objects.filter(user=anna).values_list("authority", flat=True)) == [
        org["rpda"].pk
    ]


def test_imported_roles_are_added_and_never_taken_away(org):
    UserFactory(email="trainerin@verwaltung.example", authority=org["rpda"], roles=["trainer"])
    data = csv_bytes(f"{HEADER};roles", "trainerin@verwaltung.example;Tina;Trainer;RPDA;;admin")

    report = users_import(data=data)

    assert report.updated == 1
    person = User.objects.get(email="trainerin@verwaltung.example")
    assert {Role.TRAINER, Role.CENTRE_ADMIN} <= user_roles(user=person)


def test_german_role_names_are_accepted(org):
    data = csv_bytes(f"{HEADER};Rollen", "anna@verwaltung.example;A;B;RPDA;;Zentrumsadministration")

    assert users_import(data=data).ok
    assert User.objects.get(email="anna@verwaltung.example").is_superuser


def test_an_unknown_role_is_an_error(org):
    data = csv_bytes(f"{HEADER};Rollen", "anna.berg@verwaltung.example;Anna;Berg;RPDA;;chef")

    report = users_import(data=data)

    allowed = imports.role_names_text()
    assert report.errors == [
        RowError(2, msg.IMPORT_ERROR_UNKNOWN_ROLE % {"role": "chef", "allowed": allowed})
    ]


def test_the_same_address_or_personnel_number_twice_in_a_file_is_an_error(org):
    data = csv_bytes(
        HEADER,
        "anna.berg@verwaltung.example;Anna;Berg;RPDA;P-1",
        "ANNA.BERG@verwaltung.example;Anna;Berg;RPDA;P-2",
        "jonas.koch@verwaltung.example;Jonas;Koch;RPDA;P-1",
    )

    report = users_import(data=data)

    anna = "anna.berg@verwaltung.example"
    assert report.errors == [
        RowError(3, msg.IMPORT_ERROR_DUPLICATE_EMAIL % {"email": anna, "first": 2}),
        RowError(4, msg.IMPORT_ERROR_DUPLICATE_PERSONNEL_NUMBER % {"number": "P-1", "first": 2}),
    ]


def test_a_personnel_number_of_another_person_is_an_error(org):
    UserFactory(email="vorhanden@verwaltung.example", personnel_number="P-1001")

    report = users_import(data=GOOD_FILE)

    assert report.errors == [
        RowError(2, msg.IMPORT_ERROR_PERSONNEL_NUMBER_TAKEN % {"number": "P-1001"})
    ]


def test_missing_required_columns_are_one_error_for_the_header(org):
    report = users_import(data=csv_bytes("E-Mail;Vorname", "a@verwaltung.example;A"))

    assert lines_of(report) == [1]
    assert "Nachname" in report.errors[0].message and "Behörde" in report.errors[0].message


def test_a_file_that_is_not_utf8_is_one_clear_error(org):
    data = "E-Mail;Vorname;Nachname;Behörde\r\nx@verwaltung.example;Jörg;Bäcker;RPDA\r\n"

    report = users_import(data=data.encode("cp1252"))

    assert report.errors == [RowError(0, str(msg.IMPORT_ERROR_NOT_UTF8))]


def test_a_file_over_the_size_limit_is_refused(org, settings):
    settings.LMS_IMPORT_MAX_BYTES = 50

    report = users_import(data=GOOD_FILE)

    assert len(report.errors) == 1
    assert report.errors[0].line == 0
    assert not User.objects.filter(email="anna.berg@verwaltung.example").exists()


def test_a_file_with_too_many_rows_is_refused(org, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 1)

    report = users_import(data=GOOD_FILE)

    assert report.errors == [RowError(0, msg.IMPORT_ERROR_TOO_MANY_ROWS % {"limit": 1})]


def test_an_empty_file_is_one_clear_error(org):
    assert users_import(data=b"\xef\xbb\xbf\r\n").errors == [
        RowError(0, str(msg.IMPORT_ERROR_EMPTY))
    ]


# Command line


def test_the_command_imports_a_file(org, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_bytes(GOOD_FILE)

    call_command("import_users", str(path))

    assert User.objects.filter(email="anna.berg@verwaltung.example").exists()
    assert msg.IMPORT_SUCCESS % {"created": 2, "updated": 0, "unchanged": 0} in (
        capsys.readouterr().out
    )


def test_the_command_fails_on_a_bad_file_and_lists_the_errors(org, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes(HEADER, "keine-adresse;A;B;RPDA;"))

    with pytest.raises(CommandError):
        call_command("import_users", str(path))

    assert "keine-adresse" in capsys.readouterr().err
    assert not User.objects.filter(last_name="B").exists()


def test_the_command_dry_run_writes_nothing(org, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(GOOD_FILE)

    call_command("import_users", str(path), "--dry-run")

    assert not User.objects.filter(email="anna.berg@verwaltung.example").exists()


# Admin screen


def upload(data, name="people.csv"):
    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.fixture
def admin_client(client, centre_admin):
    client.force_login(centre_admin)
    return client


def test_centre_admin_sees_the_import_form(admin_client):
    response = admin_client.get(reverse("people_import"))

    assert response.status_code == 200
    assert 'type="file"' in response.content.decode()


def test_centre_admin_uploads_a_good_file(admin_client, org):
    response = admin_client.post(reverse("people_import"), {"file": upload(GOOD_FILE)})

    assert response.status_code == 302
    assert response.url == reverse("people_import")
    assert User.objects.get(email="anna.berg@verwaltung.example").authority == org["rpda"]


def test_the_check_only_box_imports_nothing(admin_client, org):
    response = admin_client.post(
        reverse("people_import"), {"file": upload(GOOD_FILE), "dry_run": "on"}
    )

    assert response.status_code == 302
    assert not User.objects.filter(email="anna.berg@verwaltung.example").exists()


def test_a_bad_file_shows_every_error_with_its_line_and_imports_nothing(admin_client, org):
    data = csv_bytes(
        HEADER,
        "gut@verwaltung.example;Gut;Person;RPDA;",
        "keine-adresse;A;B;RPDA;",
        "unbekannt@verwaltung.example;Un;Bekannt;XYZ;",
    )

    response = admin_client.post(reverse("people_import"), {"file": upload(data)})

    assert response.status_code == 200
    errors = response.context["errors"]
    assert [error.line for error in errors] == [3, 4]
    content = response.content.decode()
    for error in errors:
        assert escape(str(error)) in content
    assert not User.objects.filter(email="gut@verwaltung.example").exists()


@pytest.mark.parametrize(
    "data",
    [b"", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00", b"\x00\x01\x02;\x03"],
    ids=["empty", "binary", "nul-bytes"],
)
def test_a_bad_upload_gives_a_message_not_a_server_error(admin_client, org, data):
    response = admin_client.post(reverse("people_import"), {"file": upload(data)})

    assert response.status_code == 200
    assert response.context["form"].errors or response.context["errors"]


def test_posting_without_a_file_asks_for_one(admin_client):
    response = admin_client.post(reverse("people_import"), {})

    assert response.status_code == 200
    assert "file" in response.context["form"].errors


def test_an_oversized_upload_is_refused_by_the_form(admin_client, org, settings):
    settings.LMS_IMPORT_MAX_BYTES = 50

    response = admin_client.post(reverse("people_import"), {"file": upload(GOOD_FILE)})

    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not User.objects.filter(email="anna.berg@verwaltung.example").exists()


def test_hr_can_open_the_import_screen(client, hr_innen):
    client.force_login(hr_innen)

    response = client.get(reverse("people_import"))

    assert response.status_code == 200


def test_hr_sees_an_error_for_a_row_outside_their_part(client, hr_innen, org):
    client.force_login(hr_innen)

    response = client.post(reverse("people_import"), {"file": upload(GOOD_FILE)})

    assert response.status_code == 200
    assert [error.line for error in response.context["errors"]] == [3]
    assert not User.objects.filter(email="anna.berg@verwaltung.example").exists()


def test_a_learner_does_not_get_the_import_screen(client, org):
    client.force_login(UserFactory(authority=org["rpda"]))

    response = client.get(reverse("people_import"))

    assert response.status_code in (302, 403)
    assert 'type="file"' not in response.content.decode()
    response = client.post(reverse("people_import"), {"file": upload(GOOD_FILE)})
    assert not User.objects.filter(email="anna.berg@verwaltung.example").exists()


def test_the_admin_screen_lists_errors_in_german(admin_client, org):
    data = csv_bytes(HEADER, "keine-adresse;A;B;RPDA;", "x@verwaltung.example;X;Y;XYZ;")

    content = admin_client.post(reverse("people_import"), {"file": upload(data)}).content.decode()

    assert escape("Zeile 2: Die E-Mail-Adresse „keine-adresse“ ist ungültig.") in content
    assert escape("Zeile 3: Es gibt keine Behörde mit dem Kürzel „XYZ“.") in content


def test_hr_cannot_change_a_trainer_in_their_own_part(org, hr_innen):
    trainer = UserFactory(
        email="trainerin@verwaltung.example", authority=org["rpda"], roles=["trainer"]
    )
    data = csv_bytes(HEADER, "trainerin@verwaltung.example;Neu;Name;RPKS;")

    report = users_import(data=data, by=hr_innen)

    assert report.errors == [
        RowError(2, msg.IMPORT_ERROR_PERSON_IS_STAFF % {"email": "trainerin@verwaltung.example"})
    ]
    trainer.refresh_from_db()
    assert trainer.authority == org["rpda"]
