"""Writing the access log: `audit_record` for one entry (a report, a person's record, a
certificate), `audit_record_unless_own` for one unless people look at their own data,
`audit_record_many` for one entry per person looked at together (an archive, an
import)."""

import datetime
import math
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lms.people.roles import Role

from .models import AuditEntry

# Far more than any filter value needs; the JSON stays small whatever is typed into a URL.
MAX_FILTER_VALUE_LENGTH = 500


def _text(value, limit: int) -> str:
    # PostgreSQL refuses NUL characters and lone surrogates in text and JSON.
    text = str(value).replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
    return text[:limit]


def _filter_value(value):
    """A value JSON stores and a person can read: numbers and booleans as they are, dates in
    German form, model instances by their name, everything else as text."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return _text(value, MAX_FILTER_VALUE_LENGTH)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, slice):
        # A date range as django-filter gives it.
        ends = (value.start, value.stop)
        return " – ".join("…" if end is None else str(_filter_value(end)) for end in ends)
    if isinstance(value, list | tuple | set | frozenset):
        return _text(", ".join(str(_filter_value(item)) for item in value), MAX_FILTER_VALUE_LENGTH)
    return _text(value, MAX_FILTER_VALUE_LENGTH)


def audit_filters_clean(filters) -> dict:
    """The chosen filters as a JSON-safe dict of name to value; empty values are left out.

    Never raises: the record of a view must not fail because of an odd filter value.
    """
    if not filters:
        return {}
    if not isinstance(filters, dict):
        return {"filters": _filter_value(filters)}
    return {
        _text(name, 100): _filter_value(value)
        for name, value in filters.items()
        if value not in (None, "", [], ())
    }


def _actor_role(actor) -> str:
    roles = actor.roles
    if Role.CENTRE_ADMIN in roles:
        return AuditEntry.ActorRole.CENTRE_ADMIN
    if Role.HR in roles:
        return AuditEntry.ActorRole.HR
    return AuditEntry.ActorRole.NONE


def _entry(
    *,
    actor,
    action,
    report: str,
    report_title,
    filters: dict,
    row_count: int | None = None,
    export_format: str = "",
) -> AuditEntry:
    """A checked, unsaved entry without its subject.

    `action` is an AuditEntry.Action (or its value: "viewed", "printed", "exported",
    "downloaded", "created", "changed"); `report` a short slug ("completion", "person",
    "certificate"); `report_title` the title as shown; `filters` the filter values as the user
    chose them ({"course": "Informationssicherheit"}), stored as text where they are not plain
    JSON; `export_format` "", "csv" or "xlsx". An unknown action or export format, or a missing
    report slug, is a bug in the caller and raises ValueError.
    """
    if action not in AuditEntry.Action.values:
        raise ValueError(f"Unknown access log action: {action!r}")
    export_format = export_format or ""
    if export_format not in AuditEntry.ExportFormat.values:
        raise ValueError(f"Unknown export format: {export_format!r}")
    if not report:
        raise ValueError("An access log entry needs the report's slug.")
    if row_count is not None and (not isinstance(row_count, int) or row_count < 0):
        raise ValueError(f"Row count must be a number of rows: {row_count!r}")
    signed_in = actor is not None and actor.is_authenticated
    return AuditEntry(
        actor=actor if signed_in else None,
        actor_name=_text(actor, 300) if signed_in else "",
        actor_role=_actor_role(actor) if signed_in else "",
        action=action,
        report=_text(report, 50),
        report_title=_text(report_title or "", 255),
        filters=audit_filters_clean(filters),
        row_count=row_count,
        export_format=export_format,
    )


@transaction.atomic
def audit_record(*, subject=None, **what) -> AuditEntry:
    """Write one entry of the access log and return it: `subject` is the person whose data it
    was, `what` the fields `_entry` takes (actor, action, report, report_title, filters,
    row_count, export_format)."""
    entry = _entry(**what)
    entry.subject = subject
    entry.save()
    return entry


def audit_record_unless_own(*, actor, subject, **what) -> AuditEntry | None:
    """Write an entry for a look at `subject`'s data by someone else; a person looking at their
    own data leaves no entry. The person reads the others on their page "Who viewed my data?"."""
    if subject is not None and subject.pk == actor.pk:
        return None
    return audit_record(actor=actor, subject=subject, **what)


# Rows per INSERT: well below SQLite's limit on query parameters (13 columns each).
BATCH_SIZE = 500


@transaction.atomic
def audit_record_many(*, subject_ids, **what) -> int:
    """Write the same entry once for each person in `subject_ids` (user pks; repeats count
    once), in a few bulk INSERTs; returns how many entries were written. `what` as for
    `audit_record`.

    For what looks at many people at once, each of whom must find it on their own page: a ZIP
    archive of their certificates, an import that created or changed them.
    """
    template = _entry(**what)
    fields = {
        field.attname: getattr(template, field.attname)
        for field in AuditEntry._meta.concrete_fields
        if not field.primary_key and field.attname != "subject_id"
    }
    ids = list(dict.fromkeys(pk for pk in subject_ids if pk is not None))
    entries = [AuditEntry(**fields, subject_id=pk) for pk in ids]
    # bulk_create never calls AuditEntry.save(): the append-only rule holds, these are inserts.
    AuditEntry.objects.bulk_create(entries, batch_size=BATCH_SIZE)
    return len(entries)


def audit_person_anonymise(*, person) -> int:
    """Erasure of a person (lms.privacy.erasure): their traces leave the log, as the one who
    looked or the one looked at; the entries stay. Returns how many entries changed."""
    return AuditEntry.objects.anonymise(person=person)


def audit_entries_anonymise(*, entries) -> int:
    """Retention (lms.privacy.retention): these entries, past their retention period, keep what
    was looked at but no longer who looked or at whom. Returns how many entries changed."""
    traces = Q(actor__isnull=False) | Q(subject__isnull=False) | ~Q(actor_name="")
    return AuditEntry.objects.filter(pk__in=entries.values("pk")).filter(traces).anonymise()
