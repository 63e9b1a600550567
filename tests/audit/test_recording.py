"""Writing the access log: what an entry keeps, odd filter values, and that it is append-only."""

import datetime
import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from lms.audit.models import AuditEntry
from lms.audit.selectors import audit_entries_about, audit_entries_visible_to
from lms.audit.services import MAX_FILTER_VALUE_LENGTH, audit_record
from lms.personal_data.registry import Category, Erasure, registry
from tests.audit.conftest import BERLIN, record

pytestmark = pytest.mark.django_db


def test_an_entry_keeps_who_what_which_report_filters_rows_and_format(hr, learner):
    entry = audit_record(
        actor=hr,
        action=AuditEntry.Action.EXPORTED,
        report="completion",
        report_title="Completion by authority",
        filters={"course": "Informationssicherheit", "authority": "HMdI"},
        row_count=42,
        export_format="csv",
        subject=learner,
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.actor, stored.actor_name, stored.actor_role) == (hr, "Hanna Haupt", "hr")
    assert (stored.action, stored.report, stored.report_title) == (
        "exported",
        "completion",
        "Completion by authority",
    )
    assert stored.filters == {"course": "Informationssicherheit", "authority": "HMdI"}
    assert (stored.row_count, stored.export_format, stored.subject) == (42, "csv", learner)
    assert stored.occurred_at is not None


def test_a_centre_admin_is_recorded_in_that_role(admin_user):
    assert record(actor=admin_user).actor_role == AuditEntry.ActorRole.CENTRE_ADMIN


def test_the_action_may_be_given_as_its_value(hr):
    assert record(actor=hr, action="printed").action == AuditEntry.Action.PRINTED


def test_odd_filter_values_are_stored_as_text(hr, org):
    class Odd:
        def __str__(self):
            return "odd thing"

    entry = record(
        actor=hr,
        filters={
            "day": datetime.date(2026, 11, 3),
            "time": datetime.datetime(2026, 11, 3, 23, 30, tzinfo=datetime.UTC),
            "rate": Decimal("12.5"),
            "nan": float("nan"),
            "share": 0.5,
            "count": 7,
            "mandatory": True,
            "authority": org["rpda"],
            "object": Odd(),
            "range": slice(datetime.date(2026, 11, 1), None),
            "several": ["a", 2, datetime.date(2026, 1, 2)],
            "nul": "a\x00b",
            "surrogate": "x\ud800y",
            "long": "x" * 5000,
            "empty": "",
            "none": None,
            7: "number as key",
        },
    )
    stored = AuditEntry.objects.get(pk=entry.pk).filters
    assert stored["day"] == "03.11.2026"
    assert stored["time"] == "04.11.2026 00:30"  # local time, Europe/Berlin
    assert stored["rate"] == "12.5"
    assert stored["nan"] == "nan"
    assert (stored["share"], stored["count"], stored["mandatory"]) == (0.5, 7, True)
    assert stored["authority"] == str(org["rpda"])
    assert stored["object"] == "odd thing"
    assert stored["range"] == "01.11.2026 – …"
    assert stored["several"] == "a, 2, 02.01.2026"
    assert stored["nul"] == "ab"
    assert stored["surrogate"] == "x?y"
    assert len(stored["long"]) == MAX_FILTER_VALUE_LENGTH
    assert stored["7"] == "number as key"
    assert "empty" not in stored and "none" not in stored
    json.dumps(stored)


@pytest.mark.parametrize("filters", [None, {}, "course=5", ["a", "b"]])
def test_filters_that_are_not_a_dict_never_fail_the_record(hr, filters):
    stored = AuditEntry.objects.get(pk=record(actor=hr, filters=filters).pk).filters
    assert isinstance(stored, dict)
    json.dumps(stored)


def test_an_unknown_action_is_a_bug_and_raises(hr):
    with pytest.raises(ValueError, match="action"):
        record(actor=hr, action="peeked")
    assert not AuditEntry.objects.exists()


def test_an_unknown_export_format_is_a_bug_and_raises(hr):
    with pytest.raises(ValueError, match="format"):
        record(actor=hr, action=AuditEntry.Action.EXPORTED, export_format="pdf")


def test_a_negative_row_count_is_a_bug_and_raises(hr):
    with pytest.raises(ValueError, match="Row count"):
        record(actor=hr, row_count=-1)


def test_an_anonymous_actor_is_recorded_without_a_name():
    entry = record(actor=AnonymousUser())
    assert (entry.actor, entry.actor_name, entry.actor_role) == (None, "", "")


# Append-only


def test_an_entry_cannot_be_changed(hr):
    entry = record(actor=hr)
    entry.row_count = 999
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).row_count is None


def test_an_entry_cannot_be_deleted(hr):
    entry = record(actor=hr)
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_name_of_who_looked_stays_when_their_account_is_deleted(hr, learner):
    entry = record(actor=hr, subject=learner)
    hr.delete()
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.actor, stored.actor_name, stored.subject) == (None, "Hanna Haupt", learner)


def test_deleting_the_person_concerned_keeps_the_entry(hr, learner):
    entry = record(actor=hr, subject=learner)
    learner.delete()
    assert AuditEntry.objects.get(pk=entry.pk).subject is None


def test_anonymising_removes_one_persons_traces_only(hr, learner, other_learner):
    about_anna = record(actor=hr, subject=learner)
    about_bernd = record(actor=hr, subject=other_learner)
    changed = AuditEntry.objects.all().anonymise(person=learner)
    assert changed == 1
    assert AuditEntry.objects.get(pk=about_anna.pk).subject is None
    kept = AuditEntry.objects.get(pk=about_bernd.pk)
    assert (kept.subject, kept.actor, kept.actor_name) == (other_learner, hr, "Hanna Haupt")


def test_anonymising_the_one_who_looked_removes_their_name_and_role(hr, learner):
    entry = record(actor=hr, subject=learner)
    AuditEntry.objects.all().anonymise(person=hr)
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.actor, stored.actor_name, stored.actor_role) == (None, "", "")
    assert stored.subject == learner


def test_anonymising_entries_past_retention_removes_everyone(hr, learner):
    old = record(
        actor=hr, subject=learner, occurred_at=datetime.datetime(2020, 1, 1, tzinfo=BERLIN)
    )
    recent = record(actor=hr, subject=learner)
    declaration = registry.declaration_for(AuditEntry)
    declaration.expired_rows().anonymise()
    stored = AuditEntry.objects.get(pk=old.pk)
    assert (stored.actor, stored.actor_name, stored.subject) == (None, "", None)
    assert AuditEntry.objects.get(pk=recent.pk).actor == hr


def test_the_access_log_is_declared_for_privacy_with_two_years_retention(settings):
    declaration = registry.declaration_for(AuditEntry)
    assert declaration.category == Category.AUDIT
    assert declaration.person == ("actor", "subject")
    assert declaration.erasure == Erasure.ANONYMISE
    assert declaration.retention.days() == settings.PRIVACY_RETENTION_DAYS["access_log"] == 730


# Selectors


def test_only_centre_admins_read_the_log(admin_user, hr, learner, entries):
    assert audit_entries_visible_to(user=admin_user).count() == 3
    assert not audit_entries_visible_to(user=hr).exists()
    assert not audit_entries_visible_to(user=learner).exists()
    assert not audit_entries_visible_to(user=AnonymousUser()).exists()


def test_the_entries_about_a_person_are_theirs_only_newest_first(hr, learner, entries):
    later = record(actor=hr, subject=learner, action=AuditEntry.Action.PRINTED)
    assert list(audit_entries_about(person=learner)) == [later, entries["anna_viewed"]]
