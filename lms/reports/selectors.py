"""Reads for HR and compliance reports. Every report starts from the viewer's scope.

The scope is a query (`people_visible_to`, `authorities_visible_to`), never a template
condition: what a coordinator may not see is not fetched at all.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate
from certificates.models.certificates import status_of
from courses.models import CoursePage, Enrolment, LessonProgress, ProgressEvent, QuizAttempt
from courses.quizzes.selectors import EPOCH
from courses.selectors import overdue_q
from lms.people.models import Authority, User
from lms.people.roles import Role
from lms.people.selectors import (
    authorities_visible_to,
    people_visible_q,
    people_visible_to,
    user_roles,
)
from lms.privacy.retention import retention_deleted_before

# Where a participation stands; the four are exclusive and add up to all participations.
# "Overdue" wins over "not started" and "in progress": a due date has passed. "Not started"
# means nothing done in the current round: no progress, no lesson opened, no quiz attempt.
STATUS_NOT_STARTED = "not_started"
STATUS_IN_PROGRESS = "in_progress"
STATUS_OVERDUE = "overdue"
STATUS_COMPLETED = "completed"
STATUS_CHOICES = [
    (STATUS_NOT_STARTED, _("Not started")),
    (STATUS_IN_PROGRESS, _("In progress")),
    (STATUS_OVERDUE, _("Overdue")),
    (STATUS_COMPLETED, _("Completed")),
]
STATUS_LABELS = dict(STATUS_CHOICES)


@dataclass(frozen=True)
class ReportFilters:
    """What a report is narrowed to; the views build it from their filter forms."""

    course: CoursePage | None = None
    authority: Authority | None = None
    mandatory_only: bool = True
    due_from: datetime.date | None = None
    due_to: datetime.date | None = None
    status: str | None = None


def is_centre_admin(user) -> bool:
    return Role.CENTRE_ADMIN in user_roles(user=user)


def report_authorities(*, viewer, within: Authority | None = None) -> QuerySet[Authority]:
    """The authorities a report may show the viewer, in tree order; `within` narrows to a subtree
    (an authority outside the scope gives none)."""
    authorities = authorities_visible_to(user=viewer)
    if within is not None:
        path = Authority.objects.filter(pk=within.pk).values_list("path", flat=True).first()
        authorities = authorities.filter(path__startswith=path) if path else authorities.none()
    return authorities.order_by("path")


def _started() -> Q:
    """The participation has begun in its current round: some progress, a lesson opened or a
    quiz attempt started since the round began (a renewal starts again from nothing)."""
    since = Coalesce(OuterRef("round_started_at"), Value(EPOCH))
    lesson_opened = LessonProgress.objects.filter(enrolment=OuterRef("pk"), opened_at__gte=since)
    quiz_taken = QuizAttempt.objects.filter(
        user=OuterRef("user_id"),
        quiz__path__startswith=OuterRef("course__path"),
        started_at__gte=since,
    )
    return Q(progress_percent__gt=0) | Exists(lesson_opened) | Exists(quiz_taken)


def participations_in_scope(*, viewer, filters: ReportFilters, today=None) -> QuerySet[Enrolment]:
    """Enrolments of people the viewer may see, narrowed by the filters."""
    today = today or timezone.localdate()
    if filters.authority is not None:
        enrolments = Enrolment.objects.filter(
            user__authority__in=report_authorities(viewer=viewer, within=filters.authority)
        )
    else:
        enrolments = Enrolment.objects.filter(people_visible_q(user=viewer, person="user"))
    if filters.course is not None:
        enrolments = enrolments.filter(course=filters.course)
    if filters.mandatory_only:
        enrolments = enrolments.exclude(source=Enrolment.Source.SELF)
    if filters.due_from is not None:
        enrolments = enrolments.filter(due_on__gte=filters.due_from)
    if filters.due_to is not None:
        enrolments = enrolments.filter(due_on__lte=filters.due_to)
    if filters.status == STATUS_COMPLETED:
        enrolments = enrolments.filter(completed_at__isnull=False)
    elif filters.status == STATUS_OVERDUE:
        enrolments = enrolments.filter(overdue_q(today))
    elif filters.status == STATUS_IN_PROGRESS:
        enrolments = (
            enrolments.filter(completed_at__isnull=True)
            .exclude(overdue_q(today))
            .filter(_started())
        )
    elif filters.status == STATUS_NOT_STARTED:
        enrolments = (
            enrolments.filter(completed_at__isnull=True)
            .exclude(overdue_q(today))
            .exclude(_started())
        )
    return enrolments


# Completion by authority


@dataclass
class Counts:
    total: int = 0
    completed: int = 0
    overdue: int = 0
    # Not completed, not overdue, nothing done yet; "in progress" is the rest.
    not_started: int = 0

    @property
    def in_progress(self) -> int:
        return self.total - self.completed - self.overdue - self.not_started

    @property
    def rate(self) -> Decimal | None:
        """Completion rate in per cent, one decimal; None when nobody takes part."""
        if not self.total:
            return None
        return (Decimal(100 * self.completed) / self.total).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    def add(self, other: "Counts") -> None:
        self.total += other.total
        self.completed += other.completed
        self.overdue += other.overdue
        self.not_started += other.not_started


@dataclass
class CompletionRow:
    """One node of the organisation with the figures of its whole subtree."""

    authority_id: int | None
    name: str
    abbreviation: str
    level: int
    counts: Counts = field(default_factory=Counts)
    # The node's own people only, without the units below it.
    own: Counts = field(default_factory=Counts)
    path: str = ""
    # The node has no ancestor in the report (a top node of the viewer's scope).
    is_top: bool = False

    @property
    def label(self) -> str:
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name


UNASSIGNED_LABEL = _("Not assigned to any authority")


def _counts_by_authority(enrolments: QuerySet[Enrolment], today) -> dict[int | None, Counts]:
    """One GROUP BY over the enrolments: the whole cost of the report."""
    open_not_due = Q(completed_at__isnull=True) & ~overdue_q(today)
    grouped = (
        enrolments.order_by()
        .values_list("user__authority_id")
        .annotate(
            total=Count("pk"),
            completed=Count("pk", filter=Q(completed_at__isnull=False)),
            overdue=Count("pk", filter=overdue_q(today)),
            not_started=Count("pk", filter=open_not_due & ~_started()),
        )
    )
    return {authority_id: Counts(t, c, o, n) for authority_id, t, c, o, n in grouped}


def _roll_up(
    authorities: Iterable[tuple[int, str, str, str, int]],
    counts: dict[int | None, Counts],
    *,
    with_unassigned: bool,
) -> list[CompletionRow]:
    """Tree rows with each node's figures summed over its subtree (paths are prefixes)."""
    nodes = list(authorities)
    rows: list[CompletionRow] = []
    by_path: dict[str, CompletionRow] = {}
    top = min((depth for *_rest, depth in nodes), default=1)
    step = Authority.steplen
    for pk, path, name, abbreviation, depth in nodes:
        row = CompletionRow(pk, name, abbreviation, depth - top, path=path)
        row.is_top = not any(path[:end] in by_path for end in range(step, len(path), step))
        rows.append(row)
        by_path[path] = row
    for pk, path, *_rest in nodes:
        own = counts.get(pk)
        if own is None:
            continue
        by_path[path].own = own
        for end in range(step, len(path) + 1, step):
            ancestor = by_path.get(path[:end])
            if ancestor is not None:
                ancestor.counts.add(own)
    if with_unassigned and counts.get(None):
        row = CompletionRow(None, str(UNASSIGNED_LABEL), "", 0, counts[None], counts[None])
        rows.append(row)
    return rows


