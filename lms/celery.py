"""Celery application. Reliability settings live in lms.settings.base (CELERY_*)."""

import os

from celery import Celery
from kombu.transport import redis as kombu_redis
from redis.exceptions import ConnectionError as RedisConnectionError

# Like wsgi.py: a worker started without settings is a production worker, and fails loudly
# if production's variables are missing.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.production")

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _closed_channels_raise_connection_errors():
    """When Redis goes away while a task runs, the worker must wait for it, not exit.

    Celery 5.7's consumer collects a broken broker connection (the transport forgets its client)
    and then closes it. Closing the channel, or acknowledging a task that was running meanwhile,
    then asks the channel for a new Redis connection, and kombu 5.7 fails there with an
    AttributeError instead of a connection error; Celery takes that for an unrecoverable error
    and the worker exits (bench/faults, docs/decisions/0014-redis-outages.md). As a connection
    error it is what Celery expects: logged, the worker reconnects, the unacknowledged task is
    delivered again after the visibility timeout (tasks are idempotent), and a task lost with an
    emptied Redis is issued by the periodic reconciliation.
    """
    connparams = kombu_redis.Channel._connparams

    def _connparams_of_live_connection(self, asynchronous=False):
        if self.connection is None or self.connection.client is None:
            raise RedisConnectionError("The broker connection of this channel is closed.")
        return connparams(self, asynchronous=asynchronous)

    kombu_redis.Channel._connparams = _connparams_of_live_connection


_closed_channels_raise_connection_errors()
