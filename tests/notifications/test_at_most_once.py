"""Each notification goes out at most once: sweeps repeated, failing mail servers, dying
processes, and a sweep's cost that does not grow with the number of people."""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Enrolment
from lms.notifications import services
from lms.notifications.models import Notification
from tests.factories import UserFactory
from tests.notifications.backends import ProcessDied
from tests.notifications.conftest import assign, days, inbox, subjects, sweep


def test_running_the_sweep_twice_sends_once(anna, james, mandatory_course):
    assign(anna, mandatory_course, days(3))
    assign(james, mandatory_course, days(-1))

    first = sweep()
    second = sweep()

    assert (first, second) == (4, 0)
    assert len(mail.outbox) == 4
    assert len(inbox(anna)) == 2 and len(inbox(james)) == 2
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_a_refused_email_is_recorded_as_failed_and_sent_by_a_later_sweep(
    james, mandatory_course, settings, caplog
):
    assign(james, mandatory_course, days(30))
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingBackend"

    assert sweep() == 0
    assert Notification.objects.get(user=james).status == "failed"
    assert "could not be sent" in caplog.text

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert sweep() == 1
    assert sweep() == 0
    assert subjects(james) == ["Mandatory course assigned: Informationssicherheit am Arbeitsplatz"]
    notification = Notification.objects.get(user=james)
    assert (notification.status, notification.sent_at is not None) == ("sent", True)


def test_one_refused_email_does_not_hold_up_the_others(anna, james, mandatory_course, settings):
    assign(anna, mandatory_course, days(30))
    assign(james, mandatory_course, days(30))
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingBackend"
    sweep()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    assert sweep() == 2


def test_an_email_whose_process_died_while_sending_is_not_sent_again(
    james, mandatory_course, settings
):
    assign(james, mandatory_course, days(30))
    settings.EMAIL_BACKEND = "tests.notifications.backends.DyingBackend"
    with pytest.raises(ProcessDied):
        sweep()
    assert len(inbox(james)) == 1  # it did go out
    assert Notification.objects.get(user=james).status == "sending"

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert sweep() == 0
    assert sweep(on=days(1)) == 0
    assert len(inbox(james)) == 1


def test_a_claim_left_sending_is_logged_once_as_an_error(james, mandatory_course, settings, caplog):
    assign(james, mandatory_course, days(30))
    settings.EMAIL_BACKEND = "tests.notifications.backends.DyingBackend"
    with pytest.raises(ProcessDied):
        sweep()
    claimed_at = Notification.objects.get(user=james).created_at

    with caplog.at_level(logging.ERROR, logger="lms.notifications"):
        assert services.notifications_report_stuck(now=claimed_at + timedelta(minutes=5)) == 0
        reported = services.notifications_report_stuck(
            now=claimed_at + services.STUCK_AFTER + timedelta(minutes=1)
        )
        later = services.notifications_report_stuck(
            now=claimed_at + services.STUCK_AFTER + timedelta(minutes=16)
        )

    assert (reported, later) == (1, 0)
    [record] = caplog.records
    assert record.levelno == logging.ERROR
    assert "never recorded as sent" in record.getMessage()
    assert "course-" in record.getMessage()


def test_a_sweep_limited_to_one_person_sends_only_theirs(anna, james, mandatory_course):
    assign(anna, mandatory_course, days(30))
    assign(james, mandatory_course, days(30))

    assert services.notifications_send_due(user_ids=[james.pk]) == 1

    assert len(inbox(james)) == 1 and inbox(anna) == []


def _people_with_open_courses(org, course, count):
    people = [UserFactory(authority=org["hzd"]) for _ in range(count)]
    Enrolment.objects.bulk_create(
        Enrolment(user=p, course=course, source=Enrolment.Source.ASSIGNED, due_on=days(-2))
        for p in people
    )
    return people


def _queries_of_a_sweep_with_nothing_new():
    with CaptureQueriesContext(connection) as context:
        assert sweep() == 0
    return len(context.captured_queries)


def test_a_sweep_with_nothing_new_costs_the_same_for_few_or_many_people(
    org, mandatory_course, hr_finanzen
):
    _people_with_open_courses(org, mandatory_course, 3)
    sweep()
    few = _queries_of_a_sweep_with_nothing_new()

    _people_with_open_courses(org, mandatory_course, 30)
    sweep()
    many = _queries_of_a_sweep_with_nothing_new()

    assert few == many
    assert many <= 10