@dataclass
class CompletionReport:
    rows: list[CompletionRow]
    total: Counts
    as_of: datetime.date | None = None
    # For a past day without any figures: the day of the first learning data in scope (None
    # when there is none at all), so the report can say why it shows zeros.
    first_data_on: datetime.date | None = None
    before_any_data: bool = False
    # For a past day before the first day the event log still holds completely (retention
    # deleted older events): that first day; the report then has no figures at all.
    complete_since: datetime.date | None = None
    before_complete_data: bool = False

    def chart_rows(self, limit=30) -> list[CompletionRow]:
        """The rows the bar chart shows: the top nodes of the scope, or the nodes right below
        a single top node."""
        tops = [row for row in self.rows if row.is_top]
        if len(tops) == 1:
            parent = tops[0].path
            step = Authority.steplen
            shown = [
                row
                for row in self.rows
                if row.path.startswith(parent) and len(row.path) == len(parent) + step
            ]
        else:
            shown = tops
        return [row for row in shown if row.counts.total][:limit]


def completion_by_authority(
    *, viewer, filters: ReportFilters, as_of: datetime.date | None = None, today=None
) -> CompletionReport:
    """Assigned, in progress, completed, overdue and completion rate per node of the viewer's
    part of the organisation, each summed over its subtree.

    With `as_of`, the figures are those at the end of that day, replayed from the progress
    event log (see `_counts_as_of`); for a day before `progress_events_complete_since()` there
    are none (`before_complete_data`).
    """
    today = today or timezone.localdate()
    if as_of is not None:
        complete_since = progress_events_complete_since()
        if complete_since is not None and as_of < complete_since:
            # Replaying what is left would give figures that look right and are not.
            return CompletionReport(
                rows=[],
                total=Counts(),
                as_of=as_of,
                complete_since=complete_since,
                before_complete_data=True,
            )
    authorities = report_authorities(viewer=viewer, within=filters.authority).values_list(
        "pk", "path", "name", "abbreviation", "depth"
    )
    if as_of is not None:
        counts = _counts_as_of(viewer=viewer, filters=filters, day=as_of)
    else:
        counts = _counts_by_authority(
            participations_in_scope(viewer=viewer, filters=filters, today=today), today
        )
    # People outside the authority tree are counted only where the scope lets the viewer see
    # them (people_visible_q); they get a row of their own.
    with_unassigned = filters.authority is None
    rows = _roll_up(authorities, counts, with_unassigned=with_unassigned)
    total = Counts()
    for authority_id, figures in counts.items():
        if authority_id is None and not with_unassigned:
            continue
        total.add(figures)
    report = CompletionReport(rows=rows, total=total, as_of=as_of)
    if as_of is not None and not total.total:
        report.first_data_on = first_learning_data_on(viewer=viewer, filters=filters)
        report.before_any_data = report.first_data_on is None or as_of < report.first_data_on
    return report


