"""Reminding overdue people at once, when their coordinator asks for it in the admin.

The reminder is the ordinary overdue e-mail, for the occasion "…/reminder-<day>": the unique
constraint of Notification lets each person get it at most once per course, round and day,
however often the button is pressed or the task runs.
"""

from datetime import date

from django.utils import timezone

from courses.models import Enrolment
from courses.selectors import overdue_q

from .models import CLAIMED, Notification
from .selectors import Due, _course_context

KIND = Notification.Kind.OVERDUE


def reminder_occasion(enrolment: Enrolment, today: date) -> str:
    started = enrolment.round_started_at
    round_key = int(started.timestamp()) if started else 0
    return f"course-{enrolment.course_id}/round-{round_key}/reminder-{today.isoformat()}"


def overdue_reminders_pending(*, enrolments, today: date | None = None) -> list[Enrolment]:
    """Those of the (overdue) enrolments whose person has not been reminded of them today."""
    today = today or timezone.localdate()
    rows = list(enrolments.select_related("user", "course").order_by("pk"))
    taken = set(
        Notification.objects.filter(
            kind=KIND,
            status__in=CLAIMED,
            user_id__in={row.user_id for row in rows},
            occasion__endswith=f"/reminder-{today.isoformat()}",
        ).values_list("user_id", "occasion")
    )
    return [row for row in rows if (row.user_id, reminder_occasion(row, today)) not in taken]


def overdue_reminders_send(*, enrolment_ids, today: date | None = None) -> int:
    """Send today's reminder for each of these enrolments that is still overdue and was not
    reminded today; returns how many e-mails were sent. Call outside a transaction (the task
    does): each e-mail's claim is committed before it leaves (lms.notifications.services)."""
    from .services import notification_send

    today = today or timezone.localdate()
    still_overdue = Enrolment.objects.filter(
        overdue_q(today), pk__in=list(enrolment_ids), user__is_active=True, course__live=True
    ).exclude(source=Enrolment.Source.SELF)
    sent = 0
    for enrolment in overdue_reminders_pending(enrolments=still_overdue, today=today):
        due = Due(
            user=enrolment.user,
            kind=KIND,
            occasion=reminder_occasion(enrolment, today),
            context=_course_context(enrolment, due_on=enrolment.due_on),
        )
        sent += notification_send(due=due)
    return sent
