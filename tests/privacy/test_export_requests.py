"""Requests for a data export reuse a queued or recent one, and are limited per person and day:
each build copies every certificate PDF and is kept for a week."""

import html
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lms.privacy.exports import REQUESTS_PER_DAY, data_export_request
from lms.privacy.models import DataExport
from tests.factories import UserFactory
from tests.responses import body_text

pytestmark = pytest.mark.django_db

MY_DATA = reverse("privacy:my_data")


@pytest.fixture
def person(org):
    return UserFactory(authority=org["rpda"], preferred_language="de")


def post(client, url, capture, *, build=True):
    """Request an export as the page does; `build`: run the build as the commit would."""
    if build:
        with capture(execute=True):
            response = client.post(url, follow=True)
    else:
        response = client.post(url, follow=True)
    assert response.status_code == 200
    return text_of(response)


def text_of(response) -> str:
    return html.unescape(body_text(response))


def earlier_exports(person, count, *, hours_ago=2):
    """`count` ready exports of the person, the newest `hours_ago` hours old."""
    now = timezone.now()
    for index in range(count):
        DataExport.objects.create(
            requested_by=person,
            person=person,
            status=DataExport.Status.READY,
            created_at=now - timedelta(hours=hours_ago + index),
        )


def test_a_second_request_while_one_is_queued_gets_that_one(
    client, person, django_capture_on_commit_callbacks
):
    client.force_login(person)
    post(client, MY_DATA, django_capture_on_commit_callbacks, build=False)
    page = post(client, MY_DATA, django_capture_on_commit_callbacks, build=False)
    assert DataExport.objects.filter(person=person).count() == 1
    assert "Ihre Daten werden bereits zusammengestellt." in page


def test_a_request_within_the_hour_gets_the_ready_export(
    client, person, django_capture_on_commit_callbacks
):
    client.force_login(person)
    post(client, MY_DATA, django_capture_on_commit_callbacks)
    page = post(client, MY_DATA, django_capture_on_commit_callbacks)
    export = DataExport.objects.get(person=person)
    assert export.status == DataExport.Status.READY
    assert "sind noch aktuell" in page


def test_a_centre_admin_gets_the_persons_recent_export(
    client, person, centre_admin, django_capture_on_commit_callbacks
):
    client.force_login(person)
    post(client, MY_DATA, django_capture_on_commit_callbacks)
    client.force_login(centre_admin)
    url = reverse("privacy_person_export", args=[person.pk])
    post(client, url, django_capture_on_commit_callbacks)
    assert DataExport.objects.filter(person=person).count() == 1


def test_after_an_hour_a_request_builds_anew(client, person, django_capture_on_commit_callbacks):
    earlier_exports(person, 1)
    client.force_login(person)
    post(client, MY_DATA, django_capture_on_commit_callbacks)
    assert DataExport.objects.filter(person=person).count() == 2


def test_a_failed_export_is_not_reused(client, person, django_capture_on_commit_callbacks):
    DataExport.objects.create(requested_by=person, person=person, status="failed")
    client.force_login(person)
    post(client, MY_DATA, django_capture_on_commit_callbacks)
    assert DataExport.objects.filter(person=person, status="ready").count() == 1


def test_requests_beyond_the_daily_limit_are_refused_in_german(
    client, person, django_capture_on_commit_callbacks
):
    earlier_exports(person, REQUESTS_PER_DAY)
    client.force_login(person)
    page = post(client, MY_DATA, django_capture_on_commit_callbacks)
    assert DataExport.objects.filter(person=person).count() == REQUESTS_PER_DAY
    assert (
        f"Pro Person können innerhalb von 24 Stunden höchstens {REQUESTS_PER_DAY} "
        "Datenexporte angefordert werden." in page
    )


def test_the_refusal_is_in_english_for_english_speakers(
    client, person, django_capture_on_commit_callbacks
):
    person.preferred_language = "en"
    person.save(update_fields=["preferred_language"])
    earlier_exports(person, REQUESTS_PER_DAY)
    client.force_login(person)
    page = post(client, MY_DATA, django_capture_on_commit_callbacks)
    assert f"At most {REQUESTS_PER_DAY} data exports per person can be requested" in page


def test_a_centre_admin_is_limited_too(client, person, centre_admin):
    earlier_exports(person, REQUESTS_PER_DAY)
    client.force_login(centre_admin)
    response = client.post(reverse("privacy_person_export", args=[person.pk]), follow=True)
    assert response.status_code == 200
    assert DataExport.objects.filter(person=person).count() == REQUESTS_PER_DAY
    assert "höchstens" in text_of(response) or "At most" in text_of(response)


def test_the_limit_counts_the_last_24_hours_only(person):
    earlier_exports(person, REQUESTS_PER_DAY, hours_ago=21)
    now = timezone.now()
    with pytest.raises(ValidationError):
        data_export_request(by=person, person=person, now=now)
    # The oldest of them (24 hours old by then) no longer counts.
    export = data_export_request(by=person, person=person, now=now + timedelta(hours=1))
    assert not export.reused
    assert DataExport.objects.filter(person=person).count() == REQUESTS_PER_DAY + 1
