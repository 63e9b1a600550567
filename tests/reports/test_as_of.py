"""The completion report "as of" a past day, replayed from the progress event log."""

import datetime

import pytest
from django.utils import timezone

from courses.models import ProgressEvent
from lms.reports.selectors import ReportFilters, completion_by_authority
from tests.reports.conftest import person

BERLIN_DAY = datetime.date


def at(day, hour=12, minute=0):
    """A moment on a Berlin calendar day."""
    return timezone.make_aware(datetime.datetime(2026, day[0], day[1], hour, minute))


def event(user, course, kind, when, authority, **data):
    ProgressEvent.objects.create(
        user=user, course=course, kind=kind, occurred_at=when, authority=authority, data=data
    )


@pytest.fixture
def history(org, security_course):
    """A scripted year: who was assigned, completed, left and renewed when."""
    course = security_course
    rpda, rpks, hzd = org["rpda"], org["rpks"], org["hzd"]
    anna = person(rpda, "Anna", "Amsel", "PN-INNEN-1")
    bernd = person(rpda, "Bernd", "Birke", "PN-INNEN-2")
    clara = person(rpks, "Clara", "Cedern", "PN-INNEN-3")
    emil = person(rpks, "Emil", "Espe", "PN-INNEN-4")
    dora = person(hzd, "Dora", "Finanzfrau", "PN-FIN-1")
    K = ProgressEvent.Kind
    # Anna: assigned in March, due 30 April, completed 10 May (late).
    event(anna, course, K.ASSIGNED, at((3, 1)), rpda, due_on="2026-04-30")
    event(anna, course, K.COURSE_COMPLETED, at((5, 10)), rpda)
    # Bernd: assigned in March, due 30 April, completed on 30 April just before midnight.
    event(bernd, course, K.ASSIGNED, at((3, 1)), rpda, due_on="2026-04-30")
    event(bernd, course, K.COURSE_COMPLETED, at((4, 30), 23, 50), rpda)
    # Clara: enrolled herself in February, assigned in June (due 31 July), never completed.
    event(clara, course, K.ENROLLED, at((2, 1)), rpks)
    event(clara, course, K.ASSIGNED, at((6, 1)), rpks, due_on="2026-07-31")
    # Emil: enrolled himself in March and left in April.
    event(emil, course, K.ENROLLED, at((3, 5)), rpks)
    event(emil, course, K.DROPPED, at((4, 5)), rpks)
    # Anna again: renewed in September (annual training), due 31 October, not yet done.
    event(anna, course, K.ASSIGNED, at((9, 1)), rpda, due_on="2026-10-31", renewal=True)
    # Dora (finance): assigned in March, due 30 April, never completed.
    event(dora, course, K.ASSIGNED, at((3, 1)), hzd, due_on="2026-04-30")
    return course


def figures(viewer, day, **filters):
    report = completion_by_authority(viewer=viewer, filters=ReportFilters(**filters), as_of=day)
    rows = {row.abbreviation: row.counts for row in report.rows}
    return report, rows


def test_before_anything_happened_nobody_is_counted(hr_innen, history):
    report, _rows = figures(hr_innen, BERLIN_DAY(2026, 1, 15))
    assert report.total.total == 0


def test_end_of_april_counts_the_completion_just_before_midnight(hr_innen, history):
    _report, rows = figures(hr_innen, BERLIN_DAY(2026, 4, 30))
    assert (rows["RPDA"].total, rows["RPDA"].completed, rows["RPDA"].overdue) == (2, 1, 0)


def test_first_of_may_anna_is_overdue(hr_innen, history):
    _report, rows = figures(hr_innen, BERLIN_DAY(2026, 5, 1))
    assert (rows["RPDA"].completed, rows["RPDA"].overdue) == (1, 1)
    # Clara chose the course herself then: not among the assigned.
    assert rows["RPKS"].total == 0


def test_self_chosen_and_left_courses_as_of_april(hr_innen, history):
    _report, rows = figures(hr_innen, BERLIN_DAY(2026, 4, 1), mandatory_only=False)
    assert rows["RPKS"].total == 2  # Clara and Emil, before Emil left
    _report, rows = figures(hr_innen, BERLIN_DAY(2026, 4, 6), mandatory_only=False)
    assert rows["RPKS"].total == 1


def test_summer_clara_is_assigned_and_later_overdue(hr_innen, history):
    _report, rows = figures(hr_innen, BERLIN_DAY(2026, 7, 31))
    # Assigned, nothing done yet: not started.
    assert (rows["RPKS"].total, rows["RPKS"].overdue, rows["RPKS"].not_started) == (1, 0, 1)
    _report, rows = figures(hr_innen, BERLIN_DAY(2026, 8, 1))
    assert rows["RPKS"].overdue == 1


def test_a_renewal_starts_a_new_round(hr_innen, history):
    _report, rows = figures(hr_innen, BERLIN_DAY(2026, 8, 31))
    assert (rows["RPDA"].completed, rows["RPDA"].not_started) == (2, 0)
    _report, rows = figures(hr_innen, BERLIN_DAY(2026, 9, 1))
    assert (rows["RPDA"].completed, rows["RPDA"].not_started) == (1, 1)
    _report, rows = figures(hr_innen, BERLIN_DAY(2026, 11, 1))
    assert (rows["RPDA"].completed, rows["RPDA"].overdue) == (1, 1)
    assert rows["HMdI"].total == 3


def test_as_of_keeps_to_the_scope(hr_finanzen, hr_innen, history):
    report, rows = figures(hr_finanzen, BERLIN_DAY(2026, 5, 1))
    assert set(rows) == {"HMdF", "HZD"}
    assert (rows["HZD"].total, rows["HZD"].overdue) == (1, 1)
    report, rows = figures(hr_innen, BERLIN_DAY(2026, 5, 1))
    assert report.total.total == 2


def test_as_of_in_the_report_view(client, hr_innen, history):
    from django.urls import reverse

    client.force_login(hr_innen)
    response = client.get(reverse("reports_completion"), {"as_of": "2026-05-01"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "01.05.2026" in html
