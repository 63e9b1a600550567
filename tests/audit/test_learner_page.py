"""The learner's page "Who viewed my learning record?" and its link on "My learning"."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from lms.audit.models import AuditEntry
from lms.audit.views import PAGE_SIZE
from tests.audit.conftest import at, record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/lernen/protokoll/"


def rows(response):
    table = BeautifulSoup(response.content, "html.parser").select_one("table#access-log")
    if table is None:
        return []
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        for row in table.select("tbody tr")
    ]


def times(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [time["datetime"] for time in soup.select("table#access-log time")]


def test_the_url_is_the_one_agreed():
    assert reverse("audit:my_access_log") == URL


def test_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=/lernen/protokoll/" in response["Location"]


def test_a_learner_sees_who_viewed_their_record_newest_first(client, learner, hr, entries):
    record(
        actor=hr,
        subject=learner,
        action=AuditEntry.Action.EXPORTED,
        export_format="xlsx",
        occurred_at=at(25, 8, 5),
    )
    client.force_login(learner)
    response = client.get(URL)
    assert response.status_code == 200
    assert [cells[1:] for cells in rows(response)] == [
        ["Hanna Haupt HR coordinator", "Exported “Learning record” as XLSX"],
        ["Hanna Haupt HR coordinator", "Viewed “Learning record”"],
    ]
    assert times(response) == ["2026-11-25T08:05:00+01:00", "2026-11-02T10:00:00+01:00"]


def test_times_are_shown_in_berlin_time_in_german_form_for_german_readers(client, learner, entries):
    learner.preferred_language = "de"
    learner.save()
    client.force_login(learner)
    [only] = rows(client.get(URL))
    assert only[0] == "02.11.2026 10:00"


def test_a_learner_never_sees_entries_about_someone_else(client, learner, other_learner, entries):
    client.force_login(learner)
    response = client.get(URL)
    text = response.content.decode()
    assert len(rows(response)) == 1
    assert "Printed" not in text and "Completion by authority" not in text

    client.force_login(other_learner)
    [only] = rows(client.get(URL))
    assert only[2] == "Printed “Learning record”"


def test_the_name_stays_when_the_account_of_who_looked_is_deleted(client, learner, hr, entries):
    hr.delete()
    client.force_login(learner)
    [only] = rows(client.get(URL))
    assert only[1] == "Hanna Haupt HR coordinator"


def test_a_centre_admin_is_named_with_their_role(client, learner, admin_user):
    record(actor=admin_user, subject=learner)
    client.force_login(learner)
    [only] = rows(client.get(URL))
    assert only[1] == "Zora Zentral Centre admin"


def test_no_entries_shows_the_empty_state(client, entries):
    client.force_login(UserFactory(preferred_language="en"))
    response = client.get(URL)
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("table#access-log") is None
    assert soup.select_one("#access-log-empty") is not None


def test_the_page_has_one_main_heading_and_the_skip_link_target(client, learner, entries):
    client.force_login(learner)
    soup = BeautifulSoup(client.get(URL).content, "html.parser")
    assert [h.get_text(strip=True) for h in soup.find_all("h1")] == [
        "Who viewed my learning record?"
    ]
    assert soup.select_one("main#main") is not None
    assert all(th.get("scope") == "col" for th in soup.select("table#access-log th"))


def test_long_logs_are_paginated(client, learner, hr):
    for hour in range(PAGE_SIZE + 2):
        record(actor=hr, subject=learner, occurred_at=at(1) + datetime.timedelta(hours=hour))
    client.force_login(learner)
    first = client.get(URL)
    assert len(rows(first)) == PAGE_SIZE
    assert 'href="?seite=2"' in first.content.decode()
    second = client.get(URL, {"seite": 2})
    assert len(rows(second)) == 2
    assert rows(client.get(URL, {"seite": "many"})) == rows(first)


def test_my_learning_links_to_the_page(client, learner):
    client.force_login(learner)
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    link = soup.select_one("#dashboard #access-log-link")
    assert link is not None and link["href"] == URL


def test_certificate_entries_name_their_course_without_a_query_each(client, learner, hr):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def downloaded(number):
        record(
            actor=hr,
            subject=learner,
            action=AuditEntry.Action.DOWNLOADED,
            report="certificate",
            report_title="Certificate",
            filters={"course": f"Kurs {number}"},
        )

    client.force_login(learner)
    downloaded(0)
    client.get(URL)  # the site's settings are created on the first request
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    for number in range(1, 10):
        downloaded(number)
    with CaptureQueriesContext(connection) as ten:
        response = client.get(URL)

    assert len(rows(response)) == 10
    assert "Downloaded your certificate for “Kurs 9” as PDF" in rows(response)[0][2]
    assert len(ten) <= len(one)
