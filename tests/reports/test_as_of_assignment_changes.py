"""The completion report of a past day after an assignment changed: a new due date, one
person's extension and a withdrawal count from the moment they were made, not before."""

import datetime
from datetime import timedelta

import pytest
from django.utils import timezone

from courses.assignments.services import (
    assignment_create,
    assignment_due_change,
    assignment_withdraw,
    enrolment_due_extend,
)
from courses.models import Enrolment, ProgressEvent
from courses.services import lesson_open
from lms.reports.selectors import ReportFilters, completion_by_authority
from tests.courses.conftest import lessons_of
from tests.reports.conftest import person
from tests.reports.test_as_of import at, event

pytestmark = pytest.mark.django_db

K = ProgressEvent.Kind


def figures(viewer, day, **filters):
    report = completion_by_authority(viewer=viewer, filters=ReportFilters(**filters), as_of=day)
    return {row.abbreviation: row.counts for row in report.rows}


def as_tuples(report):
    return {
        row.abbreviation: (
            row.counts.total,
            row.counts.completed,
            row.counts.overdue,
            row.counts.not_started,
            row.counts.in_progress,
        )
        for row in report.rows
    }


@pytest.fixture
def changed_history(org, security_course):
    """A scripted spring: all three were assigned on 1 March, due 30 April."""
    rpda = org["rpda"]
    gina = person(rpda, "Gina", "Gingko", "PN-INNEN-7")
    hans = person(rpda, "Hans", "Hasel", "PN-INNEN-8")
    ida = person(rpda, "Ida", "Ilme", "PN-INNEN-9")
    course = security_course
    for someone in (gina, hans, ida):
        event(someone, course, K.ASSIGNED, at((3, 1)), rpda, due_on="2026-04-30")
    # Gina, overdue since 1 May, is given until 30 June on 5 May.
    event(
        gina,
        course,
        K.DUE_CHANGED,
        at((5, 5)),
        rpda,
        due_on="2026-06-30",
        old_due_on="2026-04-30",
        extension="True",
    )
    # Hans started in March; the assignment is withdrawn on 10 May and he keeps the course.
    event(hans, course, K.LESSON_OPENED, at((3, 10)), rpda)
    event(hans, course, K.UNASSIGNED, at((5, 10)), rpda, old_due_on=None)
    # Ida never started; the withdrawal on 10 May removes her enrolment.
    event(ida, course, K.DROPPED, at((5, 10)), rpda, withdrawn="True")
    return course


def test_before_an_extension_the_old_due_date_makes_the_person_overdue(hr_innen, changed_history):
    rows = figures(hr_innen, datetime.date(2026, 5, 4))
    assert (rows["RPDA"].total, rows["RPDA"].overdue) == (3, 3)


def test_from_the_day_of_an_extension_the_new_due_date_counts(hr_innen, changed_history):
    rows = figures(hr_innen, datetime.date(2026, 5, 5))
    # Gina is no longer overdue; Hans and Ida still are until the withdrawal.
    assert (rows["RPDA"].total, rows["RPDA"].overdue, rows["RPDA"].not_started) == (3, 2, 1)


def test_after_the_extended_due_date_the_person_is_overdue_again(hr_innen, changed_history):
    rows = figures(hr_innen, datetime.date(2026, 7, 1))
    assert (rows["RPDA"].total, rows["RPDA"].overdue) == (1, 1)


def test_a_due_date_filter_uses_the_date_valid_on_that_day(hr_innen, changed_history):
    before = figures(hr_innen, datetime.date(2026, 5, 4), due_from=datetime.date(2026, 6, 1))
    after = figures(hr_innen, datetime.date(2026, 5, 6), due_from=datetime.date(2026, 6, 1))
    assert before["RPDA"].total == 0
    assert after["RPDA"].total == 1


def test_a_withdrawn_assignment_is_no_longer_mandatory_from_that_day(hr_innen, changed_history):
    rows = figures(hr_innen, datetime.date(2026, 5, 9))
    assert (rows["RPDA"].total, rows["RPDA"].overdue) == (3, 2)
    rows = figures(hr_innen, datetime.date(2026, 5, 10))
    # Only Gina is left among the assigned; Hans and Ida are not counted or overdue any more.
    assert (rows["RPDA"].total, rows["RPDA"].overdue) == (1, 0)


