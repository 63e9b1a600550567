"""Course completions queue their certificate once the completion is committed."""

from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.utils.functional import empty

from courses.signals import course_completed


def _queue(enrolment_id: int, completed_at: str):
    def queue_certificate():
        from .tasks import certificate_issue

        certificate_issue.delay(enrolment_id, completed_at)

    return queue_certificate


@receiver(course_completed)
def issue_certificate_after_commit(sender, enrolment, **kwargs):
    if enrolment.course.certificate_template_id is None:
        return
    # robust: with the broker down the learner's completion still stands; the periodic
    # reconciliation issues the certificate once the broker is back.
    transaction.on_commit(_queue(enrolment.pk, enrolment.completed_at.isoformat()), robust=True)


@receiver(setting_changed)
def use_changed_storage(setting, **kwargs):
    if setting == "STORAGES":
        from .models.certificates import PRIVATE_STORAGE

        PRIVATE_STORAGE._wrapped = empty
