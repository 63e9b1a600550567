"""Arbitrary files on the admin's people import screen, uploaded in every role.

Whatever the file (any columns, separators, encodings, huge numbers, formula cells, repeated
addresses, unknown authorities, or bytes that are no CSV at all, such as an Excel workbook),
the answer is never a server error, and it is one of:
- a refusal with a message on the screen, and nothing written;
- a successful check ("only check"), and nothing written;
- an import of exactly what a check of the same file promised, after which importing the same
  file again would change nothing.
People outside the importer's part of the organisation, and accounts with rights, never change
when HR imports; learners and trainers change nothing at all.
"""

import csv
import io

import openpyxl
import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from hypothesis import event, given
from hypothesis import strategies as st

from courses.models import Enrolment
from lms.people import messages as msg
from lms.people.imports import SPREADSHEET_SIGNATURES, RowError, users_import
from lms.people.models import AuthorityMembership, HRScope, User
from lms.people.roles import STAFF_ROLES
from lms.people.selectors import authorities_visible_to, user_roles
from tests.properties.support import TEXT, assert_answered, browser, examples, fresh_state, rows

pytestmark = pytest.mark.django_db

ALL_ROLES = ["learner", "trainer", "hr_in_scope", "hr_of_another_authority", "centre_admin"]
IMPORTERS = {"hr_in_scope", "hr_of_another_authority", "centre_admin"}
SHORT = st.text(max_size=40)

# Header cells: the names the importer knows, in other cases and with spaces, and any text.
HEADERS = {
    "email": ["E-Mail", "email", "E-MAIL", " e-mail "],
    "first_name": ["Vorname", "first_name", "VORNAME"],
    "last_name": ["Nachname", "last_name", "nachname "],
    "authority": ["Behörde", "authority", "BEHÖRDE"],
    "personnel_number": ["Personalnummer", "personnel_number"],
    "roles": ["Rollen", "roles"],
}
FORMULAS = ["=1+1", '=HYPERLINK("http://x")', "+49 611 1234", "-2", "@SUM(A1)", "\t=1"]
HUGE = st.integers(min_value=-(10**60), max_value=10**60).map(str)
NAMES = st.text(st.characters(categories=["L"]), min_size=1, max_size=30)
# Cells a careful spreadsheet holds: most files made of these import (or fail only on scope).
TIDY = {
    "email": st.sampled_from(
        [
            *(f"neu.{n}@verwaltung.example" for n in range(1, 25)),
            "NEU.1@Verwaltung.Example",  # the same address as another row, in capitals
            "anna.amsel@verwaltung.example",  # an interior learner
            "DORA.FINANZFRAU@verwaltung.example",  # a finance learner
            "trainerin@verwaltung.example",
            "hr.innen@verwaltung.example",
            "zentrale@verwaltung.example",  # the centre admin, who has no authority
        ]
    ),
    "first_name": st.sampled_from(["Anna", "Jörg", "9" * 40, *FORMULAS]) | NAMES,
    "last_name": st.sampled_from(["Berg", "Bäcker-Öztürk", "0", *FORMULAS]) | NAMES,
    "authority": st.sampled_from(["RPDA", "rpda", "RPDA-I", "RPKS", "HZD", "hzd", " HMdI "]),
    "personnel_number": st.sampled_from(["", "P-1", "PN-INNEN-1", "-7", "=1+1"])
    | st.integers(min_value=0, max_value=10**49).map(str)
    | st.just(""),
    "roles": st.sampled_from(["", "", "", "", "trainer", "hr", "admin", "HR|Trainer"]),
    "other": SHORT,
}
# Anything at all, and the mistakes people make.
CELLS = {
    "email": TIDY["email"]
    | st.sampled_from(
        ["keine-adresse", "", "a@b", "=1+1@verwaltung.example", "x" * 250 + "@verwaltung.example"]
    )
    | st.sampled_from(["jörg@bäckerei.example", "a@b.c\u200b"])
    | SHORT,
    "first_name": st.sampled_from(["", " ", "x" * 151]) | TIDY["first_name"] | SHORT,
    "last_name": st.sampled_from(["", "y" * 151]) | TIDY["last_name"] | SHORT,
    "authority": TIDY["authority"] | st.sampled_from(["HMdF", "XYZ", "", "RPDА"]) | SHORT,
    "personnel_number": TIDY["personnel_number"]
    | st.sampled_from(["PN-FIN-1", "9" * 51, "1e308"])
    | HUGE,
    "roles": TIDY["roles"] | st.sampled_from(["Zentrumsadministration", "chef", "hr, ,"]) | SHORT,
    "other": TEXT,
}


