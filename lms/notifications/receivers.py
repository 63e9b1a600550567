"""A committed assignment queues the notifications of its person."""

from django.dispatch import receiver

from courses.signals import course_assigned
from lms.queueing import queue_after_commit

from .tasks import notifications_send_to


@receiver(course_assigned)
def notify_after_commit(sender, enrolment, **kwargs):
    # robust: with the broker down the assignment still stands; the periodic sweep sends the
    # e-mail within 15 minutes of the broker being back.
    queue_after_commit(notifications_send_to, enrolment.user_id, robust=True)
