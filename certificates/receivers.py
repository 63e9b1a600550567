"""Course completions queue their certificate once the completion is committed."""

import logging
from functools import partial

from django.db import transaction
from django.dispatch import receiver

from courses.signals import course_completed

logger = logging.getLogger(__name__)


def _queue(enrolment_id: int, completed_at: str) -> None:
    from .tasks import certificate_issue

    certificate_issue.delay(enrolment_id, completed_at)


@receiver(course_completed)
def issue_certificate_after_commit(sender, enrolment, **kwargs):
    if enrolment.course.certificate_template_id is None:
        return
    # robust: with the broker down the learner's completion still stands; the periodic
    # reconciliation issues the certificate once the broker is back.
    transaction.on_commit(
        partial(_queue, enrolment.pk, enrolment.completed_at.isoformat()), robust=True
    )
