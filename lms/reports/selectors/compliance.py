"""Compliance: overdue mandatory courses and certificates about to expire."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from certificates.models import Certificate
from courses.models import Enrolment
from courses.selectors import overdue_q

from .common import STATUS_OVERDUE, ReportFilters
from .participations import participations_report


def compliance_report(
    *, viewer, filters: ReportFilters, expiring_within_days: int = 90, today=None
) -> QuerySet[Enrolment]:
    """People with an overdue mandatory course, or a valid certificate that expires within the
    given number of days, in the viewer's scope; most urgent first."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=expiring_within_days)
    base = participations_report(
        viewer=viewer, filters=ReportFilters(**{**filters.__dict__, "status": None}), today=today
    )
    overdue = overdue_q(today) & ~Q(source=Enrolment.Source.SELF)
    expiring = Q(
        certificate_pk__in=Certificate.objects.valid_on(today)
        .filter(valid_until__lte=horizon)
        .values("pk")
    )
    rows = base.filter(overdue | expiring)
    if filters.status == STATUS_OVERDUE:
        rows = rows.filter(overdue)
    elif filters.status == "expiring":
        rows = rows.filter(expiring)
    return rows.order_by("due_on", "certificate_valid_until", "user__last_name", "pk")
