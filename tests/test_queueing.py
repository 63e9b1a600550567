"""Work queued after the commit (lms.queueing): never for rows a rollback took back."""

import logging

import pytest
from django.db import transaction

from lms.queueing import queue_after_commit


class Task:
    """Stands in for a Celery task: what `delay` was given."""

    name = "lms.tests.build"

    def __init__(self, *, broker_down=False):
        self.queued = []
        self.broker_down = broker_down

    def delay(self, *args, **kwargs):
        if self.broker_down:
            raise ConnectionError("broker unreachable")
        self.queued.append((args, kwargs))


@pytest.mark.django_db
def test_a_task_is_queued_once_the_transaction_commits(django_capture_on_commit_callbacks):
    task = Task()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_after_commit(task, 7, "2026-01-01", robust=True)
        assert task.queued == []

    for callback in callbacks:
        callback()

    assert task.queued == [((7, "2026-01-01"), {})]


@pytest.mark.django_db
def test_nothing_is_queued_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    task = Task()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue_after_commit(task, 7)
        raise RuntimeError("the request failed")

    assert callbacks == []
    assert task.queued == []


@pytest.mark.django_db
def test_a_robust_task_that_cannot_be_queued_leaves_the_commit_and_names_the_task(
    caplog, django_capture_on_commit_callbacks
):
    task = Task(broker_down=True)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        queue_after_commit(task, 7, robust=True)

    assert "lms.tests.build.delay in on_commit()" in caplog.text


@pytest.mark.django_db
def test_a_plain_function_runs_after_the_commit_in_this_process(
    django_capture_on_commit_callbacks,
):
    calls = []

    def refresh(*, course_id):
        calls.append(course_id)

    with django_capture_on_commit_callbacks(execute=True):
        queue_after_commit(refresh, course_id=3)
        assert calls == []

    assert calls == [3]
