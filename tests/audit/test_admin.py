"""Reports › Access log in the Wagtail admin: for centre admins only, filterable, exportable,
and an export of the log is an entry of its own."""

import codecs
import csv
import io

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from openpyxl import load_workbook

from lms.audit.models import AuditEntry
from tests.audit.conftest import english, record

pytestmark = pytest.mark.django_db

URL = "/admin/reports/access-log/"


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return english(client)


def csv_rows(response):
    data = b"".join(response.streaming_content)
    assert data.startswith(codecs.BOM_UTF8)
    text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def xlsx_rows(response):
    # Reading it to the end closes it: the test client wraps the content so that it does.
    data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def listed(response):
    """The rows of the listing table, each as the text of its cells joined by " | "."""
    table = BeautifulSoup(response.content, "html.parser").select_one("table.listing")
    if table is None:
        return []
    return [
        " | ".join(cell.get_text(" ", strip=True) for cell in row.find_all("td"))
        for row in table.select("tbody tr")
    ]


def test_the_url_is_the_one_agreed():
    assert reverse("audit_access_log") == URL


def test_centre_admin_sees_the_whole_log_newest_first(admin_client, entries):
    response = admin_client.get(URL)
    assert response.status_code == 200
    rows = listed(response)
    assert len(rows) == 3
    assert "Completion by authority" in rows[0]
    assert "Bernd Birke" in rows[1]
    assert "Anna Amsel" in rows[2]


def test_a_row_shows_time_in_berlin_who_action_report_filters_rows(admin_client, entries):
    newest = listed(admin_client.get(URL))[0]
    assert "20.11.2026 15:30" in newest
    assert "Hanna Haupt (HR coordinator)" in newest
    assert "Exported (XLSX)" in newest
    assert "Course: Informationssicherheit · Authority: HMdI" in newest
    assert " | 12 | " in newest


