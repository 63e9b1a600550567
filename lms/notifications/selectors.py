"""Which notifications are due: one function per kind, a few queries for everyone.

Each function yields `Due` items whose occasion nobody has claimed yet (sent, or being sent;
failed ones come again). The occasion string is computed by the database from the row, so the
same round, threshold or week always gives the same string and "not claimed yet" is part of the
query: a sweep with nothing new to send reads a few empty results, however many people there
are. Rows are read in batches by primary key, so a large backlog never sits in memory at once.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import NotSupportedError
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from certificates.models import Certificate
from courses.items import LearningItem
from courses.models import Enrolment
from courses.selectors import overdue_q
from lms.people.models import User
from lms.people.roles import ROLE_GROUP_NAMES, Role
from lms.people.selectors import people_visible_to
from lms.public_urls import public_url

from .models import CLAIMED, Notification

Kind = Notification.Kind

BATCH = 500
# The admin's compliance report (lms.reports), linked from the weekly HR overview.
COMPLIANCE_REPORT_PATH = "/admin/reports/compliance/"


@dataclass(frozen=True)
class Due:
    """One e-mail that is due: to whom, of which kind, for which occasion, and what it says."""

    user: User
    kind: str
    occasion: str
    context: dict = field(default_factory=dict, compare=False)


class _Epoch(Func):
    """Whole seconds since 1970 of a datetime (NULL stays NULL), on PostgreSQL and SQLite."""

    output_field = BigIntegerField()

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError(f"No epoch seconds on {connection.vendor}.")

    def as_postgresql(self, compiler, connection, **extra):
        template = "FLOOR(EXTRACT(EPOCH FROM %(expressions)s))::bigint"
        return super().as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite 3.38 or later (Python's own build has it).
        return super().as_sql(compiler, connection, template="unixepoch(%(expressions)s)", **extra)


def _text(*parts):
    """Strings and expressions joined into one string by the database."""
    return Concat(
        *(Value(part) if isinstance(part, str) else Cast(part, CharField()) for part in parts),
        output_field=CharField(),
    )


def _threshold(field_name: str, today: date, days: Iterable[int]) -> Case:
    """The smallest of `days` such that `field_name` is at most that many days after today."""
    return Case(
        *(
            When(**{f"{field_name}__lte": today + timedelta(days=d)}, then=Value(d))
            for d in sorted(days)
        ),
        output_field=IntegerField(),
    )


def _unclaimed(queryset: QuerySet, kind: str, occasion, user_field: str = "user_id") -> QuerySet:
    """The rows whose occasion (an expression) nobody has claimed for their person yet."""
    claimed = Notification.objects.filter(
        user_id=OuterRef(user_field), kind=kind, occasion=OuterRef("occasion"), status__in=CLAIMED
    )
    return queryset.annotate(occasion=occasion).filter(~Exists(claimed))


def _batches(queryset: QuerySet, size: int = BATCH) -> Iterator:
    """The rows in primary-key order, `size` per query."""
    last = None
    while True:
        page = queryset.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        rows = list(page[:size])
        yield from rows
        if len(rows) < size:
            return
        last = rows[-1].pk


def _for(queryset: QuerySet, user_ids, user_field: str = "user_id") -> QuerySet:
    return queryset if user_ids is None else queryset.filter(**{f"{user_field}__in": user_ids})


def open_assigned_enrolments(*, user_ids=None) -> QuerySet[Enrolment]:
    """Courses people must take and have not completed in their current round."""
    queryset = Enrolment.objects.filter(
        completed_at__isnull=True, user__is_active=True, course__live=True
    ).exclude(source=Enrolment.Source.SELF)
    return _for(queryset, user_ids)


def _round(*more):
    """The enrolment's current round of its course: a renewal starts a new one."""
    return (
        "course-",
        F("course_id"),
        "/round-",
        Coalesce(_Epoch("round_started_at"), Value(0), output_field=BigIntegerField()),
        *more,
    )


def item_context(item: LearningItem, **more) -> dict:
    """What an e-mail says about the learning item: read through its interface only (the
    templates call it `course`, and show its title)."""
    return {
        "course": item,
        "course_url": item.item_learner_url(),
        **more,
    }


def _course_context(enrolment: Enrolment, **more) -> dict:
    return item_context(enrolment.course, **more)


def due_assigned(*, today: date, user_ids=None) -> Iterator[Due]:
    """Once per round of an assigned course that is not complete.

    Rounds that started longer ago than records of notifications are kept are left out: their
    record may be gone, and the e-mail must not go out again.
    """
    kept = timedelta(days=settings.PRIVACY_RETENTION_DAYS["notifications"])
    started = Coalesce("round_started_at", "enrolled_at")
    rows = open_assigned_enrolments(user_ids=user_ids).alias(started=started)
    rows = rows.filter(started__gte=timezone.make_aware(datetime.combine(today - kept, time.min)))
    rows = _unclaimed(rows, Kind.ASSIGNED, _text(*_round()))
    for enrolment in _batches(rows.select_related("user", "course")):
        yield Due(
            user=enrolment.user,
            kind=Kind.ASSIGNED,
            occasion=enrolment.occasion,
            context=_course_context(
                enrolment,
                due_on=enrolment.due_on,
                renewal=enrolment.round_started_at is not None,
            ),
        )


