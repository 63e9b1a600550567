"""What the report views share: the empty cell, dates and per cent as shown, and the
access log entry every view and export writes."""

from django.utils import timezone
from django.utils.formats import date_format

from lms.text import percent_text

EMPTY = "–"


def _audit(*, action, **fields):
    from lms.audit.models import AuditEntry
    from lms.audit.services import audit_record

    audit_record(action=getattr(AuditEntry.Action, action), **fields)


def local_date(value):
    if value is None:
        return EMPTY
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return date_format(value, "SHORT_DATE_FORMAT")


def _percent(value):
    return EMPTY if value is None else percent_text(value)
