"""Celery tasks: thin, safe to run twice and at the same time (each e-mail is claimed once)."""

from celery import shared_task

from . import services


# Beat runs this every 15 minutes. The sweep stops taking up e-mails after
# NOTIFY_SWEEP_SECONDS, well within these limits, so no limit interrupts an e-mail being sent.
@shared_task(soft_time_limit=840, time_limit=900)
def notifications_send_due() -> int:
    sent = services.notifications_send_due()
    services.notifications_report_stuck()
    return sent


@shared_task
def notifications_send_to(user_id: int) -> int:
    """What is due for one person, right after a course was assigned to them."""
    return services.notifications_send_due(user_ids=[user_id])


@shared_task
def overdue_reminders_send(enrolment_ids: list[int]) -> int:
    """Remind these overdue people now (asked for in the admin); once per course and day."""
    from .reminders import overdue_reminders_send as send

    return send(enrolment_ids=enrolment_ids)
