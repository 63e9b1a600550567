"""People who have not begun a course are "not started", not "in progress"."""

import datetime

from django.urls import reverse
from django.utils import timezone

from courses.models import ProgressEvent, QuizPage
from courses.quizzes.services import attempt_start
from courses.services import lesson_open
from lms.reports.selectors import (
    STATUS_IN_PROGRESS,
    STATUS_NOT_STARTED,
    ReportFilters,
    completion_by_authority,
    participations_report,
)
from tests.courses.conftest import lessons_of
from tests.responses import body_text


def row_of(html, name):
    """The table row (as text) that names the person."""
    start = html.index(name)
    return html[html.rindex("<tr", 0, start) : html.index("</tr>", start)]


def test_assigned_person_at_zero_percent_shows_not_started(client, hr_innen, records):
    client.force_login(hr_innen)
    html = client.get(reverse("reports_course")).content.decode()
    clara = row_of(html, "Cedern")
    assert "Nicht begonnen" in clara
    assert "In Bearbeitung" not in clara


def test_opening_a_lesson_puts_the_person_in_progress(client, hr_innen, records):
    clara = records["people"]["clara"]
    lesson_open(user=clara, lesson=lessons_of(records["course"])[0])
    client.force_login(hr_innen)
    html = client.get(reverse("reports_course")).content.decode()
    assert "In Bearbeitung" in row_of(html, "Cedern")


def test_a_quiz_attempt_alone_counts_as_begun(hr_innen, records):
    course = records["course"]
    quiz = course.add_child(instance=QuizPage(title="Abschlusstest", pass_mark=60))
    attempt_start(user=records["people"]["clara"], quiz=quiz)
    rows = participations_report(viewer=hr_innen, filters=ReportFilters(status=STATUS_IN_PROGRESS))
    assert [row.user.last_name for row in rows] == ["Cedern"]


def test_status_filter_not_started_lists_who_has_not_begun(client, hr_innen, records):
    client.force_login(hr_innen)
    html = client.get(reverse("reports_course"), {"status": STATUS_NOT_STARTED}).content.decode()
    assert "Cedern" in html
    # Overdue (Anna), completed (Bernd) and other ministries are not "not started".
    assert "Amsel" not in html and "Birke" not in html and "Finanzfrau" not in html
    html = client.get(reverse("reports_course"), {"status": STATUS_IN_PROGRESS}).content.decode()
    assert "Cedern" not in html


def test_completion_counts_not_started_apart_from_in_progress(hr_innen, records):
    report = completion_by_authority(viewer=hr_innen, filters=ReportFilters())
    rpks = next(row for row in report.rows if row.abbreviation == "RPKS").counts
    assert (rpks.total, rpks.not_started, rpks.in_progress) == (1, 1, 0)
    lesson_open(user=records["people"]["clara"], lesson=lessons_of(records["course"])[0])
    report = completion_by_authority(viewer=hr_innen, filters=ReportFilters())
    rpks = next(row for row in report.rows if row.abbreviation == "RPKS").counts
    assert (rpks.total, rpks.not_started, rpks.in_progress) == (1, 0, 1)
    total = report.total
    assert total.not_started + total.in_progress + total.completed + total.overdue == total.total


def test_completion_page_has_a_not_started_column(client, hr_innen, records):
    client.force_login(hr_innen)
    html = client.get(reverse("reports_completion")).content.decode()
    assert "Nicht begonnen" in html


def test_as_of_a_past_day_counts_a_lesson_opened_as_begun(hr_innen, org, security_course):
    from tests.reports.conftest import person

    clara = person(org["rpks"], "Clara", "Cedern", "PN-INNEN-3")
    kind = ProgressEvent.Kind

    def at(day):
        return timezone.make_aware(datetime.datetime(2026, 6, day, 12))

    for when, what, data in (
        (at(1), kind.ASSIGNED, {"due_on": "2026-07-31"}),
        (at(10), kind.LESSON_OPENED, {}),
    ):
        ProgressEvent.objects.create(
            user=clara,
            course=security_course,
            kind=what,
            occurred_at=when,
            authority=org["rpks"],
            data=data,
        )

    def rpks_on(day):
        report = completion_by_authority(
            viewer=hr_innen, filters=ReportFilters(), as_of=datetime.date(2026, 6, day)
        )
        return next(row for row in report.rows if row.abbreviation == "RPKS").counts

    assert (rpks_on(5).not_started, rpks_on(5).in_progress) == (1, 0)
    assert (rpks_on(11).not_started, rpks_on(11).in_progress) == (0, 1)


def test_exports_name_the_not_started_status(client, hr_innen, records):
    client.force_login(hr_innen)
    text = body_text(client.get(reverse("reports_course"), {"export": "csv"}))
    clara = next(line for line in text.splitlines() if "Cedern" in line)
    assert "Nicht begonnen" in clara
    completion = body_text(client.get(reverse("reports_completion"), {"export": "csv"}))
    assert "Nicht begonnen" in completion


def test_learning_record_shows_not_started(client, hr_innen, records):
    client.force_login(hr_innen)
    clara = records["people"]["clara"]
    html = client.get(reverse("reports_person", args=[clara.pk])).content.decode()
    assert "Nicht begonnen" in row_of(html, "Informationssicherheit")
