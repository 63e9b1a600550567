"""Issuing through the real broker and a real Celery worker (CI's PostgreSQL + Redis run)."""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker

from certificates.models import Certificate
from certificates.tasks import certificate_issue
from lms.celery import app
from tests.certificates.conftest import complete

pytestmark = [
    # Committed data, which the worker's own connection can read. Serialized rollback like the
    # other transactional tests (tests/courses/quizzes/test_concurrency.py): a plain flush
    # would recreate content types under new ids, which their restore then collides with.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not os.environ.get("CELERY_BROKER_URL"),
        reason="needs a broker: set CELERY_BROKER_URL (CI's PostgreSQL + Redis run does)",
    ),
]


@pytest.fixture
def worker():
    app.conf.task_always_eager = False
    app.control.purge()
    try:
        with start_worker(app, perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        app.conf.task_always_eager = True


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_a_completion_is_issued_once_by_the_worker_even_when_delivered_twice(
    learner, certified_course, worker
):
    enrolment = complete(learner, certified_course)  # queues the task on commit
    certificate_issue.delay(enrolment.pk, enrolment.completed_at.isoformat())  # and again

    assert wait_for(lambda: Certificate.objects.filter(sha256__gt="").exists())
    time.sleep(2)  # let the second delivery run to its end
    certificate = Certificate.objects.get()
    assert certificate.enrolment_id == enrolment.pk
    assert certificate.status() == Certificate.Status.VALID
