"""Reads about certificates: who may see which, and a person's own."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from lms.people.selectors import people_visible_q

from .codes import code_display
from .models import Certificate
from .models.certificates import status_of


def _with_status(queryset: QuerySet[Certificate]) -> QuerySet[Certificate]:
    # `status()` reads the successor; fetch it in the same query.
    return queryset.select_related("replaced_by")


@dataclass(frozen=True)
class CertificateItem:
    """A certificate on "Mein Lernen", flattened to what the list shows."""

    pk: int
    code: str
    course_id: int
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
    # Only the columns shown, read straight from the row: "Mein Lernen" is requested most.
    rows = Certificate.objects.filter(user=user).values_list(
        "pk",
        "code",
        "course_id",
        "content__fields__course",
        "course__language",
        "completed_at",
        "valid_until",
        "revoked_at",
        "sha256",
        "replaced_by__sha256",
        "replaced_by__revoked_at",
    )
    items = []
    for (
        pk,
        code,
        course_id,
        course_title,
        language,
        completed_at,
        valid_until,
        revoked_at,
        sha256,
        successor_sha256,
        successor_revoked_at,
    ) in rows:
        status = status_of(
            issued=bool(sha256),
            revoked=revoked_at is not None,
            superseded=bool(successor_sha256) and successor_revoked_at is None,
            valid_until=valid_until,
            today=today,
        )
        if status == Certificate.Status.SUPERSEDED:
            continue  # the newer certificate of the course stands for it
        items.append(
            CertificateItem(
                pk=pk,
                code=code_display(code),
                course_id=course_id,
                course_title=course_title,
                course_language=language,
                completed_on=timezone.localdate(completed_at),
                valid_until=valid_until,
                revoked_on=timezone.localdate(revoked_at) if revoked_at else None,
                status=status,
                expires_soon=status == Certificate.Status.VALID
                and valid_until is not None
                and valid_until <= soon,
            )
        )
    return items


def certificates_visible_to(*, user) -> QuerySet[Certificate]:
    """The certificates someone may open or download: centre admins all, HR those of the people
    in their scope, everyone else their own. The one answer every view and archive uses."""
    if not user.is_authenticated or not user.is_active:
        return Certificate.objects.none()
    in_scope = people_visible_q(user=user, person="user")
    return _with_status(Certificate.objects.filter(in_scope | Q(user=user)))
