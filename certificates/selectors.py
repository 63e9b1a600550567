"""Reads about certificates: who may see which, and a person's own."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from lms.people.roles import Role
from lms.people.selectors import people_visible_to, user_roles

from .models import Certificate


def _with_status(queryset: QuerySet[Certificate]) -> QuerySet[Certificate]:
    # `status()` reads the successor; fetch it in the same query.
    return queryset.select_related("replaced_by")


@dataclass(frozen=True)
class CertificateItem:
    """A certificate on "Mein Lernen", flattened to what the list shows."""

    pk: int
    code: str
    course_title: str
    course_language: str
    completed_on: date
    valid_until: date | None
    revoked_on: date | None
    status: str
    expires_soon: bool

    @property
    def status_label(self):
        return Certificate.Status(self.status).label

    @property
    def is_issued(self):
        return self.status != Certificate.Status.PENDING

    @property
    def is_revoked(self):
        return self.status == Certificate.Status.REVOKED


def certificates_of(*, user) -> list[CertificateItem]:
    """A learner's certificates, newest first, for "Mein Lernen". One query.

    Superseded ones are left out: the newer certificate of the same course stands for them.
    """
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    soon = today + timedelta(days=settings.CERTIFICATE_RENEWAL_DAYS)
    items = []
    rows = (
        _with_status(Certificate.objects.filter(user=user))
        .select_related("course")
        .defer("template_version", "pdf", "revoked_reason", "replaced_by__content")
    )
    for certificate in rows:
        status = certificate.status(today)
        if status == Certificate.Status.SUPERSEDED:
            continue
        items.append(
            CertificateItem(
                pk=certificate.pk,
                code=certificate.code_display,
                course_title=certificate.content["fields"]["course"],
                course_language=certificate.course.language,
                completed_on=timezone.localdate(certificate.completed_at),
                valid_until=certificate.valid_until,
                revoked_on=timezone.localdate(certificate.revoked_at)
                if certificate.revoked_at
                else None,
                status=status,
                expires_soon=status == Certificate.Status.VALID
                and certificate.valid_until is not None
                and certificate.valid_until <= soon,
            )
        )
    return items


def certificates_visible_to(*, user) -> QuerySet[Certificate]:
    """The certificates someone may open or download: centre admins all, HR those of the people
    in their scope, everyone else their own. The one answer every view and archive uses."""
    if not user.is_authenticated or not user.is_active:
        return Certificate.objects.none()
    roles = user_roles(user=user)
    if Role.CENTRE_ADMIN in roles:
        return _with_status(Certificate.objects.all())
    if Role.HR in roles:
        in_scope = Q(user__in=people_visible_to(user=user).values("pk"))
        return _with_status(Certificate.objects.filter(in_scope | Q(user=user)))
    return _with_status(Certificate.objects.filter(user=user))
