"""The worker outlives a broker outage while a task runs (lms.celery).

The crash depends on timing (Redis must fail while the worker waits in BRPOP with a task
running); `make faults` (bench/faults, redis_down) shows it end to end. This test holds the seam
it goes through: once the worker's consumer has collected a broken connection, a channel that
needs a new Redis connection (to requeue or acknowledge a running task) must fail with an error
Celery treats as a connection error, not with one that stops the worker.
"""

import os

import pytest

from lms.celery import app

pytestmark = pytest.mark.skipif(
    not os.environ.get("CELERY_BROKER_URL"),
    reason="needs a broker: set CELERY_BROKER_URL (CI's PostgreSQL + Redis run does)",
)


def test_a_channel_of_a_collected_broker_connection_fails_with_a_connection_error():
    connection = app.connection_for_write()
    connection_errors = connection.connection_errors
    channel = connection.default_channel

    connection.collect()  # as the worker's consumer does with a connection that broke

    with pytest.raises(connection_errors):
        channel._get_pool()  # what requeueing or acknowledging a running task needs
