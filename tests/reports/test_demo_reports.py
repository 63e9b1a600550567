"""The demo as HR of the interior ministry sees it: reports with the demo data, an XLSX export
in German with local times, and nothing of the finance ministry."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from lms.people.models import Authority, User

pytestmark = pytest.mark.usefixtures("demo_seeded")


@pytest.fixture
def hr_client(client, db):
    client.force_login(User.objects.get(email="hr.innen@demo.example"))
    return client


def finance_strings():
    finance = Authority.objects.get(abbreviation="HMdF")
    authorities = Authority.objects.filter(path__startswith=finance.path)
    people = User.objects.filter(authority__in=authorities).exclude(last_name="")
    return [a.name for a in authorities] + [f"{p.last_name}, {p.first_name}" for p in people]


def test_completion_report_shows_the_interior_ministry_only(hr_client):
    html = hr_client.get(reverse("reports_completion")).content.decode()
    assert "Hessisches Ministerium des Innern" in html or "HMdI" in html
    assert "Abschlussquote" in html
    for secret in finance_strings():
        assert secret not in html


def test_compliance_report_lists_overdue_interior_people(hr_client):
    html = hr_client.get(reverse("reports_compliance")).content.decode()
    assert "Überfällig seit" in html
    for secret in finance_strings():
        assert secret not in html


def test_xlsx_export_is_german_with_local_times(hr_client):
    response = hr_client.get(reverse("reports_course"), {"export": "xlsx"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    header = rows[0]
    assert "Nachname" in header and "Abgeschlossen" in header and "Fällig" in header
    completed = [row[header.index("Abgeschlossen")] for row in rows[1:]]
    assert any(isinstance(value, datetime.datetime) for value in completed)
    text = "\n".join(str(cell) for row in rows for cell in row if cell is not None)
    for secret in finance_strings():
        assert secret not in text