def progress_events_complete_since() -> datetime.date | None:
    """The first day whose figures the progress event log can still replay: the retention job
    has deleted the events before it (lms.privacy.retention). None while it has deleted none;
    the configured period alone deletes nothing."""
    deleted_before = retention_deleted_before(model=ProgressEvent)
    if deleted_before is None:
        return None
    local = timezone.localtime(deleted_before)
    # A day is complete only if none of its events can be gone.
    if local.time() == datetime.time():
        return local.date()
    return local.date() + datetime.timedelta(days=1)


def first_learning_data_on(*, viewer, filters: ReportFilters) -> datetime.date | None:
    """The local day of the first enrolment or assignment the viewer's report could count."""
    events = ProgressEvent.objects.filter(kind__in=_STATE_KINDS)
    if filters.course is not None:
        events = events.filter(course=filters.course)
    if filters.authority is not None or not is_centre_admin(viewer):
        events = events.filter(
            authority__in=report_authorities(viewer=viewer, within=filters.authority)
        )
    first = events.order_by().aggregate(first=Min("occurred_at"))["first"]
    return timezone.localdate(first) if first is not None else None


_STATE_KINDS = [
    ProgressEvent.Kind.ENROLLED,
    ProgressEvent.Kind.ASSIGNED,
    ProgressEvent.Kind.COURSE_COMPLETED,
    ProgressEvent.Kind.DROPPED,
]
# Something done in the course: the participation has started (until a renewal).
_ACTIVITY_KINDS = [
    ProgressEvent.Kind.LESSON_OPENED,
    ProgressEvent.Kind.LESSON_COMPLETED,
    ProgressEvent.Kind.QUIZ_SUBMITTED,
]
# Changes to an assignment that stands (courses.assignments.services): a new due date from
# that moment on, or the assignment withdrawn while the person keeps the course as their own.
_CHANGE_KINDS = [
    ProgressEvent.Kind.DUE_CHANGED,
    ProgressEvent.Kind.UNASSIGNED,
]


def _end_of(day: datetime.date) -> datetime.datetime:
    midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(midnight)


