"""Art. 15 GDPR: everything the platform holds about one person, as one ZIP.

`data.json` is built from the registry: every declared model appears with its purpose and the
rows `Declaration.rows_of` finds for the person, so a model declared later is exported without
a change here. A model whose rows hold what may not leave as stored gives its owner's public
view (`Declaration.export`): quiz attempts come as the learner saw them, the key only where the
quiz's review policy shows it. Secrets (password hash, second-factor keys, tokens) are named but
withheld; other people are not identified beyond what the row itself says (the access log keeps
the name of who looked, which is what the person has a right to know). Beside it, a readable
HTML page of the same data in the person's language (`summary`), and the certificate PDFs. The
build is claimed and run like `certificates.archives`; requests reuse a queued or recent export
and are limited per day.
"""

import json
import logging
import shutil
import tempfile
import zipfile
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from certificates.models import Certificate
from lms.builds import stale_builds_requeue
from lms.personal_data.registry import registry
from lms.queueing import queue_after_commit

from . import messages as msg
from . import tasks
from .models import DataExport
from .summary import summary_html

logger = logging.getLogger(__name__)

CHUNK_BYTES = 64 * 1024
FORMAT_VERSION = 1
WITHHELD = "[withheld]"
# Fields that let whoever holds them act as the person: listed, never exported.
SECRET_FIELDS = {
    "people.User": {"password"},
    "mfa.Authenticator": {"data"},
    "socialaccount.SocialToken": {"token", "token_secret"},
    "account.EmailConfirmation": {"key"},
    "wagtailcore.APIToken": {"key_hash"},
}
# A request gets the person's export from the last hour instead of a new build, and at most
# three builds per person run in 24 hours: each copies every certificate PDF and is kept a week.
REUSE_MINUTES = 60
REQUESTS_PER_DAY = 3
LIMIT_PERIOD = timedelta(hours=24)
# A build still running after this has died with its worker (the task's hard limit is shorter).
BUILD_SECONDS_MAX = 1000
QUEUED_MINUTES = 10


def data_export_allowed(*, by, person) -> bool:
    """The person themselves, and centre admins for anyone."""
    if not by.is_authenticated or not by.is_active:
        return False
    return by.pk == person.pk or by.is_centre_admin


@transaction.atomic
def data_export_request(*, by, person, now=None) -> DataExport:
    """Record the request and queue the build once it is committed.

    An export of the person that is queued, being built or younger than REUSE_MINUTES is
    returned instead, with `reused` set; beyond REQUESTS_PER_DAY builds in 24 hours the
    request is refused (ValidationError): each build copies every certificate PDF.
    """
    if not data_export_allowed(by=by, person=person):
        raise PermissionDenied(msg.ERROR_EXPORT_NOT_ALLOWED)
    now = now or timezone.now()
    # Concurrent requests for one person wait here and then find the first one's export.
    list(get_user_model().objects.select_for_update().filter(pk=person.pk).values_list("pk"))
    exports = DataExport.objects.filter(person=person).order_by("-created_at", "-pk")
    reusable = exports.filter(
        Q(status__in=[DataExport.Status.QUEUED, DataExport.Status.BUILDING])
        | Q(status=DataExport.Status.READY, created_at__gte=now - timedelta(minutes=REUSE_MINUTES))
    ).first()
    if reusable is not None:
        reusable.reused = True
        return reusable
    counted = exports.filter(created_at__gt=now - LIMIT_PERIOD).exclude(
        status=DataExport.Status.FAILED
    )
    if counted.count() >= REQUESTS_PER_DAY:
        first = counted.order_by("created_at").first()
        again = timezone.localtime(first.created_at + LIMIT_PERIOD)
        raise ValidationError(
            msg.ERROR_EXPORT_LIMIT
            % {
                "count": REQUESTS_PER_DAY,
                "time": formats.date_format(again, "SHORT_DATETIME_FORMAT"),
            }
        )
    export = DataExport.objects.create(requested_by=by, person=person, created_at=now)
    queue_after_commit(tasks.data_export_build, export.pk, robust=True)
    return export


def export_requested_message(export: DataExport, *, person=None) -> str:
    """What a request led to: a new export, or the queued or recent one it got instead.
    `person`: the person a centre admin asked for; None for one's own data."""
    if not export.reused:
        return str(
            msg.EXPORT_REQUESTED_FOR % {"person": person} if person else msg.EXPORT_REQUESTED
        )
    if export.status != DataExport.Status.READY:
        if person:
            return str(msg.EXPORT_FOR_STILL_BUILDING % {"person": person})
        return str(msg.EXPORT_STILL_BUILDING)
    time = formats.date_format(timezone.localtime(export.created_at), "SHORT_DATETIME_FORMAT")
    if person:
        return str(msg.EXPORT_FOR_STILL_CURRENT % {"person": person, "time": time})
    return str(msg.EXPORT_STILL_CURRENT % {"time": time})


