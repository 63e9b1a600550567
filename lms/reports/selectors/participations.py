"""Participations of one course (or all), with quiz and certificate figures, and the status
of one participation and of its certificate."""

from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from certificates.models import Certificate
from certificates.models.certificates import status_of
from courses.models import Enrolment, QuizAttempt
from courses.quizzes.selectors import EPOCH

from .common import (
    STATUS_COMPLETED,
    STATUS_IN_PROGRESS,
    STATUS_NOT_STARTED,
    STATUS_OVERDUE,
    ReportFilters,
    _started,
)
from .scope import participations_in_scope


def _current_certificate():
    """The enrolment's certificate that stands, as Certificate.status() sees it: not replaced by
    an issued, unrevoked successor; issued ones before pending ones, unrevoked before revoked,
    newest first."""
    return (
        Certificate.objects.filter(enrolment=OuterRef("pk"))
        .not_superseded()
        .order_by(
            Case(When(sha256="", then=Value(1)), default=Value(0)),
            F("revoked_at").asc(nulls_first=True),
            "-created_at",
            "-pk",
        )
    )


def participations_report(*, viewer, filters: ReportFilters, today=None) -> QuerySet[Enrolment]:
    """Everyone enrolled or assigned in scope, with best quiz result and current certificate.

    The columns are annotations, so a page or a 100,000-row export is one query.
    """
    best = (
        QuizAttempt.objects.filter(
            user=OuterRef("user_id"),
            quiz__path__startswith=OuterRef("course__path"),
            percent__isnull=False,
            # The current round only: a renewed course starts again from nothing.
            started_at__gte=Coalesce(OuterRef("round_started_at"), Value(EPOCH)),
        )
        .order_by()
        .values("user")
        .annotate(best=Max("percent"))
        .values("best")
    )
    certificate = _current_certificate()
    return (
        participations_in_scope(viewer=viewer, filters=filters, today=today)
        .annotate(
            started=ExpressionWrapper(_started(), output_field=BooleanField()),
            best_percent=Subquery(best),
            certificate_pk=Subquery(certificate.values("pk")[:1]),
            certificate_issued_at=Subquery(certificate.values("issued_at")[:1]),
            certificate_valid_until=Subquery(certificate.values("valid_until")[:1]),
            certificate_revoked_at=Subquery(certificate.values("revoked_at")[:1]),
        )
        .select_related("user", "user__authority", "course")
        .only(
            "pk",
            "source",
            "due_on",
            "completed_at",
            "enrolled_at",
            "progress_percent",
            "user__first_name",
            "user__last_name",
            "user__email",
            "user__personnel_number",
            "user__authority__name",
            "user__authority__abbreviation",
            "course__title",
            "course__path",
        )
        .order_by("user__last_name", "user__first_name", "user_id", "course__title", "pk")
    )


def participation_status(enrolment: Enrolment, today=None) -> str:
    """The status of one participation; `started` is annotated by the selectors (without it,
    progress alone tells)."""
    today = today or timezone.localdate()
    if enrolment.completed_at is not None:
        return STATUS_COMPLETED
    if enrolment.is_overdue(today):
        return STATUS_OVERDUE
    started = getattr(enrolment, "started", None)
    if started is None:
        started = enrolment.progress_percent > 0
    return STATUS_IN_PROGRESS if started else STATUS_NOT_STARTED


def certificate_status(enrolment: Enrolment, today=None) -> str | None:
    """Status of the enrolment's current certificate (annotated), or None without one."""
    valid_until = getattr(enrolment, "certificate_valid_until", None)
    issued_at = getattr(enrolment, "certificate_issued_at", None)
    revoked_at = getattr(enrolment, "certificate_revoked_at", None)
    if getattr(enrolment, "certificate_pk", None) is None:
        return None
    return status_of(
        issued=issued_at is not None,
        revoked=revoked_at is not None,
        superseded=False,
        valid_until=valid_until,
        today=today or timezone.localdate(),
    )
