"""Exports say what they show: the filters, the Stand (as-of day) and when they were made; the
file name carries the Stand; a Stand before any data says so; percentages round; XLSX columns
are wide enough to read."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
from django.urls import reverse
from django.utils import timezone, translation

from courses.models import ProgressEvent
from lms.spreadsheets import xlsx_file
from lms.text import percent_text

PAST = datetime.date(2026, 5, 1)


def csv_lines(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def split_csv(lines):
    """The label/value lines above the table, and the table (after the empty line)."""
    blank = lines.index([])
    return dict(line[:2] for line in lines[:blank] if line), lines[blank + 1 :]


def workbook(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_csv_export_names_filters_stand_and_time_above_the_table(client, hr_innen, records, org):
    client.force_login(hr_innen)
    response = client.get(
        reverse("reports_course"),
        {"export": "csv", "course": records["course"].pk, "authority": org["rpda"].pk},
    )
    details, table = split_csv(csv_lines(response))
    assert details["Bericht"] == "Teilnehmende nach Kurs"
    assert details["Stand"] == timezone.localdate().strftime("%d.%m.%Y")
    generated = datetime.datetime.strptime(details["Erstellt am"], "%d.%m.%Y %H:%M")
    assert abs(generated - timezone.localtime().replace(tzinfo=None)) < datetime.timedelta(
        minutes=5
    )
    assert details["Kurs"] == "Informationssicherheit"
    assert "Darmstadt" in details["Organisationseinheit"]
    # The table below is intact: its header, then the people.
    header, *rows = table
    assert "Nachname" in header
    assert sorted(row[header.index("Nachname")] for row in rows) == ["Amsel", "Birke"]


def test_csv_export_without_filters_says_so(client, hr_innen, records):
    client.force_login(hr_innen)
    details, _table = split_csv(
        csv_lines(client.get(reverse("reports_compliance"), {"export": "csv"}))
    )
    assert details["Angewendete Filter"] == "keine"


def test_xlsx_export_has_its_details_on_a_second_sheet(client, hr_innen, records):
    client.force_login(hr_innen)
    book = workbook(
        client.get(reverse("reports_course"), {"export": "xlsx", "course": records["course"].pk})
    )
    assert len(book.sheetnames) == 2
    assert book.worksheets[0]["A1"].value == "Nachname"
    details = {label: value for label, value in book.worksheets[1].iter_rows(values_only=True)}
    assert details["Stand"] == datetime.datetime.combine(timezone.localdate(), datetime.time())
    assert details["Kurs"] == "Informationssicherheit"
    assert "Erstellt am" in details


def test_a_past_stand_names_the_export_and_its_file(client, hr_innen, records):
    client.force_login(hr_innen)
    for fmt in ("csv", "xlsx"):
        response = client.get(
            reverse("reports_completion"), {"export": fmt, "as_of": PAST.isoformat()}
        )
        assert f"{PAST:%Y-%m-%d}.{fmt}" in response["Content-Disposition"]
        assert f"{timezone.localdate():%Y-%m-%d}" not in response["Content-Disposition"]
    details, _table = split_csv(
        csv_lines(
            client.get(reverse("reports_completion"), {"export": "csv", "as_of": PAST.isoformat()})
        )
    )
    assert details["Stand"] == "01.05.2026"


def test_a_stand_before_any_data_says_why_it_shows_zeros(client, hr_innen, records):
    first = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))
    ProgressEvent.objects.filter(kind=ProgressEvent.Kind.ASSIGNED).update(occurred_at=first)
    client.force_login(hr_innen)
    response = client.get(reverse("reports_completion"), {"as_of": "2026-01-15"})
    text = response.content.decode()
    assert (
        "Für diesen Stand liegen keine Daten vor: die ersten Lerndaten stammen vom 02.03.2026."
        in text
    )
    details, _table = split_csv(
        csv_lines(
            client.get(reverse("reports_completion"), {"export": "csv", "as_of": "2026-01-15"})
        )
    )
    assert details["Hinweis"].startswith("Für diesen Stand liegen keine Daten vor")
    # A day with figures carries no such note.
    response = client.get(reverse("reports_completion"), {"as_of": "2026-03-03"})
    assert "Für diesen Stand liegen keine Daten vor" not in response.content.decode()


def test_a_stand_of_an_hr_whose_scope_has_no_data_at_all_says_so(client, hr_finanzen, org):
    client.force_login(hr_finanzen)
    response = client.get(reverse("reports_completion"), {"as_of": "2026-01-15"})
    assert "es gibt noch keine Lerndaten" in response.content.decode()


def test_percentages_round_half_up():
    with translation.override("de"):
        assert percent_text(Decimal(400) / 6) == "66,7 %"
        assert percent_text(200 / 3) == "66,7 %"
        assert percent_text(Decimal("33.35")) == "33,4 %"
        assert percent_text(50) == "50,0 %"


def test_xlsx_columns_are_wide_enough_for_dates_and_names():
    header = ["Nachname", "Fällig", "Abgeschlossen"]
    rows = [
        [
            "Müller-Lüdenscheidt",
            datetime.date(2026, 11, 29),
            datetime.datetime(2026, 11, 29, 12, 0, tzinfo=datetime.UTC),
        ]
    ]
    sheet = openpyxl.load_workbook(xlsx_file(header, rows, sheet_title="x")).active
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABC"}
    assert widths["A"] >= len("Müller-Lüdenscheidt")
    assert widths["B"] >= len("29.11.2026")
    assert widths["C"] >= len("29.11.2026 13:00")
    long = openpyxl.load_workbook(xlsx_file(["x"], [["y" * 500]], sheet_title="x")).active
    assert long.column_dimensions["A"].width <= 60


def test_report_export_columns_fit_their_contents(client, hr_innen, records):
    client.force_login(hr_innen)
    sheet = workbook(client.get(reverse("reports_course"), {"export": "xlsx"})).worksheets[0]
    header, *rows = sheet.iter_rows(values_only=True)
    for index, heading in enumerate(header, start=1):
        letter = openpyxl.utils.get_column_letter(index)
        texts = [heading] + [row[index - 1] for row in rows if isinstance(row[index - 1], str)]
        widest = min(max(len(text) for text in texts), 50)
        # e.g. "anna.amsel@verwaltung.example": far wider than Excel's default of 13
        assert sheet.column_dimensions[letter].width >= widest, heading


def test_report_pages_load_the_stylesheet_that_keeps_names_whole(client, hr_innen, records):
    client.force_login(hr_innen)
    for name in ("reports_course", "reports_compliance", "reports_completion"):
        html = client.get(reverse(name)).content.decode()
        assert "reports/admin.css" in html and "lms-report-page" in html
