"""Reminders before the due date and weekly after it."""

from datetime import timedelta

import pytest
from django.utils import formats, translation

from tests.notifications.conftest import assign, days, finish, html_of, inbox, subjects, sweep

COURSE = "Informationssicherheit am Arbeitsplatz"


def reminders(user):
    return [s for s in subjects(user) if s.startswith("Reminder:")]


def overdue(user):
    return [s for s in subjects(user) if s.startswith("Overdue:")]


def english(day):
    with translation.override("en"):
        return formats.date_format(day, "SHORT_DATE_FORMAT")


def test_reminders_go_out_14_and_3_days_before_the_due_date(james, mandatory_course):
    due = days(30)
    assign(james, mandatory_course, due)
    sent_on = {}
    for before in range(30, -1, -1):
        count = len(reminders(james))
        sweep(on=due - timedelta(days=before))
        if len(reminders(james)) > count:
            sent_on[before] = reminders(james)[-1]

    subject = f"Reminder: “{COURSE}” is due on {english(due)}"
    assert sent_on == {14: subject, 3: subject}


def test_a_reminder_has_both_parts_the_due_date_and_the_course_link(james, mandatory_course):
    due = days(10)
    assign(james, mandatory_course, due)

    sweep()

    [message] = [m for m in inbox(james) if m.subject.startswith("Reminder:")]
    url = f"http://testserver{mandatory_course.url}"
    assert (
        f"The mandatory course “{COURSE}” is due on {english(due)}, and you have not "
        "completed it yet." in message.body
    )
    assert url in message.body and f'href="{url}"' in html_of(message)


def test_a_german_reminder_gives_the_date_the_german_way(anna, mandatory_course):
    due = days(3)
    assign(anna, mandatory_course, due)

    sweep()

    [message] = [m for m in inbox(anna) if "Informationssicherheit" in m.subject][1:]
    assert due.strftime("%d.%m.%Y") in message.subject
    assert due.strftime("%d.%m.%Y") in message.body
    assert due.strftime("%d.%m.%Y") in html_of(message)


def test_only_the_smallest_threshold_is_reminded_when_several_apply(james, mandatory_course):
    due = days(30)
    assign(james, mandatory_course, due)

    sweep(on=due - timedelta(days=2))  # both 14 and 3 days apply: the 3-day reminder only
    for before in (1, 0):
        sweep(on=due - timedelta(days=before))

    assert len(reminders(james)) == 1


def test_no_reminder_before_the_first_threshold(james, mandatory_course):
    assign(james, mandatory_course, days(15))

    sweep()

    assert reminders(james) == []


def test_a_completed_course_gets_no_reminders(james, mandatory_course):
    due = days(30)
    assign(james, mandatory_course, due)
    finish(james, mandatory_course)

    for before in (14, 3):
        sweep(on=due - timedelta(days=before))
    for after in (1, 8):
        sweep(on=due + timedelta(days=after))

    assert inbox(james) == []


def test_overdue_courses_are_reminded_weekly_four_times_at_most(james, mandatory_course):
    due = days(3)
    assign(james, mandatory_course, due)
    reminded_on = []
    for after in range(1, 40):
        count = len(overdue(james))
        sweep(on=due + timedelta(days=after))
        if len(overdue(james)) > count:
            reminded_on.append(after)

    assert reminded_on == [1, 8, 15, 22]
    assert set(overdue(james)) == {f"Overdue: “{COURSE}” was due on {english(due)}"}


def test_an_overdue_reminder_asks_to_complete_the_course_and_links_it(james, mandatory_course):
    assign(james, mandatory_course, days(-1))

    sweep()

    [message] = [m for m in inbox(james) if m.subject.startswith("Overdue:")]
    assert "Please complete it as soon as possible." in message.body
    assert f"http://testserver{mandatory_course.url}" in html_of(message)


def test_a_missed_week_is_not_made_up(james, mandatory_course):
    due = days(3)
    assign(james, mandatory_course, due)

    sweep(on=due + timedelta(days=2))  # week 1
    sweep(on=due + timedelta(days=20))  # week 3: weeks 2 was missed (no sweep ran)

    assert len(overdue(james)) == 2


@pytest.mark.parametrize("after", [1, 8, 22])
def test_no_overdue_reminder_once_the_course_is_completed(james, mandatory_course, after):
    due = days(3)
    assign(james, mandatory_course, due)
    finish(james, mandatory_course)

    sweep(on=due + timedelta(days=after))

    assert overdue(james) == []
