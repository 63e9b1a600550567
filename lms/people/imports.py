"""Import people from a CSV file: check every row first, then write all of them or none."""

import csv
import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext

from lms.audit import models as audit
from lms.audit.services import audit_record_many

from . import messages as msg
from .models import Authority, User
from .roles import STAFF_ROLES, Role
from .selectors import authorities_visible_to, authority_by_abbreviation, user_roles
from .services import user_move, user_set_roles, users_create_many

MAX_ROWS = 50_000
REQUIRED_COLUMNS = ("email", "first_name", "last_name", "authority")

# Header names as German Excel sheets and English tools write them; compared case-insensitively.
COLUMN_NAMES = {
    "email": ("E-Mail", "email"),
    "first_name": ("Vorname", "first_name"),
    "last_name": ("Nachname", "last_name"),
    "authority": ("Behörde", "authority"),
    "personnel_number": ("Personalnummer", "personnel_number"),
    "roles": ("Rollen", "roles"),
}
COLUMN_ALIASES = {name.casefold(): key for key, names in COLUMN_NAMES.items() for name in names}
# What a "Rollen" cell may say, in German or English, upper or lower case; the first name of
# each is the one the import screen and its errors show. Everyone is a learner: naming that
# role is accepted and adds nothing.
ROLE_NAMES = {
    Role.TRAINER: ("Trainer", "Trainerin", "Trainer*in", "Trainer:in", "trainer"),
    Role.HR: (
        "HR-Koordination",
        "HR-Koordinator",
        "HR-Koordinatorin",
        "HR coordinator",
        "HR",
        "hr",
    ),
    Role.CENTRE_ADMIN: (
        "Zentrumsadministration",
        "Zentrumsadmin",
        "Centre admin",
        "Center admin",
        "admin",
    ),
    Role.LEARNER: ("Lernende", "Lernender", "Learner", "learner"),
}


def _role_key(name: str) -> str:
    """Case, hyphens and spaces do not matter: "hr koordination" is "HR-Koordination"."""
    return " ".join(re.split(r"[\s\-_]+", name.casefold())).strip()


ROLE_ALIASES = {_role_key(name): role for role, names in ROLE_NAMES.items() for name in names}
# Several roles are separated by commas or |; spaces too, where the words are no role name.
ROLE_LIST_SEPARATORS = re.compile(r"[,|]+")
ROLE_WORD_SEPARATORS = re.compile(r"\s+")


def role_names_text() -> str:
    """The accepted role names, as the import screen and its error messages list them."""
    groups = []
    for names in ROLE_NAMES.values():
        shown: dict[str, str] = {}
        for name in names:
            shown.setdefault(_role_key(name), name)
        groups.append(" / ".join(shown.values()))
    return "; ".join(groups)


# First bytes of ZIP archives (XLSX, ODS) and of old Excel files (OLE2). Such files are refused
# by these alone: nothing here unpacks them, so a workbook that would unpack to gigabytes or to
# thousands of entries costs no more than reading its first bytes.
SPREADSHEET_SIGNATURES = (
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"PK\x07\x08",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
)


