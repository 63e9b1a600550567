"""A mandatory course, learners who speak German or English, and the sweep, seen from the inbox."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from courses import services as course_services
from courses.models import Enrolment
from lms.notifications.services import notifications_send_due
from tests.courses.conftest import add_course, catalog, lessons_of  # noqa: F401
from tests.factories import EnrolmentFactory, UserFactory


@pytest.fixture
def mandatory_course(catalog):  # noqa: F811
    return add_course(catalog, title="Informationssicherheit am Arbeitsplatz", is_mandatory=True)


@pytest.fixture
def anna(org):
    """Speaks German (the default), works at the Regierungspräsidium Darmstadt (interior)."""
    return UserFactory(
        email="anna.lernt@verwaltung.example",
        first_name="Anna",
        last_name="Lernt",
        authority=org["rpda"],
    )


@pytest.fixture
def james(org):
    """Chose English, works at the data processing centre (finance)."""
    return UserFactory(
        email="james.learns@verwaltung.example",
        first_name="James",
        last_name="Learns",
        preferred_language="en",
        authority=org["hzd"],
    )


def today():
    return timezone.localdate()


def days(n):
    return today() + timedelta(days=n)


def assign(user, course, due_on):
    return EnrolmentFactory(
        user=user, course=course, source=Enrolment.Source.ASSIGNED, due_on=due_on
    )


def finish(user, course):
    """Complete every lesson, and with it the course."""
    for lesson in lessons_of(course):
        enrolment = course_services.lesson_complete(user=user, lesson=lesson)
    assert enrolment.is_complete
    return enrolment


def sweep(on=None):
    """Run the sweep as beat does, on the given day; the number of e-mails it sent."""
    return notifications_send_due(today=on or today())


def inbox(user):
    """The e-mails this person has received so far."""
    return [message for message in mail.outbox if message.to == [user.email]]


def subjects(user):
    return [message.subject for message in inbox(user)]


def html_of(message):
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content
