"""Celery tasks: ids in, reload, call a service. Each is safe to run twice."""

from celery import shared_task
from django.utils.dateparse import parse_datetime

from courses.models import Enrolment

from . import services


@shared_task(acks_late=True)
def certificate_issue(enrolment_id: int, completed_at: str) -> int | None:
    enrolment = Enrolment.objects.select_related("user__authority").filter(pk=enrolment_id).first()
    if enrolment is None:
        return None
    certificate = services.certificate_issue(
        enrolment=enrolment, completed_at=parse_datetime(completed_at)
    )
    return certificate.pk if certificate else None


@shared_task
def certificates_reconcile() -> dict[str, int]:
    from .archives import certificate_archives_resume

    return {**services.certificates_reconcile(), "archives": certificate_archives_resume()}


@shared_task
def certificates_renew_expiring() -> int:
    return services.certificates_renew_expiring()


# Long enough for a few thousand PDFs; shorter than the broker's visibility timeout.
@shared_task(acks_late=True, soft_time_limit=1800, time_limit=1900)
def certificate_archive_build(archive_id: int) -> str | None:
    from . import archives
    from .models import CertificateArchive

    archive = CertificateArchive.objects.filter(pk=archive_id).first()
    if archive is None:
        return None
    return archives.certificate_archive_build(archive=archive).status


@shared_task
def certificate_archives_delete_old() -> int:
    from . import archives

    return archives.certificate_archives_delete_old()
