"""ZIP archives of the certificates of one authority (with its units) and course, for HR.

Requesting one stores a `CertificateArchive` and queues its build after the commit. The build
runs in a worker: it checks the requester's scope again (it may have changed since the request),
writes the ZIP to a temporary file on disk copying each PDF in chunks, and hands that file to the
storage, so memory stays bounded however many certificates there are.
"""

import logging
import re
import shutil
import tempfile
import zipfile
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from lms.audit import models as audit
from lms.audit.services import audit_record_many
from lms.builds import stale_builds_requeue
from lms.people.selectors import authority_can_be_seen_by
from lms.queueing import queue_after_commit
from lms.text import ascii_german

from . import admin_messages as msg
from . import tasks
from .models import Certificate, CertificateArchive
from .selectors import certificates_visible_to

logger = logging.getLogger(__name__)

CHUNK_BYTES = 64 * 1024
KEEP_DAYS = 7
# Longer than the build task's hard time limit (certificates.tasks): a build still marked as
# running after this has died with its worker.
BUILD_SECONDS_MAX = 2000
# A request still queued after this lost its task (broker down); it is queued again.
QUEUED_MINUTES = 10

_UNSAFE = re.compile(r"[^A-Za-z0-9-]+")


@transaction.atomic
def certificate_archive_request(*, by, authority, course) -> CertificateArchive:
    """Record the request and queue the build once it is committed.

    Raises PermissionDenied when the authority is outside the requester's scope.
    """
    if not authority_can_be_seen_by(user=by, authority=authority):
        raise PermissionDenied(msg.ERROR_ARCHIVE_OUT_OF_SCOPE)
    archive = CertificateArchive.objects.create(requested_by=by, authority=authority, course=course)
    # robust: with the broker down the request stays queued; certificate_archives_resume
    # queues it again.
    queue_after_commit(tasks.certificate_archive_build, archive.pk, robust=True)
    return archive