def _counts_as_of(*, viewer, filters: ReportFilters, day: datetime.date) -> dict:
    """Figures at the end of `day`, from the append-only event log.

    Each person and course is replayed in order: enrolled or assigned starts (or, after a
    completion, renews) a participation, completed ends it, dropped removes it (also when a
    withdrawn assignment removes it). The due date is the one of the last assignment or due date
    change (a new date for everyone, or one person's extension); unassigned makes it the person's
    own course without a due date. The authority is where the person belonged at their last
    event up to that day, which is what the log records. Scope and the authority filter apply
    to that authority, so a coordinator sees who belonged to their part of the organisation then.
    """
    events = ProgressEvent.objects.filter(
        kind__in=_STATE_KINDS + _ACTIVITY_KINDS + _CHANGE_KINDS, occurred_at__lt=_end_of(day)
    )
    if filters.course is not None:
        events = events.filter(course=filters.course)
    scoped = filters.authority is not None or not is_centre_admin(viewer)
    in_scope = None
    if scoped:
        in_scope = set(
            report_authorities(viewer=viewer, within=filters.authority).values_list("pk", flat=True)
        )
        # Each person's whole history is replayed (they may have moved in or out of the
        # scope); the scope applies to where the replay leaves them.
        people = events.filter(authority__in=in_scope).values("user_id")
        events = events.filter(user_id__in=people)
    events = events.order_by("user_id", "course_id", "occurred_at", "pk").values_list(
        "user_id", "course_id", "authority_id", "kind", "data"
    )
    states: dict[tuple[int, int], list] = {}
    for user_id, course_id, authority_id, kind, data in events.iterator(chunk_size=5000):
        key = (user_id, course_id)
        # [started, assigned, due on, completed, authority]
        state = states.get(key)
        if kind == ProgressEvent.Kind.DROPPED:
            states.pop(key, None)
            continue
        if kind in _ACTIVITY_KINDS:
            if state is not None:
                state[0] = True
            continue
        if kind in _CHANGE_KINDS:
            # A change only alters a participation the log knows of.
            if state is not None:
                if authority_id is not None:
                    state[4] = authority_id
                if kind == ProgressEvent.Kind.DUE_CHANGED:
                    state[2] = (data or {}).get("due_on") or state[2]
                else:
                    state[1], state[2] = False, None
            continue
        if state is None:
            state = states[key] = [False, False, None, False, authority_id]
        if authority_id is not None:
            state[4] = authority_id
        if kind == ProgressEvent.Kind.ASSIGNED:
            state[1] = True
            state[2] = (data or {}).get("due_on") or state[2]
            if (data or {}).get("renewal"):
                state[0] = state[3] = False
        elif kind == ProgressEvent.Kind.COURSE_COMPLETED:
            state[3] = True
    counts: dict[int | None, Counts] = {}
    for started, assigned, due_on, completed, authority_id in states.values():
        if filters.mandatory_only and not assigned:
            continue
        if in_scope is not None and authority_id not in in_scope:
            continue
        due = _parse_day(due_on)
        if filters.due_from and (due is None or due < filters.due_from):
            continue
        if filters.due_to and (due is None or due > filters.due_to):
            continue
        figures = counts.setdefault(authority_id, Counts())
        figures.total += 1
        if completed:
            figures.completed += 1
        elif due is not None and due < day:
            figures.overdue += 1
        elif not started:
            figures.not_started += 1
    return counts


def _parse_day(value) -> datetime.date | None:
    if not value or value == "None":
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


# Participations of one course (or all), with quiz and certificate figures


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


# Compliance


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


# A person's learning record


@dataclass
class PersonRecord:
    person: User
    enrolments: list
    attempts: list
    certificates: list


def person_in_scope(*, viewer, person_id: int) -> User:
    """The person, if the viewer may see them; 404 otherwise (no hint that they exist)."""
    return get_object_or_404(
        people_visible_to(user=viewer).select_related("authority"), pk=person_id
    )


def person_record(*, viewer, person_id: int, today=None) -> PersonRecord:
    today = today or timezone.localdate()
    person = person_in_scope(viewer=viewer, person_id=person_id)
    enrolments = list(
        Enrolment.objects.filter(user=person)
        .annotate(started=ExpressionWrapper(_started(), output_field=BooleanField()))
        .select_related("course")
        .order_by("course__title", "pk")
    )
    for enrolment in enrolments:
        enrolment.report_status = participation_status(enrolment, today)
    attempts = list(
        QuizAttempt.objects.filter(user=person)
        .exclude(status=QuizAttempt.Status.OPEN)
        .select_related("quiz")
        .order_by("quiz__title", "number")
    )
    _attach_courses(attempts)
    attempts.sort(key=lambda a: (a.course.title if a.course else "", a.quiz.title, a.number))
    certificates = list(
        Certificate.objects.filter(user=person)
        .select_related("course", "replaced_by")
        .order_by("-completed_at", "-pk")
    )
    return PersonRecord(person, enrolments, attempts, certificates)


def _attach_courses(attempts: list) -> None:
    """Set `attempt.course`: the course the quiz belongs to (its nearest course ancestor), for
    all attempts in one query; quizzes of the same title in several courses stay apart."""
    step = CoursePage.steplen
    prefixes = {
        attempt.quiz.path[:end]
        for attempt in attempts
        for end in range(step, len(attempt.quiz.path), step)
    }
    courses = {page.path: page for page in CoursePage.objects.filter(path__in=prefixes)}
    for attempt in attempts:
        path = attempt.quiz.path
        attempt.course = next(
            (
                courses[path[:end]]
                for end in range(len(path) - step, 0, -step)
                if path[:end] in courses
            ),
            None,
        )


def report_courses() -> QuerySet[CoursePage]:
    """Courses a report may be narrowed to: live ones and any with participants.

    EXISTS, not a join: a join with millions of enrolments and DISTINCT would cost the report
    page more than its figures do.
    """
    has_participants = Exists(Enrolment.objects.filter(course=OuterRef("pk")))
    return CoursePage.objects.filter(Q(live=True) | has_participants).order_by("title")
