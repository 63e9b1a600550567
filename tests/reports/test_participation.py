import datetime
import io

import openpyxl
from django.urls import reverse
from django.utils import timezone

from courses.models import Enrolment, QuizAttempt
from lms.reports.selectors import (
    STATUS_COMPLETED,
    STATUS_OVERDUE,
    ReportFilters,
    certificate_status,
    participation_status,
    participations_report,
)
from tests.reports.conftest import person
from tests.responses import body_text


def names(rows):
    return [row.user.last_name for row in rows]


def test_everyone_enrolled_or_assigned_in_scope(hr_innen, records):
    rows = participations_report(viewer=hr_innen, filters=ReportFilters(mandatory_only=False))
    assert names(rows) == ["Amsel", "Birke", "Cedern", "Espe"]


def test_status_filter(hr_innen, records):
    overdue = participations_report(
        viewer=hr_innen, filters=ReportFilters(mandatory_only=False, status=STATUS_OVERDUE)
    )
    assert names(overdue) == ["Amsel"]
    done = participations_report(
        viewer=hr_innen, filters=ReportFilters(mandatory_only=False, status=STATUS_COMPLETED)
    )
    assert names(done) == ["Birke"]
    assert participation_status(done[0]) == STATUS_COMPLETED


def test_best_quiz_result_and_certificate_status(hr_innen, records, security_course):
    from courses.models import QuizPage

    quiz = security_course.add_child(instance=QuizPage(title="Abschlusstest", pass_mark=60))
    anna = records["people"]["anna"]
    for number, percent in ((1, "40.0"), (2, "75.5")):
        QuizAttempt.objects.create(
            user=anna,
            quiz=quiz,
            number=number,
            status=QuizAttempt.Status.SUBMITTED,
            pass_mark=60,
            percent=percent,
            submitted_at=timezone.now(),
        )
    rows = {
        row.user.last_name: row
        for row in participations_report(viewer=hr_innen, filters=ReportFilters())
    }
    assert str(rows["Amsel"].best_percent) == "75.5"
    assert rows["Cedern"].best_percent is None
    assert certificate_status(rows["Birke"]) == "valid"
    assert certificate_status(rows["Amsel"]) is None


def test_page_links_each_person_to_their_learning_record(client, hr_innen, records):
    client.force_login(hr_innen)
    html = client.get(reverse("reports_course")).content.decode()
    anna = records["people"]["anna"]
    assert reverse("reports_person", args=[anna.pk]) in html
    assert "Finanzfrau" not in html


def test_csv_export_opens_in_german_excel_with_local_times(client, hr_innen, records):
    bernd = records["enrolments"]["bernd"]
    # 22:30 UTC on 30 June is half past midnight on 1 July in Berlin.
    Enrolment.objects.filter(pk=bernd.pk).update(
        completed_at=datetime.datetime(2026, 6, 30, 22, 30, tzinfo=datetime.UTC)
    )
    client.force_login(hr_innen)
    response = client.get(reverse("reports_course"), {"export": "csv"})
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    # The table follows the lines about the export (report, Stand, filters) and an empty line.
    lines = text.splitlines()
    header, *lines = lines[lines.index("") + 1 :]
    assert header.count(";") >= 10
    birke = next(line for line in lines if "Birke" in line)
    assert "01.07.2026 00:30" in birke
    assert "Regierungspräsidium" not in header


def test_xlsx_export_has_local_datetimes_and_text_cells(client, hr_innen, records):
    bernd = records["enrolments"]["bernd"]
    Enrolment.objects.filter(pk=bernd.pk).update(
        completed_at=datetime.datetime(2026, 6, 30, 22, 30, tzinfo=datetime.UTC)
    )
    client.force_login(hr_innen)
    response = client.get(reverse("reports_course"), {"export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    birke = next(row for row in rows if "Birke" in row)
    completed = birke[header.index(next(h for h in header if h in ("Abgeschlossen", "Completed")))]
    assert completed == datetime.datetime(2026, 7, 1, 0, 30)


def test_formula_like_names_are_neutralised_in_both_exports(client, hr_innen, records, org):
    attacker = person(org["rpda"], '=HYPERLINK("http://x")', "@SUM(1)", "+4711")
    from tests.reports.conftest import assign

    assign(attacker, records["course"], None)
    client.force_login(hr_innen)
    csv_text = body_text(client.get(reverse("reports_course"), {"export": "csv"}))
    assert "'=HYPERLINK" in csv_text and "'@SUM(1)" in csv_text and "'+4711" in csv_text
    response = client.get(reverse("reports_course"), {"export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [
        cell
        for row in book.active.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and "SUM(1)" in cell.value
    ]
    assert cells and all(cell.data_type == "s" and cell.value.startswith("'") for cell in cells)


def test_export_file_name_is_german_and_dated(client, hr_innen, records):
    client.force_login(hr_innen)
    response = client.get(reverse("reports_course"), {"export": "xlsx"})
    disposition = response["Content-Disposition"]
    assert f"{timezone.localdate():%Y-%m-%d}.xlsx" in disposition