@dataclass(frozen=True)
class RowError:
    line: int  # line in the file, header = 1; 0 means the file as a whole
    message: str

    def __str__(self):
        if not self.line:
            return self.message
        return str(msg.IMPORT_LINE % {"line": self.line, "message": self.message})


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def counts(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


@dataclass
class _Row:
    """One line as written in the file, plus what the checks looked up for it."""

    line: int
    email: str
    first_name: str
    last_name: str
    authority: str  # the abbreviation
    personnel_number: str = ""
    roles: str = ""
    person: User | None = None  # who already has this address
    target: Authority | None = None
    granted: set[Role] = field(default_factory=set)


class _FileProblem(Exception):
    """The file as a whole cannot be read; reported as the only error."""

    def __init__(self, message, line=0):
        self.error = RowError(line, str(message))


def users_import(*, data: bytes, by: User | None = None, dry_run: bool = False) -> ImportReport:
    """Create or update the people listed in a CSV file; `by` None means full rights."""
    report = ImportReport(dry_run=dry_run)
    try:
        rows = _parse(data)
        # One transaction: what was checked is what gets written, and a failure writes nothing.
        with transaction.atomic():
            report.errors = _validate(rows, by=by)
            if report.errors:
                return report
            new_people, changed = [], []
            for row in rows:
                outcome = _outcome(row)
                setattr(report, outcome, getattr(report, outcome) + 1)
                if dry_run or outcome == "unchanged":
                    continue
                if outcome == "created":
                    new_people.append(row)
                else:
                    _apply_update(row)
                    changed.append(row.person.pk)
            created = _apply_create(new_people) if new_people else []
            if by is not None:
                _audit(by=by, created=created, changed=changed)
    except _FileProblem as problem:
        report.errors = [problem.error]
    except IntegrityError:
        # Someone changed the same people meanwhile; the rollback left everything as it was.
        report.errors = [RowError(0, str(msg.IMPORT_ERROR_CONFLICT))]
    if report.errors:
        report.created = report.updated = report.unchanged = 0
    return report


# Reading the file


def _parse(data: bytes) -> list[_Row]:
    if len(data) > settings.LMS_IMPORT_MAX_BYTES:
        limit = filesizeformat(settings.LMS_IMPORT_MAX_BYTES)
        raise _FileProblem(msg.IMPORT_ERROR_TOO_LARGE % {"limit": limit})
    if data.startswith(SPREADSHEET_SIGNATURES):
        raise _FileProblem(msg.IMPORT_ERROR_SPREADSHEET)
    try:
        text = data.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte order mark
    except UnicodeDecodeError:
        raise _FileProblem(msg.IMPORT_ERROR_NOT_UTF8) from None
    if not text.strip():
        raise _FileProblem(msg.IMPORT_ERROR_EMPTY)
    if "\x00" in text:  # binary data that happens to decode; databases refuse NUL characters
        raise _FileProblem(msg.IMPORT_ERROR_NOT_CSV)
    header_line = text.split("\n", 1)[0]
    # German Excel separates with ";", most other tools with ",".
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        columns = _columns(next(reader))
        return _rows(reader, columns)
    except csv.Error:
        raise _FileProblem(msg.IMPORT_ERROR_NOT_CSV, line=reader.line_num) from None


def _columns(header: list[str]) -> dict[str, int]:
    columns = {}
    for index, name in enumerate(header):
        key = COLUMN_ALIASES.get(name.strip().casefold())
        if key and key not in columns:
            columns[key] = index
    missing = [COLUMN_NAMES[key][0] for key in REQUIRED_COLUMNS if key not in columns]
    if missing:
        raise _FileProblem(msg.IMPORT_ERROR_MISSING_COLUMNS % {"columns": ", ".join(missing)}, 1)
    return columns


def _rows(reader, columns: dict[str, int]) -> list[_Row]:
    rows = []
    while True:
        line = reader.line_num + 1  # where this record starts; a quoted cell may span lines
        try:
            cells = next(reader)
        except StopIteration:
            return rows
        if not any(cell.strip() for cell in cells):
            continue  # blank lines, or Excel's rows of bare separators
        if len(rows) == MAX_ROWS:
            raise _FileProblem(msg.IMPORT_ERROR_TOO_MANY_ROWS % {"limit": MAX_ROWS})
        values = {key: cells[i].strip() if i < len(cells) else "" for key, i in columns.items()}
        values["email"] = values["email"].lower()
        rows.append(_Row(line=line, **values))


# Checking the rows


def _validate(rows: list[_Row], *, by) -> list[RowError]:
    is_admin = by is None or Role.CENTRE_ADMIN in user_roles(user=by)
    authorities = authority_by_abbreviation()
    # None: no limits. Otherwise the pks of the authorities the importer is responsible for.
    scope = None if is_admin else set(authorities_visible_to(user=by).values_list("pk", flat=True))
    people = _people_by_email(row.email for row in rows)
    numbers_in_use = _numbers_in_use(row.personnel_number for row in rows)
    first_lines = {}
    errors = []
    for row in rows:
        row.person = people.get(row.email)
        row.target = authorities.get(row.authority.upper())
        problems = [
            *_field_problems(row),
            *_scope_problems(row, scope),
            *_role_problems(row, is_admin),
            *_uniqueness_problems(row, first_lines, numbers_in_use),
        ]
        errors += [RowError(row.line, str(problem)) for problem in problems]
    return errors


def _field_problems(row: _Row):
    try:
        validate_email(row.email)
        valid = len(row.email) <= User._meta.get_field("email").max_length
    except ValidationError:
        valid = False
    if not valid:
        yield msg.IMPORT_ERROR_INVALID_EMAIL % {"email": row.email}
    if not row.first_name:
        yield msg.IMPORT_ERROR_FIRST_NAME_MISSING
    if not row.last_name:
        yield msg.IMPORT_ERROR_LAST_NAME_MISSING
    for name in ("first_name", "last_name", "personnel_number"):
        model_field = User._meta.get_field(name)
        if len(getattr(row, name)) > model_field.max_length:
            label = capfirst(model_field.verbose_name)
            yield msg.IMPORT_ERROR_TOO_LONG % {"field": label, "limit": model_field.max_length}
    if not row.authority:
        yield msg.IMPORT_ERROR_AUTHORITY_MISSING
    elif row.target is None:
        yield msg.IMPORT_ERROR_UNKNOWN_AUTHORITY % {"abbreviation": row.authority}


def _scope_problems(row: _Row, scope: set[int] | None):
    if scope is None:
        return
    if row.target is not None and row.target.pk not in scope:
        yield msg.IMPORT_ERROR_AUTHORITY_OUT_OF_SCOPE % {"authority": row.target}
    # HR may only change people already in their part; people without an authority included,
    # so that nobody can take over e.g. a centre admin's account by importing its address.
    if row.person is not None and row.person.authority_id not in scope:
        yield msg.IMPORT_ERROR_PERSON_OUT_OF_SCOPE % {"email": row.email}
    elif row.person is not None and user_roles(user=row.person) & STAFF_ROLES:
        # HR must not rename or move the accounts that hold rights, not even in their part.
        yield msg.IMPORT_ERROR_PERSON_IS_STAFF % {"email": row.email}


def _role_tokens(cell: str):
    """The role names of a cell: each comma- or |-separated part is a name ("HR coordinator")
    or, failing that, several names separated by spaces ("trainer hr")."""
    for part in ROLE_LIST_SEPARATORS.split(cell):
        part = part.strip()
        if not part:
            continue
        if _role_key(part) in ROLE_ALIASES:
            yield part
        else:
            yield from (word for word in ROLE_WORD_SEPARATORS.split(part) if word)


def _role_problems(row: _Row, is_admin: bool):
    if not row.roles:
        return
    granted = set()
    for token in _role_tokens(row.roles):
        role = ROLE_ALIASES.get(_role_key(token))
        if role is None:
            yield msg.IMPORT_ERROR_UNKNOWN_ROLE % {"role": token, "allowed": role_names_text()}
        elif role != Role.LEARNER:
            granted.add(role)
    if granted and not is_admin:
        yield msg.IMPORT_ERROR_ROLES_NOT_ALLOWED
        return
    row.granted |= granted


def _uniqueness_problems(row: _Row, first_lines: dict, numbers_in_use: dict[str, int]):
    """The same address or number twice in the file (first_lines remembers where), or taken."""
    checks = [
        ("email", row.email, msg.IMPORT_ERROR_DUPLICATE_EMAIL),
        ("number", row.personnel_number, msg.IMPORT_ERROR_DUPLICATE_PERSONNEL_NUMBER),
    ]
    for kind, value, message in checks:
        first = first_lines.setdefault((kind, value), row.line) if value else row.line
        if first != row.line:
            yield message % {kind: value, "first": first}
    owner = numbers_in_use.get(row.personnel_number)
    if owner is not None and owner != getattr(row.person, "pk", None):
        yield msg.IMPORT_ERROR_PERSONNEL_NUMBER_TAKEN % {"number": row.personnel_number}


def _chunks(values, size=500):
    # Keeps each IN (...) below the database's limit on query parameters.
    values = sorted(set(values) - {""})
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _people_by_email(emails) -> dict[str, User]:
    people = {}
    for chunk in _chunks(emails):
        query = User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=chunk)
        people.update((person.email_lower, person) for person in query)
    return people