def test_a_withdrawn_but_started_course_counts_as_chosen_by_the_person(hr_innen, changed_history):
    rows = figures(hr_innen, datetime.date(2026, 5, 10), mandatory_only=False)
    # Gina (assigned) and Hans (his own course now, in progress, no due date); Ida is gone.
    assert (rows["RPDA"].total, rows["RPDA"].overdue, rows["RPDA"].in_progress) == (2, 0, 1)
    rows = figures(hr_innen, datetime.date(2026, 12, 1), mandatory_only=False)
    assert (rows["RPDA"].total, rows["RPDA"].overdue) == (2, 1)


def test_a_due_date_change_recorded_without_the_new_date_keeps_the_old_one(
    org, hr_innen, security_course
):
    jana = person(org["rpda"], "Jana", "Jasmin", "PN-INNEN-10")
    event(jana, security_course, K.ASSIGNED, at((3, 1)), org["rpda"], due_on="2026-04-30")
    event(jana, security_course, K.DUE_CHANGED, at((4, 1)), org["rpda"])
    rows = figures(hr_innen, datetime.date(2026, 5, 1))
    assert (rows["RPDA"].total, rows["RPDA"].overdue) == (1, 1)


def in_days(days):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def changed_today(org, hr_innen, security_course):
    """Assignments changed through the services: a new due date, an extension and a withdrawal
    that removes one enrolment and leaves a started one as the person's own course."""
    rpda, rpks = org["rpda"], org["rpks"]
    course = security_course
    anna = person(rpda, "Anna", "Amsel", "PN-INNEN-1")
    bernd = person(rpda, "Bernd", "Birke", "PN-INNEN-2")
    clara = person(rpks, "Clara", "Cedern", "PN-INNEN-3")
    dora = person(rpks, "Dora", "Dorn", "PN-INNEN-4")
    kept = assignment_create(by=hr_innen, course=course, due_on=in_days(30), people=[anna, bernd])
    withdrawn = assignment_create(
        by=hr_innen, course=course, due_on=in_days(20), people=[clara, dora]
    )
    enrolment_due_extend(
        by=hr_innen,
        assignment=kept,
        enrolment=Enrolment.objects.get(user=bernd, course=course),
        due_on=in_days(45),
        reason="Elternzeit",
    )
    assignment_due_change(by=hr_innen, assignment=kept, due_on=in_days(40))
    lesson_open(user=clara, lesson=lessons_of(course)[0])
    assignment_withdraw(by=hr_innen, assignment=withdrawn, reason="Doppelt zugewiesen")
    return {"course": course, "anna": anna, "bernd": bernd, "clara": clara, "dora": dora}


@pytest.mark.parametrize("mandatory_only", [True, False])
def test_the_report_of_today_and_the_replay_of_today_agree_after_changes(
    hr_innen, changed_today, mandatory_only
):
    filters = ReportFilters(mandatory_only=mandatory_only)
    today = timezone.localdate()
    current = completion_by_authority(viewer=hr_innen, filters=filters)
    replayed = completion_by_authority(viewer=hr_innen, filters=filters, as_of=today)
    assert as_tuples(replayed) == as_tuples(current)
    assert replayed.total.total == current.total.total == (2 if mandatory_only else 3)


@pytest.mark.parametrize(
    ("days", "total"),
    [(30, 0), (40, 1), (45, 1)],
)
def test_today_and_its_replay_agree_on_the_due_dates_after_changes(
    hr_innen, changed_today, days, total
):
    # Anna's date moved from day 30 to 40; Bernd's extension to day 45 reaches further and stays.
    filters = ReportFilters(due_from=in_days(days), due_to=in_days(days))
    current = completion_by_authority(viewer=hr_innen, filters=filters)
    replayed = completion_by_authority(viewer=hr_innen, filters=filters, as_of=timezone.localdate())
    assert current.total.total == replayed.total.total == total
    assert as_tuples(replayed) == as_tuples(current)