def archive_certificates(*, archive: CertificateArchive) -> QuerySet[Certificate]:
    """The certificates that belong in the archive, as its requester may see them now.

    The current certificate of each person: stored, not revoked and not replaced by a newer one
    (an expired one stays in: it is still the person's proof of the course). People count where
    they belong today, like everywhere HR looks.
    """
    return (
        certificates_visible_to(user=archive.requested_by)
        .current()
        .filter(
            course_id=archive.course_id,
            user__authority__path__startswith=archive.authority.path,
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def _safe(text: str) -> str:
    return _UNSAFE.sub("-", ascii_german(text)).strip("-")


def archive_entry_name(certificate: Certificate, taken: set[str]) -> str:
    """The entry's file name, Nachname_Vorname_<code>.pdf in letters, digits and hyphens,
    unique within `taken`."""
    user = certificate.user
    parts = [_safe(user.last_name) or "-", _safe(user.first_name) or "-", certificate.code_display]
    stem = "_".join(parts)
    name, number = f"{stem}.pdf", 1
    while name in taken:
        number += 1
        name = f"{stem}_{number}.pdf"
    taken.add(name)
    return name


def _archive_file_name(archive: CertificateArchive) -> str:
    day = timezone.localdate(archive.created_at).isoformat()
    authority = _safe(archive.authority.abbreviation or archive.authority.name)
    course = _safe(archive.course.slug or archive.course.title)[:60]
    return f"Zertifikate_{authority}_{course}_{day}.zip"


def _write_zip(certificates, target) -> list[int]:
    """Write the PDFs into the open binary file `target`; returns their holders' user pks."""
    taken: set[str] = set()
    holders = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for certificate in certificates.iterator(chunk_size=200):
            info = zipfile.ZipInfo(
                archive_entry_name(certificate, taken),
                date_time=timezone.localtime(certificate.issued_at).timetuple()[:6],
            )
            info.compress_type = zipfile.ZIP_DEFLATED
            with certificate.pdf.open("rb") as source, zf.open(info, "w") as entry:
                shutil.copyfileobj(source, entry, CHUNK_BYTES)
            holders.append(certificate.user_id)
    return holders


def _build(archive: CertificateArchive) -> CertificateArchive:
    requester = archive.requested_by
    if not requester.is_active or not authority_can_be_seen_by(
        user=requester, authority=archive.authority
    ):
        # The requester's scope changed after the request: nothing is built.
        logger.warning("Certificate archive %s: requester no longer in scope", archive.pk)
        archive.status = CertificateArchive.Status.FAILED
        archive.finished_at = timezone.now()
        archive.save(update_fields=["status", "finished_at"])
        return archive
    with tempfile.TemporaryFile(suffix=".zip") as temporary:
        holders = _write_zip(archive_certificates(archive=archive), temporary)
        temporary.seek(0)
        archive.file.save(_archive_file_name(archive), File(temporary), save=False)
    archive.count = len(holders)
    archive.status = CertificateArchive.Status.READY
    archive.finished_at = timezone.now()
    with transaction.atomic():
        archive.save(update_fields=["file", "count", "status", "finished_at"])
        # One entry per holder, each on their page "Who viewed my data?": the archive hands
        # their certificate to the requester.
        audit_record_many(
            actor=requester,
            action=audit.AuditEntry.Action.EXPORTED,
            report=audit.CERTIFICATE_ARCHIVE,
            report_title=gettext("ZIP archive of certificates"),
            filters=archive_audit_filters(archive),
            subject_ids=holders,
            row_count=len(holders),
        )
    return archive


def archive_audit_filters(archive: CertificateArchive) -> dict:
    """What the access log records about an archive; "archive" finds its holders again."""
    return {
        "course": archive.course.title,
        "authority": str(archive.authority),
        "archive": archive.pk,
    }


def certificate_archive_build(*, archive: CertificateArchive) -> CertificateArchive:
    """Build a queued archive; does nothing for one that is ready, failed or being built.

    The archive is claimed with one conditional UPDATE and built outside any transaction: a
    build takes minutes and must hold no lock meanwhile (SQLite has one for the whole
    database). Any error marks the archive failed and is raised again, so the worker logs it.
    """
    claimed = CertificateArchive.objects.filter(
        pk=archive.pk, status=CertificateArchive.Status.QUEUED
    ).update(status=CertificateArchive.Status.BUILDING, started_at=timezone.now())
    if not claimed:
        archive.refresh_from_db()
        return archive
    archive = CertificateArchive.objects.select_related("requested_by", "authority", "course").get(
        pk=archive.pk
    )
    try:
        return _build(archive)
    except Exception:
        CertificateArchive.objects.filter(pk=archive.pk).update(
            status=CertificateArchive.Status.FAILED, finished_at=timezone.now()
        )
        raise


def certificate_archives_resume(*, now=None) -> int:
    """Queue again what a down broker or a dead worker left behind: archives queued for more
    than QUEUED_MINUTES and builds that ran longer than the task's hard time limit."""
    return stale_builds_requeue(
        model=CertificateArchive,
        task=tasks.certificate_archive_build,
        build_seconds_max=BUILD_SECONDS_MAX,
        queued_minutes=QUEUED_MINUTES,
        now=now,
    )


def archive_can_be_downloaded_by(*, user, archive: CertificateArchive) -> bool:
    """The requester while the authority is still in their scope, and centre admins."""
    if not user.is_authenticated or not user.is_active:
        return False
    if archive.status != CertificateArchive.Status.READY or not archive.file:
        return False
    if user.is_centre_admin:
        return True
    return archive.requested_by_id == user.pk and authority_can_be_seen_by(
        user=user, authority=archive.authority
    )


def certificate_archives_delete_old(*, days: int = KEEP_DAYS) -> int:
    """Delete archives (and their files) older than `days`; returns how many."""
    cutoff = timezone.now() - timedelta(days=days)
    deleted = 0
    for archive in CertificateArchive.objects.filter(created_at__lt=cutoff).iterator():
        if archive.file:
            archive.file.delete(save=False)
        archive.delete()
        deleted += 1
    return deleted