def _numbers_in_use(numbers) -> dict[str, int]:
    in_use = {}
    for chunk in _chunks(numbers):
        query = User.objects.filter(personnel_number__in=chunk)
        in_use.update(query.values_list("personnel_number", "pk"))
    return in_use


# Writing


def _field_changes(row: _Row) -> dict[str, str]:
    wanted = {"first_name": row.first_name, "last_name": row.last_name}
    if row.personnel_number:  # an empty cell keeps the number on record
        wanted["personnel_number"] = row.personnel_number
    return {name: value for name, value in wanted.items() if getattr(row.person, name) != value}


def _missing_roles(row: _Row) -> set[Role]:
    if not row.granted or row.person is None:
        return row.granted
    return row.granted - user_roles(user=row.person)


def _outcome(row: _Row) -> str:
    if row.person is None:
        return "created"
    moved = row.person.authority_id != row.target.pk
    changed = moved or _field_changes(row) or _missing_roles(row)
    return "updated" if changed else "unchanged"


def _audit(*, by, created: list[int], changed: list[int]) -> None:
    """Each person the import created or changed finds it on their page "Who viewed my data?".
    Imports from the command line (no `by`) are the operator's, not a staff role's."""
    for action, people in (
        (audit.AuditEntry.Action.CREATED, created),
        (audit.AuditEntry.Action.CHANGED, changed),
    ):
        people = [pk for pk in people if pk != by.pk]
        if people:
            audit_record_many(
                actor=by,
                action=action,
                report=audit.PEOPLE_IMPORT,
                report_title=gettext("Import people"),
                filters={},
                subject_ids=people,
                row_count=len(people),
            )


def _apply_create(rows: list[_Row]) -> list[int]:
    # Many at once: a first import of a whole authority is thousands of rows.
    people = users_create_many(
        people=[
            {
                "email": row.email,
                "first_name": row.first_name,
                "last_name": row.last_name,
                "authority": row.target,
                "personnel_number": row.personnel_number,
            }
            for row in rows
        ]
    )
    for row, person in zip(rows, people, strict=True):
        if row.granted:
            # A new HR role covers the person's own authority.
            user_set_roles(user=person, roles=row.granted, additive=True)
    return [person.pk for person in people]


def _apply_update(row: _Row) -> None:
    person = row.person
    roles = _missing_roles(row)
    changes = _field_changes(row)
    if changes:
        for name, value in changes.items():
            setattr(person, name, value)
        person.save(update_fields=list(changes))
    if person.authority_id != row.target.pk:
        user_move(user=person, authority=row.target)  # closes the old membership
    if roles:
        # Additive: an import never takes roles away.
        user_set_roles(user=person, roles=roles, additive=True)
