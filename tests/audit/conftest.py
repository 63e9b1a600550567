"""People and entries of the access log: an HR coordinator who looked at two learners' records
and exported a report, and a centre admin. Everyone reads the site in English, so that tests
do not depend on the German catalogue."""

import datetime
import zoneinfo

import pytest
from django.conf import settings

from lms.audit.models import AuditEntry
from lms.audit.services import audit_record
from tests.factories import UserFactory

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def at(day, hour=10, minute=0):
    """An aware time in November 2026, Berlin time."""
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=BERLIN)


def record(*, occurred_at=None, **fields):
    """An entry through the service, optionally back-dated (the log has no other write path)."""
    defaults = {
        "action": AuditEntry.Action.VIEWED,
        "report": "person",
        "report_title": "Learning record",
        "filters": {},
    }
    entry = audit_record(**{**defaults, **fields})
    if occurred_at is not None:
        AuditEntry.objects.filter(pk=entry.pk).update(occurred_at=occurred_at)
        entry = AuditEntry.objects.get(pk=entry.pk)
    return entry


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def learner(org):
    return UserFactory(
        first_name="Anna",
        last_name="Amsel",
        email="anna.amsel@verwaltung.example",
        authority=org["rpda"],
        preferred_language="en",
    )


@pytest.fixture
def other_learner(org):
    return UserFactory(
        first_name="Bernd",
        last_name="Birke",
        email="bernd.birke@verwaltung.example",
        authority=org["rpda"],
        preferred_language="en",
    )


@pytest.fixture
def hr(org):
    return UserFactory(
        first_name="Hanna",
        last_name="Haupt",
        email="hanna.haupt@verwaltung.example",
        authority=org["innen"],
        roles=["hr"],
        hr_scopes=[org["innen"]],
        preferred_language="en",
    )


@pytest.fixture
def admin_user(db):
    return UserFactory(
        first_name="Zora",
        last_name="Zentral",
        email="zora.zentral@verwaltung.example",
        is_superuser=True,
        preferred_language="en",
    )


@pytest.fixture
def entries(hr, learner, other_learner):
    """Three entries by the HR coordinator: Anna's record viewed, Bernd's record printed, and
    a completion report exported (about no one in particular)."""
    return {
        "anna_viewed": record(actor=hr, subject=learner, row_count=3, occurred_at=at(2)),
        "bernd_printed": record(
            actor=hr,
            subject=other_learner,
            action=AuditEntry.Action.PRINTED,
            row_count=1,
            occurred_at=at(10),
        ),
        "completion_exported": record(
            actor=hr,
            action=AuditEntry.Action.EXPORTED,
            report="completion",
            report_title="Completion by authority",
            filters={"course": "Informationssicherheit", "authority": "HMdI"},
            row_count=12,
            export_format="xlsx",
            occurred_at=at(20, 15, 30),
        ),
    }
