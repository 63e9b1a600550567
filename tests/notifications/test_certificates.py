"""Holders of a valid certificate hear before it expires; revoked, replaced or expired ones
are not announced."""

from datetime import timedelta

import pytest
from django.utils import formats, translation

from certificates import services as certificate_services
from certificates.models import Certificate
from tests.certificates.conftest import (  # noqa: F401
    _private_files_in_tmp,
    certificate_template,
    certified_course,
    complete,
)
from tests.notifications.conftest import html_of, inbox, sweep

COURSE = "Informationssicherheit am Arbeitsplatz"


@pytest.fixture
def certificate(james, certified_course, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        complete(james, certified_course)
    return Certificate.objects.get()


def expiring(user):
    return [m for m in inbox(user) if m.subject.startswith("Your certificate")]


def test_the_holder_hears_60_and_14_days_before_the_certificate_expires(james, certificate):
    expires = certificate.valid_until
    heard_on = []
    for before in range(70, -3, -1):
        count = len(expiring(james))
        sweep(on=expires - timedelta(days=before))
        if len(expiring(james)) > count:
            heard_on.append(before)

    assert heard_on == [60, 14]
    with translation.override("en"):
        date = formats.date_format(expires, "SHORT_DATE_FORMAT")
    assert {m.subject for m in expiring(james)} == {
        f"Your certificate for “{COURSE}” expires on {date}"
    }


def test_the_email_has_both_parts_the_date_and_the_course_link(
    james,
    certificate,
    certified_course,  # noqa: F811
):
    sweep(on=certificate.valid_until - timedelta(days=30))

    [message] = expiring(james)
    url = f"http://testserver{certified_course.url}"
    assert url in message.body and f'href="{url}"' in html_of(message)
    assert "To renew it, complete the course again before then." in message.body


def test_a_german_holder_reads_the_date_the_german_way(
    anna,
    certified_course,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        complete(anna, certified_course)
    certificate = Certificate.objects.get(user=anna)

    sweep(on=certificate.valid_until - timedelta(days=10))

    [message] = inbox(anna)
    german = certificate.valid_until.strftime("%d.%m.%Y")
    assert german in message.subject and german in message.body and german in html_of(message)


def test_a_revoked_certificate_is_not_announced(james, certificate, centre_admin):
    certificate_services.certificate_revoke(
        certificate=certificate, by=centre_admin, reason="Versehentlich ausgestellt"
    )

    sweep(on=certificate.valid_until - timedelta(days=10))

    assert expiring(james) == []


def test_a_replaced_certificate_is_not_announced_its_successor_is(james, certificate, centre_admin):
    successor = certificate_services.certificate_reissue(certificate=certificate, by=centre_admin)

    sweep(on=certificate.valid_until - timedelta(days=10))

    assert len(expiring(james)) == 1
    assert successor.status() == Certificate.Status.VALID
    occasions = list(james.notifications.values_list("occasion", flat=True))
    assert occasions == [f"certificate-{successor.pk}/days-14"]


def test_an_expired_certificate_is_not_announced(james, certificate):
    sweep(on=certificate.valid_until + timedelta(days=1))

    assert expiring(james) == []
