"""Sending notifications at most once: claim, send, record (docs/decisions/0009).

`notifications_send_due` sends whatever is due (lms.notifications.selectors, one function per
kind). Every e-mail goes through `notification_send`: its row is inserted and committed before
the e-mail leaves, so a second sweep running at the same time, or a later one after a crash,
finds the occasion taken and sends nothing. The price is that an e-mail whose process dies after
the claim is never sent again; `notifications_report_stuck` logs those.

Call these outside a transaction (the Celery tasks do): the claim must be committed before the
e-mail is handed over.
"""

import logging
import time
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import selectors
from .emails import email_build
from .models import Notification
from .selectors import Due

logger = logging.getLogger(__name__)

Status = Notification.Status

# One function per kind, in the order a person should read them.
KINDS = (
    selectors.due_assigned,
    selectors.due_soon,
    selectors.due_overdue,
    selectors.due_certificate_expiring,
    selectors.due_hr_digests,
)
# A claim this old without "sent" belongs to a process that died: no sweep runs that long
# (NOTIFY_SWEEP_SECONDS, the task's time limit).
STUCK_AFTER = timedelta(hours=1)
# How often beat runs the sweep (CELERY_BEAT_SCHEDULE): each claim is reported about once.
STUCK_REPORT_WINDOW = timedelta(minutes=15)


class _Outbox:
    """One connection to the mail server per sweep, opened for the first e-mail; after an error
    the next e-mail opens a new one."""

    def __init__(self):
        self._connection = None

    def send(self, message) -> None:
        if self._connection is None:
            self._connection = get_connection()
            self._connection.open()
        message.connection = self._connection
        try:
            message.send()
        except Exception:
            self._drop()
            raise

    def _drop(self):
        connection, self._connection = self._connection, None
        try:
            connection.close()
        except Exception:
            logger.warning("Closing the broken mail server connection failed", exc_info=True)

    def close(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            connection.close()


def notification_claim(*, due: Due, language: str, subject: str) -> Notification | None:
    """The row for this occasion, written and committed as "sending"; None if it is taken.

    A new occasion is claimed by its INSERT (the unique constraint admits one). A failed one is
    taken over by one conditional UPDATE from "failed" to "sending", which one process wins.
    """
    now = timezone.now()
    try:
        with transaction.atomic():
            return Notification.objects.create(
                user=due.user,
                kind=due.kind,
                occasion=due.occasion,
                language=language,
                subject=subject,
                status=Status.SENDING,
                created_at=now,
            )
    except IntegrityError:
        pass  # sent, being sent, or failed: only the last may be taken over
    row = Notification.objects.filter(
        user=due.user, kind=due.kind, occasion=due.occasion, status=Status.FAILED
    )
    # created_at becomes the time of this claim, which the report of stuck claims reads.
    if not row.update(status=Status.SENDING, language=language, subject=subject, created_at=now):
        return None
    return Notification.objects.get(user=due.user, kind=due.kind, occasion=due.occasion)


def notification_send(*, due: Due, outbox: _Outbox | None = None) -> bool:
    """Send one notification unless someone has (or is sending) it; True if this call sent it."""
    message, language = email_build(due=due)
    notification = notification_claim(due=due, language=language, subject=message.subject)
    if notification is None:
        return False
    own_outbox = outbox is None
    outbox = outbox or _Outbox()
    try:
        outbox.send(message)
    except Exception:
        # Not handed over: it may go out on a later sweep.
        logger.exception("Notification %s could not be sent; it is tried again", notification.pk)
        Notification.objects.filter(pk=notification.pk).update(status=Status.FAILED)
        return False
    finally:
        if own_outbox:
            outbox.close()
    # Should this fail (or the process die first), the row stays "sending": never resent.
    Notification.objects.filter(pk=notification.pk).update(
        status=Status.SENT, sent_at=timezone.now()
    )
    return True


def notifications_send_due(*, today: date | None = None, user_ids=None) -> int:
    """Send every notification that is due and not yet sent; returns how many were sent.

    `user_ids` limits the sweep to these people (right after an assignment). Safe to run twice
    and concurrently. A sweep stops taking up new e-mails after NOTIFY_SWEEP_SECONDS; the next
    one goes on where it stopped. One e-mail that cannot be built or sent is logged and does not
    hold up the others.
    """
    today = today or timezone.localdate()
    deadline = time.monotonic() + settings.NOTIFY_SWEEP_SECONDS
    sent = 0
    outbox = _Outbox()
    try:
        for source in KINDS:
            for due in source(today=today, user_ids=user_ids):
                if time.monotonic() > deadline:
                    logger.info("Notification sweep out of time after %s e-mails", sent)
                    return sent
                try:
                    sent += notification_send(due=due, outbox=outbox)
                except Exception:
                    # Not sent (or sent and not recorded, then never again); the others go on.
                    logger.exception(
                        "Notification %s %s to person %s failed",
                        due.kind,
                        due.occasion,
                        due.user.pk,
                    )
    finally:
        outbox.close()
    return sent


def notifications_report_stuck(*, now=None) -> int:
    """Log the claims that became stuck since the previous sweep: e-mails whose process died
    between claiming and recording them. They may or may not have arrived, and are not resent.
    Returns how many were logged."""
    newest = (now or timezone.now()) - STUCK_AFTER
    stuck = Notification.objects.filter(
        status=Status.SENDING,
        created_at__lte=newest,
        created_at__gt=newest - STUCK_REPORT_WINDOW,
    ).order_by("created_at", "pk")
    count = 0
    for pk, user_id, kind, occasion, created_at in stuck.values_list(
        "pk", "user_id", "kind", "occasion", "created_at"
    ):
        logger.error(
            "Notification %s (%s %s to person %s), claimed at %s, was never recorded as sent: "
            "the process died while sending it. It may or may not have arrived and is not "
            "sent again.",
            pk,
            kind,
            occasion,
            user_id,
            created_at.isoformat(),
        )
        count += 1
    return count
