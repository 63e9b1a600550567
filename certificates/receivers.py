"""Course completions queue their certificate once the completion is committed."""

from django.dispatch import receiver

from courses.signals import course_completed
from lms.queueing import queue_after_commit

from .tasks import certificate_issue


@receiver(course_completed)
def issue_certificate_after_commit(sender, enrolment, **kwargs):
    if enrolment.course.item_certificate_template_id is None:
        return
    # robust: with the broker down the learner's completion still stands; the periodic
    # reconciliation issues the certificate once the broker is back.
    queue_after_commit(
        certificate_issue, enrolment.pk, enrolment.completed_at.isoformat(), robust=True
    )
