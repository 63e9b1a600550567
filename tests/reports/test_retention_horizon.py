"""Past days before the retention horizon: once retention has deleted progress events, the
completion report says so for older days instead of replaying what is left."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from courses.models import ProgressEvent
from lms.privacy.retention import retention_apply
from lms.reports.selectors import (
    ReportFilters,
    completion_by_authority,
    progress_events_complete_since,
)
from tests.reports.test_as_of import at, history  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

URL = "reports_completion"
NOTICE = "Für Stände vor dem 16.03.2026 liegen keine vollständigen Daten mehr vor"


@pytest.fixture
def retention_ran(history, settings):  # noqa: F811
    """Retention as it runs five years after 15 March 2026, noon: the events of 1 and 5 March
    are gone, those of the 15th after noon and later are kept."""
    days = settings.PRIVACY_RETENTION_DAYS["learning_records"]
    retention_apply(now=at((3, 15)) + datetime.timedelta(days=days))
    return history


def report(viewer, day):
    return completion_by_authority(viewer=viewer, filters=ReportFilters(), as_of=day)


def test_without_a_deletion_every_past_day_is_replayed(hr_innen, history):  # noqa: F811
    assert progress_events_complete_since() is None
    assert not report(hr_innen, datetime.date(2026, 3, 10)).before_complete_data


def test_the_horizon_is_the_first_day_after_the_deleted_events(retention_ran):
    assert not ProgressEvent.objects.filter(occurred_at__lt=at((3, 15))).exists()
    assert progress_events_complete_since() == datetime.date(2026, 3, 16)


def test_a_day_before_the_horizon_has_no_figures(hr_innen, retention_ran):
    before = report(hr_innen, datetime.date(2026, 3, 15))

    assert before.before_complete_data
    assert before.complete_since == datetime.date(2026, 3, 16)
    assert before.rows == [] and before.total.total == 0


def test_the_horizon_and_later_days_are_replayed(hr_innen, retention_ran):
    on_the_day = report(hr_innen, datetime.date(2026, 3, 16))
    later = report(hr_innen, datetime.date(2026, 9, 1))

    assert not on_the_day.before_complete_data and on_the_day.rows
    assert not later.before_complete_data and later.total.total


def test_the_report_says_why_and_shows_no_figures(client, hr_innen, retention_ran):
    client.force_login(hr_innen)
    response = client.get(reverse(URL), {"as_of": "2026-03-01"})

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert NOTICE in soup.get_text(" ", strip=True)
    assert soup.select(".lms-report-totals") == []
    assert soup.select("table tbody tr") == []


def test_the_export_is_refused_with_the_reason(client, hr_innen, retention_ran):
    client.force_login(hr_innen)
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse(URL), {"as_of": "2026-03-01", "export": fmt})

        assert response.status_code == 302
        assert "export=" not in response["Location"]
        assert "as_of=2026-03-01" in response["Location"]
        page = client.get(response["Location"])
        assert NOTICE in page.content.decode()


def test_the_export_of_a_later_day_is_a_file(client, hr_innen, retention_ran):
    client.force_login(hr_innen)
    response = client.get(reverse(URL), {"as_of": "2026-09-01", "export": "csv"})

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]


def test_the_date_filter_names_the_earliest_day(client, hr_innen, retention_ran):
    client.force_login(hr_innen)
    response = client.get(reverse(URL))

    text = BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)
    assert "Der früheste Stand mit vollständigen Zahlen ist der 16.03.2026" in text


def test_before_any_deletion_the_date_filter_names_the_retention_period(client, hr_innen):
    client.force_login(hr_innen)
    response = client.get(reverse(URL))

    text = BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)
    assert "nach Ablauf ihrer Aufbewahrungsfrist (5 Jahre) gelöscht" in text


def test_a_later_retention_run_moves_the_horizon_and_never_back(retention_ran, settings):
    days = settings.PRIVACY_RETENTION_DAYS["learning_records"]
    retention_apply(now=at((6, 2)) + datetime.timedelta(days=days))
    assert progress_events_complete_since() == datetime.date(2026, 6, 3)

    retention_apply(now=timezone.now())
    assert progress_events_complete_since() == datetime.date(2026, 6, 3)