# The parts of the organisation each importer looks after, by abbreviation as typed.
OWN_AUTHORITIES = {
    "hr_in_scope": ["RPDA", "rpda", "RPDA-I", "RPKS", " HMdI "],
    "hr_of_another_authority": ["HZD", "hzd", "HMdF"],
}


@st.composite
def csv_files(draw, role=None):
    """A CSV file as spreadsheets and scripts write them: careful ones, or anything at all.

    Careful files mostly name the importer's own authorities, so that many of them import.
    """
    tidy = draw(st.booleans())
    cells = TIDY if tidy else CELLS
    if tidy and role in OWN_AUTHORITIES and draw(st.integers(min_value=0, max_value=9)):
        cells = {**TIDY, "authority": st.sampled_from(OWN_AUTHORITIES[role])}
    columns = [
        (key, draw(st.sampled_from(names)))
        for key, names in HEADERS.items()
        # Mostly every column, so that many files get past the header check.
        if tidy or draw(st.integers(min_value=0, max_value=9))
    ]
    columns += [("other", name) for name in draw(st.lists(SHORT, max_size=2))]
    columns = draw(st.permutations(columns))
    lines = [[name for _key, name in columns]]
    count = draw(st.integers(min_value=0, max_value=6))
    # Careful files name each person once; the others repeat addresses as they come.
    emails = draw(st.lists(TIDY["email"], min_size=count, max_size=count, unique_by=str.lower))
    for email in emails:
        row = [email if tidy and key == "email" else draw(cells[key]) for key, _name in columns]
        cut = 0 if tidy else draw(st.integers(min_value=-1, max_value=1))
        lines.append(row[:cut] if cut < 0 else row + [draw(SHORT)] * cut)
    separators = [";", ","] if tidy else [";", ",", "\t", "|"]
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=draw(st.sampled_from(separators)),
        quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])),
        lineterminator=draw(st.sampled_from(["\r\n", "\n", "\r"])),
    )
    writer.writerows(lines)
    text = buffer.getvalue()
    if not tidy and draw(st.integers(min_value=0, max_value=4)) == 0:  # damage it somewhere
        at = draw(st.integers(min_value=0, max_value=len(text)))
        text = text[:at] + draw(TEXT) + text[at:]
    encodings = ["utf-8", "utf-8-sig"] if tidy else ["utf-8", "utf-8-sig", "cp1252", "utf-16"]
    return text.encode(draw(st.sampled_from(encodings)), errors="replace")