def due_soon(*, today: date, user_ids=None) -> Iterator[Due]:
    """Once per threshold of NOTIFY_DUE_DAYS and round; only the smallest one that applies."""
    days = settings.NOTIFY_DUE_DAYS
    rows = open_assigned_enrolments(user_ids=user_ids).filter(
        due_on__gte=today, due_on__lte=today + timedelta(days=max(days))
    )
    rows = _unclaimed(
        rows.annotate(threshold=_threshold("due_on", today, days)),
        Kind.DUE_SOON,
        _text(*_round("/days-", F("threshold"))),
    )
    for enrolment in _batches(rows.select_related("user", "course")):
        yield Due(
            user=enrolment.user,
            kind=Kind.DUE_SOON,
            occasion=enrolment.occasion,
            context=_course_context(
                enrolment, due_on=enrolment.due_on, days_left=(enrolment.due_on - today).days
            ),
        )


def due_overdue(*, today: date, user_ids=None) -> Iterator[Due]:
    """Weekly from the first day after the due date, NOTIFY_OVERDUE_TIMES times per round."""
    times = settings.NOTIFY_OVERDUE_TIMES
    if times < 1:
        return
    rows = open_assigned_enrolments(user_ids=user_ids).filter(
        overdue_q(today), due_on__gte=today - timedelta(days=7 * times)
    )
    # Days 1–7 after the due date are week 1, days 8–14 week 2, and so on.
    week = Case(
        *(
            When(due_on__gte=today - timedelta(days=7 * number), then=Value(number))
            for number in range(1, times + 1)
        ),
        output_field=IntegerField(),
    )
    rows = _unclaimed(rows.annotate(week=week), Kind.OVERDUE, _text(*_round("/week-", F("week"))))
    for enrolment in _batches(rows.select_related("user", "course")):
        yield Due(
            user=enrolment.user,
            kind=Kind.OVERDUE,
            occasion=enrolment.occasion,
            context=_course_context(enrolment, due_on=enrolment.due_on, week=enrolment.week),
        )


def due_certificate_expiring(*, today: date, user_ids=None) -> Iterator[Due]:
    """Once per threshold of NOTIFY_CERTIFICATE_DAYS and certificate; the smallest that applies."""
    days = settings.NOTIFY_CERTIFICATE_DAYS
    rows = Certificate.objects.valid_on(today).filter(
        valid_until__lte=today + timedelta(days=max(days)),
        user__is_active=True,
        course__live=True,
    )
    rows = _unclaimed(
        _for(rows, user_ids).annotate(threshold=_threshold("valid_until", today, days)),
        Kind.CERTIFICATE_EXPIRING,
        _text("certificate-", F("pk"), "/days-", F("threshold")),
    )
    for certificate in _batches(rows.select_related("user", "course")):
        yield Due(
            user=certificate.user,
            kind=Kind.CERTIFICATE_EXPIRING,
            occasion=certificate.occasion,
            context=item_context(certificate.course, valid_until=certificate.valid_until),
        )


def iso_week(day: date) -> str:
    """The ISO week of a day, as in "2026-W48"."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def overdue_enrolments(*, today: date) -> QuerySet[Enrolment]:
    return open_assigned_enrolments().filter(overdue_q(today))


def due_hr_digests(*, today: date, user_ids=None) -> Iterator[Due]:
    """Once per ISO week to each HR coordinator with anyone overdue in their scope.

    Three queries per coordinator who is still waiting for this week's overview; coordinators
    are few, and those who got it are left out by the first query.
    """
    week = iso_week(today)
    overdue = overdue_enrolments(today=today)
    if not overdue.exists():
        return
    coordinators = User.objects.filter(is_active=True, groups__name=ROLE_GROUP_NAMES[Role.HR])
    coordinators = _unclaimed(
        _for(coordinators, user_ids, user_field="pk"), Kind.HR_DIGEST, Value(week), "pk"
    )
    limit = settings.NOTIFY_DIGEST_NAMES
    courses_overdue = Subquery(
        overdue.filter(user_id=OuterRef("pk"))
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )
    report_url = public_url(COMPLIANCE_REPORT_PATH)
    for coordinator in _batches(coordinators):
        people = people_visible_to(user=coordinator).filter(
            Exists(overdue.filter(user_id=OuterRef("pk")))
        )
        total = people.count()
        if not total:
            continue
        shown = [
            {
                "name": person.get_full_name() or person.email,
                "authority": person.authority.abbreviation if person.authority_id else "",
                "courses_overdue": person.courses_overdue,
            }
            for person in people.select_related("authority")
            .annotate(courses_overdue=courses_overdue)
            .order_by("last_name", "first_name", "pk")[:limit]
        ]
        year, number, _weekday = today.isocalendar()
        yield Due(
            user=coordinator,
            kind=Kind.HR_DIGEST,
            occasion=week,
            context={
                "people": shown,
                "total": total,
                "more": total - len(shown),
                "week": f"{number}/{year}",
                "report_url": report_url,
            },
        )
