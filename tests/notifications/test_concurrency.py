"""Sweeps at the same moment and a worker killed while sending, on PostgreSQL.

Beat may fire twice and workers die; each e-mail must still go out at most once. Each thread
has its own database connection and a barrier releases them together. SQLite takes one writer
at a time, so these races only exist, and are only tested, on PostgreSQL.
"""

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, connections

from courses.models import Enrolment
from lms.notifications.models import Notification
from lms.notifications.services import notifications_send_due
from tests.factories import UserFactory
from tests.notifications.conftest import days, inbox, sweep, today

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Concurrent writers need PostgreSQL; SQLite serialises them (set DATABASE_URL).",
    ),
    # Committed data that other connections and processes can see; serialized rollback
    # restores what migrations created (tests/courses/quizzes/test_concurrency.py).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 8


def enrol(people, course, due_on):
    """Assigned enrolments as an import leaves them: without the immediate e-mail of
    `enrolment_create`, so that the sweeps under test are the ones that send."""
    Enrolment.objects.bulk_create(
        Enrolment(user=p, course=course, source=Enrolment.Source.ASSIGNED, due_on=due_on)
        for p in people
    )


def run_together(count, act):
    """Call act() in `count` threads released at the same moment; results and errors."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, [None] * count

    def run(index):
        try:
            barrier.wait(timeout=30)
            results[index] = act()
        except Exception as error:  # surfaced to the test
            errors[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hangs"
    return results, errors


def test_sweeps_running_at_the_same_time_send_each_email_once(org, mandatory_course):
    people = [UserFactory(authority=org["hzd"]) for _ in range(10)]
    enrol(people, mandatory_course, days(3))  # assigned, and due in 3 days: 2 e-mails each

    results, errors = run_together(THREADS, lambda: notifications_send_due(today=today()))

    assert errors == [None] * THREADS
    assert sum(results) == 20
    assert len(mail.outbox) == 20
    assert len({(tuple(m.to), m.subject) for m in mail.outbox}) == 20
    assert Notification.objects.filter(status="sent").count() == 20


def _database_url():
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def sweep_in_own_process(backend, mailbox):
    """Run the sweep as a worker process would, with the given e-mail backend."""
    return subprocess.run(
        [sys.executable, "-m", "tests.notifications.sweep_process", backend, today().isoformat()],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": _database_url(), "NOTIFY_TEST_MAILBOX": str(mailbox)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_worker_killed_between_sending_and_recording_does_not_send_again(
    org, mandatory_course, tmp_path
):
    learner = UserFactory(authority=org["hzd"], preferred_language="en")
    enrol([learner], mandatory_course, days(30))
    mailbox = tmp_path / "mailbox.jsonl"
    backend = "tests.notifications.backends.AppendThenKillBackend"

    killed = sweep_in_own_process(backend, mailbox)

    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert Notification.objects.get(user=learner).status == "sending"

    again = sweep_in_own_process(backend, mailbox)  # would be killed again if it sent
    assert (again.returncode, again.stdout.strip()) == (0, "0"), again.stderr
    assert sweep() == 0
    assert inbox(learner) == []

    delivered = [json.loads(line) for line in Path(mailbox).read_text().splitlines()]
    assert delivered == [
        {
            "to": [learner.email],
            "subject": "Mandatory course assigned: Informationssicherheit am Arbeitsplatz",
        }
    ]