def test_hr_coordinators_are_refused(client, hr, entries):
    # Wagtail answers a refusal in the admin with its dashboard and "Sorry, you do not have
    # permission…"; a script asking for the results fragment gets a plain 403.
    client.force_login(hr)
    for params in ({}, {"export": "csv"}, {"export": "xlsx"}):
        response = client.get(URL, params)
        assert response.status_code == 302, params
        assert response["Location"] == reverse("wagtailadmin_home")
    fragment = client.get(
        reverse("audit_access_log_results"), headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert fragment.status_code == 403
    assert "Hanna" not in fragment.content.decode()
    assert AuditEntry.objects.count() == 3


def test_learners_are_sent_away_from_the_admin(client, learner, entries):
    client.force_login(learner)
    response = client.get(URL)
    assert response.status_code in (302, 403)
    assert "Hanna Haupt" not in response.content.decode()


def test_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"] or "/admin/login/" in response["Location"]


def test_the_reports_menu_offers_the_log_to_centre_admins_only(client, admin_user, hr):
    client.force_login(admin_user)
    assert URL in client.get(reverse("wagtailadmin_home")).text
    client.force_login(hr)
    assert URL not in client.get(reverse("wagtailadmin_home")).text


# Filters


def test_filter_by_who_finds_part_of_the_name_or_address(admin_client, entries, admin_user):
    record(actor=admin_user, report="person")
    assert len(listed(admin_client.get(URL, {"actor": "haupt"}))) == 3
    assert len(listed(admin_client.get(URL, {"actor": "zora.zentral@"}))) == 1
    assert len(listed(admin_client.get(URL, {"actor": "nobody"}))) == 0


def test_filter_by_who_finds_deleted_accounts_by_their_kept_name(admin_client, entries, hr):
    hr.delete()
    assert len(listed(admin_client.get(URL, {"actor": "Hanna"}))) == 3


def test_filter_by_report(admin_client, entries):
    rows = listed(admin_client.get(URL, {"report": "completion"}))
    assert len(rows) == 1 and "Completion by authority" in rows[0]


def test_filter_by_action(admin_client, entries):
    rows = listed(admin_client.get(URL, {"action": "printed"}))
    assert len(rows) == 1 and "Bernd Birke" in rows[0]


def test_filter_by_days_counts_whole_berlin_days(admin_client, entries):
    rows = listed(
        admin_client.get(URL, {"occurred_at_from": "2026-11-02", "occurred_at_to": "2026-11-10"})
    )
    assert [("Anna Amsel" in r, "Bernd Birke" in r) for r in rows] == [(False, True), (True, False)]


def test_the_filtered_results_fragment_is_for_centre_admins(admin_client, entries):
    response = admin_client.get(reverse("audit_access_log_results"), {"action": "viewed"})
    assert response.status_code == 200
    assert len(listed(response)) == 1


# Export


def test_csv_export_has_the_filtered_rows_in_local_time(admin_client, entries):
    response = admin_client.get(URL, {"export": "csv", "report": "completion"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="access-log-' in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header == [
        "Time",
        "Who",
        "Role",
        "Action",
        "Format",
        "Report key",
        "Report",
        "Filters",
        "Rows",
        "About whom",
    ]
    assert rows == [
        [
            "20.11.2026 15:30",
            "Hanna Haupt",
            "HR coordinator",
            "Exported",
            "xlsx",
            "completion",
            "Completion by authority",
            "Course: Informationssicherheit · Authority: HMdI",
            "12",
            "",
        ]
    ]


def test_exporting_the_log_is_itself_recorded(admin_client, admin_user, entries):
    admin_client.get(
        URL,
        {
            "export": "csv",
            "action": "viewed",
            "actor": "Haupt",
            "occurred_at_from": "2026-11-01",
            "occurred_at_to": "2026-11-30",
        },
    )
    entry = AuditEntry.objects.exclude(pk__in=[e.pk for e in entries.values()]).get()
    assert (entry.actor, entry.action, entry.export_format) == (admin_user, "exported", "csv")
    assert (entry.report, entry.report_title, entry.row_count) == ("audit", "Access log", 1)
    assert entry.filters == {
        "actor": "Haupt",
        "action": "Viewed",
        "occurred_at": "01.11.2026 – 30.11.2026",
    }
    assert entry.subject is None


def test_an_export_leaves_out_its_own_entry(admin_client, entries):
    _header, *rows = csv_rows(admin_client.get(URL, {"export": "csv"}))
    assert len(rows) == 3
    assert AuditEntry.objects.count() == 4
    # The next export shows the first one.
    _header, *rows = csv_rows(admin_client.get(URL, {"export": "csv"}))
    assert len(rows) == 4
    assert rows[0][5] == "audit"


def test_xlsx_export_has_local_times_as_dates_and_is_recorded(admin_client, entries):
    response = admin_client.get(URL, {"export": "xlsx"})
    assert response.status_code == 200
    header, *rows = xlsx_rows(response)
    assert header[0] == "Time"
    assert [row[0].strftime("%d.%m.%Y %H:%M") for row in rows] == [
        "20.11.2026 15:30",
        "10.11.2026 10:00",
        "02.11.2026 10:00",
    ]
    assert rows[1][9] == "Bernd Birke"
    assert rows[0][8] == 12
    assert AuditEntry.objects.filter(report="audit", export_format="xlsx").count() == 1


def test_viewing_the_log_is_not_recorded(admin_client, entries):
    admin_client.get(URL)
    admin_client.get(URL, {"action": "viewed"})
    assert AuditEntry.objects.count() == 3


def test_entries_beyond_reports_read_plainly_and_filter_by_the_new_actions(
    admin_client, hr, learner, other_learner, entries
):
    from lms.audit.services import audit_record_many

    record(
        actor=hr,
        subject=learner,
        action=AuditEntry.Action.DOWNLOADED,
        report="certificate",
        report_title="Certificate",
        filters={"course": "Informationssicherheit"},
    )
    audit_record_many(
        actor=hr,
        action=AuditEntry.Action.EXPORTED,
        report="certificate_archive",
        report_title="ZIP archive of certificates",
        filters={"course": "Informationssicherheit", "authority": "RPDA"},
        subject_ids=[learner.pk, other_learner.pk],
        row_count=2,
    )

    downloads = listed(admin_client.get(URL, {"action": "downloaded"}))
    assert len(downloads) == 1
    assert "Downloaded" in downloads[0] and "Certificate" in downloads[0]
    assert "Course: Informationssicherheit" in downloads[0] and "Anna Amsel" in downloads[0]
    archive = listed(admin_client.get(URL, {"report": "certificate_archive"}))
    assert sorted("Anna Amsel" in row for row in archive) == [False, True]
    assert all("ZIP archive of certificates" in row for row in archive)
