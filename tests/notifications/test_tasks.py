"""The periodic task that beat runs, and the one queued after an assignment."""

from django.conf import settings

from lms.celery import app
from lms.notifications import tasks
from tests.notifications.conftest import assign, days, inbox


def test_beat_runs_the_sweep_every_15_minutes():
    app.loader.import_default_modules()
    [entry] = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "lms.notifications.tasks.notifications_send_due"
    ]
    assert entry["schedule"] == 15 * 60
    task = app.tasks["lms.notifications.tasks.notifications_send_due"]
    # The sweep stops taking up e-mails long before the task's limits could interrupt one.
    assert settings.NOTIFY_SWEEP_SECONDS < task.soft_time_limit < task.time_limit
    assert task.time_limit < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]


def test_the_beat_task_sends_what_is_due(james, mandatory_course):
    assign(james, mandatory_course, days(30))

    assert tasks.notifications_send_due.delay().get() == 1
    assert tasks.notifications_send_due.delay().get() == 0
    assert len(inbox(james)) == 1


def test_the_task_for_one_person_sends_only_theirs(anna, james, mandatory_course):
    assign(anna, mandatory_course, days(30))
    assign(james, mandatory_course, days(30))

    assert tasks.notifications_send_to.delay(james.pk).get() == 1
    assert inbox(anna) == []
