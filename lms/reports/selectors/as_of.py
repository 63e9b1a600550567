"""Figures of a past day, replayed from the append-only progress event log, and how far back
the log still holds every event."""

import datetime

from django.db.models import Min
from django.utils import timezone

from courses.models import ProgressEvent
from lms.privacy.retention import retention_deleted_before

from .common import Counts, ReportFilters
from .scope import is_centre_admin, report_authorities


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
