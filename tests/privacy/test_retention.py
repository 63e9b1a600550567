"""The daily retention job deletes or anonymises what the registry says is past its time."""

from datetime import timedelta

import pytest
from django.utils import timezone

from certificates.models import Certificate
from courses.models import Enrolment
from lms.audit.models import AuditEntry
from lms.notifications.models import Notification
from lms.privacy.models import DataExport
from lms.privacy.tasks import retention_apply

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready_export(anna, django_capture_on_commit_callbacks):
    from lms.privacy.exports import data_export_request

    with django_capture_on_commit_callbacks(execute=True):
        export = data_export_request(by=anna, person=anna)
    export.refresh_from_db()
    return export


def test_old_data_exports_go_with_their_files(ready_export, django_capture_on_commit_callbacks):
    storage, name = ready_export.file.storage, ready_export.file.name
    DataExport.objects.filter(pk=ready_export.pk).update(
        created_at=timezone.now() - timedelta(days=8)
    )
    with django_capture_on_commit_callbacks(execute=True):
        retention_apply()
    assert not DataExport.objects.exists()
    assert not storage.exists(name)


def test_recent_data_exports_stay(ready_export):
    retention_apply()
    assert DataExport.objects.filter(pk=ready_export.pk).exists()


def test_old_notifications_are_deleted_and_old_access_log_entries_anonymised(anna, settings):
    long_ago = timezone.now() - timedelta(days=3 * 365)
    Notification.objects.filter(user=anna).update(created_at=long_ago)
    AuditEntry.objects.filter(subject=anna).update(occurred_at=long_ago)
    retention_apply()
    assert not Notification.objects.filter(user=anna).exists()
    entry = AuditEntry.objects.get()
    assert (entry.subject, entry.actor, entry.actor_name) == (None, None, "")


def test_accounts_and_protected_learning_records_stay(anna):
    long_ago = timezone.now() - timedelta(days=6 * 365)
    Enrolment.objects.filter(user=anna).update(completed_at=long_ago, enrolled_at=long_ago)
    anna.__class__.objects.filter(pk=anna.pk).update(last_login=long_ago, date_joined=long_ago)
    retention_apply()
    anna.refresh_from_db()
    assert anna.is_active
    # The certificate (kept ten years) protects its enrolment.
    assert Enrolment.objects.filter(user=anna).exists()
    assert Certificate.objects.filter(user=anna).exists()


def test_running_twice_changes_nothing_more(anna):
    AuditEntry.objects.update(occurred_at=timezone.now() - timedelta(days=3 * 365))
    first = retention_apply()
    assert first.get("audit.AuditEntry") == 1
    assert "audit.AuditEntry" not in retention_apply()


def test_deleting_progress_events_records_up_to_when_they_are_gone(anna, settings):
    from courses.models import ProgressEvent
    from lms.privacy.models import RetentionRun

    retention_apply()
    assert not RetentionRun.objects.exists()  # nothing was due, nothing is recorded

    days = settings.PRIVACY_RETENTION_DAYS["learning_records"]
    ProgressEvent.objects.filter(user=anna).update(
        occurred_at=timezone.now() - timedelta(days=days + 30)
    )
    before = timezone.now()
    retention_apply()

    assert not ProgressEvent.objects.filter(user=anna).exists()
    run = RetentionRun.objects.get(model_label="courses.ProgressEvent")
    assert (
        before - timedelta(days=days) <= run.deleted_before <= timezone.now() - timedelta(days=days)
    )
