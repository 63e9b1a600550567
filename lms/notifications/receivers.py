"""A committed assignment queues the notifications of its person."""

from django.db import transaction
from django.dispatch import receiver

from courses.signals import course_assigned


def _queue(user_id: int):
    def queue_notifications():
        from .tasks import notifications_send_to

        notifications_send_to.delay(user_id)

    return queue_notifications


@receiver(course_assigned)
def notify_after_commit(sender, enrolment, **kwargs):
    # robust: with the broker down the assignment still stands; the periodic sweep sends the
    # e-mail within 15 minutes of the broker being back.
    transaction.on_commit(_queue(enrolment.user_id), robust=True)
