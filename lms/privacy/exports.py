"""Art. 15 GDPR: everything the platform holds about one person, as one ZIP.

`data.json` is built from the registry: every declared model appears with its purpose and the
rows `Declaration.rows_of` finds for the person, so a model declared later is exported without
a change here. Secrets (password hash, second-factor keys, tokens) are named but withheld; other
people are not identified beyond what the row itself says (the access log keeps the name of who
looked, which is what the person has a right to know). The person's certificate PDFs follow as
files. The build is claimed and run like `certificates.archives`.
"""

import json
import logging
import shutil
import tempfile
import zipfile

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from certificates.models import Certificate
from lms.builds import stale_builds_requeue

from . import messages as msg
from .models import DataExport
from .registry import registry

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
# A build still running after this has died with its worker (the task's hard limit is shorter).
BUILD_SECONDS_MAX = 1000
QUEUED_MINUTES = 10


def data_export_allowed(*, by, person) -> bool:
    """The person themselves, and centre admins for anyone."""
    if not by.is_authenticated or not by.is_active:
        return False
    return by.pk == person.pk or by.is_centre_admin


def _queue_build_of(export_id: int):
    def queue_data_export_build():
        from .tasks import data_export_build as build_task

        build_task.delay(export_id)

    return queue_data_export_build


@transaction.atomic
def data_export_request(*, by, person) -> DataExport:
    """Record the request and queue the build once it is committed."""
    if not data_export_allowed(by=by, person=person):
        raise PermissionDenied(msg.ERROR_EXPORT_NOT_ALLOWED)
    export = DataExport.objects.create(requested_by=by, person=person)
    transaction.on_commit(_queue_build_of(export.pk), robust=True)
    return export


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
            "rows": [_row(declaration, obj, person.pk) for obj in rows],
        }
    return {
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now(),
        "person": person.pk,
        "records": records,
    }


def _certificates_with_pdf(person):
    return Certificate.objects.filter(user=person).exclude(pdf="").order_by("created_at", "pk")


def _write_zip(person, target) -> None:
    data = json.dumps(
        person_data(person=person), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False
    )
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data.json", data)
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
        queue=_queue_build_of,
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