def workbook(cells) -> bytes:
    """A real Excel workbook (XLSX), which the importer does not read: it asks for CSV."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["E-Mail", "Vorname", "Nachname", "Behörde"])
    for row in cells:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX_BYTES = (
    st.binary(max_size=4096)
    | st.tuples(st.sampled_from(SPREADSHEET_SIGNATURES), st.binary(max_size=1024)).map(b"".join)
    | st.lists(
        st.lists(
            st.sampled_from(["neu@verwaltung.example", "Neu", "RPDA", "=1+1", ""]), max_size=4
        ),
        max_size=3,
    ).map(workbook)
)


def world(people=None) -> dict:
    """Everything an import can write, for these people (pks) or for everyone."""

    def of(queryset, field="user_id"):
        return queryset if people is None else queryset.filter(**{f"{field}__in": people})

    return {
        "people": rows(
            of(User.objects.all(), "pk"),
            "email",
            "first_name",
            "last_name",
            "personnel_number",
            "authority_id",
            "is_superuser",
            "is_active",
            "password",
        ),
        "groups": rows(of(User.groups.through.objects.all()), "user_id", "group_id"),
        "scopes": rows(of(HRScope.objects.all()), "user_id", "authority_id"),
        "memberships": rows(
            of(AuthorityMembership.objects.all()), "user_id", "authority_id", "ended_at"
        ),
        "addresses": rows(of(EmailAddress.objects.all()), "user_id", "email", "verified"),
        "enrolments": rows(of(Enrolment.objects.all()), "user_id", "course_id", "due_on"),
    }


def protected_from(importer) -> list[int]:
    """Whom this importer may never change: for HR, everyone outside their part of the
    organisation (people without one included) and every account with rights."""
    if importer.is_centre_admin:
        return []
    scope = set(authorities_visible_to(user=importer).values_list("pk", flat=True))
    return [
        person.pk
        for person in User.objects.all()
        if person.authority_id not in scope or user_roles(user=person) & STAFF_ROLES
    ]


def upload_and_check(roles, role, payload, *, name, dry_run, max_bytes=None):
    with fresh_state(), override_settings(LMS_IMPORT_MAX_BYTES=max_bytes or 5 * 1024 * 1024):
        importer = User.objects.get(pk=roles[role].pk)
        before = world()
        protected = protected_from(importer)
        untouchable = world(protected)
        promised = users_import(data=payload, by=importer, dry_run=True)
        assert world() == before  # the check itself writes nothing
        posted = {"file": SimpleUploadedFile(name, payload, content_type="text/csv")}
        if dry_run:
            posted["dry_run"] = "on"

        response = browser(importer).post(reverse("people_import"), posted)

        assert_answered(response)
        after = world()
        if role not in IMPORTERS:
            assert response.status_code in (302, 403)
            assert after == before
            event("refused: no right to import")
            return response
        assert world(protected) == untouchable
        if response.status_code == 200:
            form, errors = response.context["form"], response.context["errors"]
            assert form.errors or errors, "refused without saying why"
            assert not promised.ok or form.errors
            assert after == before
            event("refused with a message")
            return response
        assert response.status_code == 302, response.status_code
        assert promised.ok, promised.errors
        if dry_run:
            assert after == before
            event("checked only")
            return response
        new_people = len(after["people"]) - len(before["people"])
        assert new_people == promised.created
        again = users_import(data=payload, by=importer, dry_run=True)
        assert again.ok, again.errors
        assert (again.created, again.updated) == (0, 0)
        assert again.unchanged == promised.created + promised.updated + promised.unchanged
        event("imported")
        return response


@examples(100)
@given(data=st.data())
def test_any_csv_upload_is_refused_with_a_message_or_imported_consistently(roles, data):
    # Importers twice as often: refusing the others is quickly shown.
    role = data.draw(st.sampled_from(ALL_ROLES + sorted(IMPORTERS)), label="role")
    upload_and_check(
        roles,
        role,
        data.draw(csv_files(role), label="file"),
        name=data.draw(
            st.sampled_from(["people.csv", "Personen.CSV", "export (1).csv", "people.txt"]),
            label="name",
        ),
        dry_run=data.draw(st.booleans(), label="dry_run"),
        # Now and then a size limit that the file may just exceed.
        max_bytes=data.draw(st.sampled_from([None] * 9 + [200]), label="max_bytes"),
    )


@examples(40)
@given(
    role=st.sampled_from(ALL_ROLES),
    payload=XLSX_BYTES,
    name=st.sampled_from(["people.xlsx", "Personen.XLSX", "people.csv", "people.xls"]),
    dry_run=st.booleans(),
)
def test_any_bytes_as_a_spreadsheet_upload_are_refused_with_a_message(
    roles, role, payload, name, dry_run
):
    response = upload_and_check(roles, role, payload, name=name, dry_run=dry_run)
    if role in IMPORTERS:
        assert response.status_code == 200  # no workbook or random bytes read as a CSV
        if payload.startswith(SPREADSHEET_SIGNATURES):
            spreadsheet = RowError(0, str(msg.IMPORT_ERROR_SPREADSHEET))
            assert response.context["errors"] == [spreadsheet]
