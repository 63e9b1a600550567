"""A learner with a certificate (PDF in a temporary private store), a notification and an entry
in the access log; another learner with the same, to prove that nothing of theirs leaks."""

import pytest

from lms.audit.services import audit_record
from lms.notifications.models import Notification
from tests.certificates.conftest import (  # noqa: F401  (fixtures)
    _private_files_in_tmp,
    certificate_template,
    certified_course,
    complete,
)
from tests.courses.conftest import catalog  # noqa: F401  (fixture)
from tests.factories import UserFactory


def learning_person(authority, first, last, number, course, viewer, capture):
    person = UserFactory(
        email=f"{first.lower()}.{last.lower()}@verwaltung.example",
        first_name=first,
        last_name=last,
        personnel_number=number,
        authority=authority,
    )
    with capture(execute=True):
        complete(person, course)
    Notification.objects.create(
        user=person,
        kind=Notification.Kind.ASSIGNED,
        occasion=f"course-{course.pk}",
        language="de",
        subject=f"Pflichtkurs für {first} {last}",
        status=Notification.Status.SENT,
    )
    audit_record(
        actor=viewer,
        action="viewed",
        report="person",
        report_title="Lernnachweis",
        filters={},
        subject=person,
    )
    return person


@pytest.fixture
def anna(org, certified_course, hr_innen, django_capture_on_commit_callbacks):  # noqa: F811
    return learning_person(
        org["rpda"],
        "Annabell",
        "Zaunkoenig",
        "PN-ANNA-1",
        certified_course,
        hr_innen,
        django_capture_on_commit_callbacks,
    )


@pytest.fixture
def bruno(org, certified_course, hr_innen, django_capture_on_commit_callbacks):  # noqa: F811
    return learning_person(
        org["rpda"],
        "Brunhold",
        "Wiedehopf",
        "PN-BRUNO-2",
        certified_course,
        hr_innen,
        django_capture_on_commit_callbacks,
    )