def _value(field: models.Field, obj, person_pk):
    if field.is_relation:
        pk = getattr(obj, field.attname)
        if pk is None:
            return None
        if field.related_model is get_user_model():
            # The person themselves; other people are not identified by their account.
            return "self" if pk == person_pk else None
        related = getattr(obj, field.name)
        return {"id": pk, "name": str(related)}
    value = getattr(obj, field.attname)
    if isinstance(field, models.FileField):
        return value.name or None
    return value


def _row(declaration, obj, person_pk) -> dict:
    secret = SECRET_FIELDS.get(declaration.label, set())
    row = {}
    for field in obj._meta.concrete_fields:
        if field.name in secret:
            row[field.name] = WITHHELD
            continue
        row[field.name] = _value(field, obj, person_pk)
    for field in obj._meta.many_to_many:
        row[field.name] = sorted(str(item) for item in getattr(obj, field.name).all())
    return row


def _rows(declaration, rows, person) -> list[dict]:
    if declaration.export is not None:
        # The owner decides what of these rows may leave (a quiz attempt's key may not).
        return declaration.export(rows=rows, person=person)
    return [_row(declaration, obj, person.pk) for obj in rows]


def person_data(*, person) -> dict:
    """Everything the registry declares about `person`, as JSON-ready data."""
    records = {}
    for declaration in registry.declarations:
        rows = declaration.rows_of(person).order_by("pk")
        records[declaration.label] = {
            "name": str(declaration.verbose_name),
            "purpose": str(declaration.purpose),
            "legal_basis": str(declaration.legal_basis),
            "retention": declaration.retention_text(),
            # Sessions name their person only inside encoded data: not searchable by person.
            "searchable_by_person": bool(declaration.person),
            "rows": _rows(declaration, rows, person),
        }
    return {
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now(),
        "person": person.pk,
        "records": records,
    }


def _certificates_with_pdf(person):
    return Certificate.objects.filter(user=person).exclude(pdf="").order_by("created_at", "pk")


def summary_name() -> str:
    """The readable page's file name, in the active language ("Meine_Daten.html")."""
    return gettext("My data").replace(" ", "_") + ".html"


def _write_zip(person, target) -> None:
    # Names, purposes and the readable page in the person's language, wherever the build runs.
    with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
        data = person_data(person=person)
        text = json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        page = summary_html(person=person, data=data)
        page_name = summary_name()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data.json", text)
        zf.writestr(page_name, page)
        for certificate in _certificates_with_pdf(person).iterator():
            name = f"certificates/{certificate.code_display}.pdf"
            with certificate.pdf.open("rb") as source, zf.open(name, "w") as entry:
                shutil.copyfileobj(source, entry, CHUNK_BYTES)


def _build(export: DataExport) -> DataExport:
    if not data_export_allowed(by=export.requested_by, person=export.person):
        logger.warning("Data export %s: requester no longer allowed", export.pk)
        export.status = DataExport.Status.FAILED
        export.finished_at = timezone.now()
        export.save(update_fields=["status", "finished_at"])
        return export
    with tempfile.TemporaryFile(suffix=".zip") as temporary:
        _write_zip(export.person, temporary)
        temporary.seek(0)
        day = timezone.localdate(export.created_at).isoformat()
        export.file.save(f"Meine_Daten_{export.person_id}_{day}.zip", File(temporary), save=False)
    export.status = DataExport.Status.READY
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "status", "finished_at"])
    return export


def data_export_build(*, export: DataExport) -> DataExport:
    """Build a queued export; does nothing for one that is ready, failed or being built.

    Claimed with one conditional UPDATE and built outside any transaction, like the
    certificate archives; an error marks it failed and is raised again for the worker's log.
    """
    claimed = DataExport.objects.filter(pk=export.pk, status=DataExport.Status.QUEUED).update(
        status=DataExport.Status.BUILDING, started_at=timezone.now()
    )
    if not claimed:
        export.refresh_from_db()
        return export
    export = DataExport.objects.select_related("requested_by", "person").get(pk=export.pk)
    try:
        return _build(export)
    except Exception:
        DataExport.objects.filter(pk=export.pk).update(
            status=DataExport.Status.FAILED, finished_at=timezone.now()
        )
        raise


def data_exports_resume(*, now=None) -> int:
    """Queue again what a down broker or a dead worker left behind."""
    return stale_builds_requeue(
        model=DataExport,
        task=tasks.data_export_build,
        build_seconds_max=BUILD_SECONDS_MAX,
        queued_minutes=QUEUED_MINUTES,
        now=now,
    )


def data_export_can_be_downloaded_by(*, user, export: DataExport) -> bool:
    """The person themselves and centre admins, once it is ready."""
    if not user.is_authenticated or not user.is_active:
        return False
    if export.status != DataExport.Status.READY or not export.file:
        return False
    return export.person_id == user.pk or user.is_centre_admin
