"""The weekly overview of overdue people for each HR coordinator, within their scope."""

from datetime import timedelta

import pytest

from courses.models import Enrolment
from lms.notifications.models import Notification
from lms.people.models import User
from tests.notifications.conftest import assign, days, finish, html_of, inbox, sweep

REPORT_URL = "http://testserver/admin/reports/compliance/"


def overview(user):
    """The weekly overviews this person received (the only e-mails linking the report)."""
    return [m for m in inbox(user) if REPORT_URL in m.body]


def monday(weeks_from_now=0):
    today = days(0)
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks_from_now)


@pytest.fixture
def overdue_anna_and_james(anna, james, mandatory_course):
    assign(anna, mandatory_course, days(-10))
    assign(james, mandatory_course, days(-10))


def test_hr_of_finance_sees_no_interior_people(hr_finanzen, overdue_anna_and_james):
    sweep()

    [message] = overview(hr_finanzen)
    assert "James Learns (HZD)" in message.body
    assert "James Learns (HZD)" in html_of(message)
    assert "Anna Lernt" not in message.body + html_of(message)


def test_hr_of_the_interior_sees_only_interior_people(hr_innen, overdue_anna_and_james):
    sweep()

    [message] = overview(hr_innen)
    assert "Anna Lernt (RPDA)" in message.body
    assert "James" not in message.body + html_of(message)


def test_the_overview_links_the_compliance_report_and_names_the_week(
    hr_finanzen, overdue_anna_and_james
):
    hr_finanzen.preferred_language = "en"
    hr_finanzen.save()
    sweep(on=monday(1))

    [message] = overview(hr_finanzen)
    assert REPORT_URL in message.body
    assert f'href="{REPORT_URL}"' in html_of(message)
    year, week, _ = monday(1).isocalendar()
    assert message.subject == f"Overdue mandatory training in your area, week {week}/{year}"
    assert "People in your area with overdue mandatory training: 1" in message.body
    assert "- James Learns (HZD), overdue courses: 1" in message.body
    notification = Notification.objects.get(user=hr_finanzen)
    assert notification.occasion == f"{year}-W{week:02d}"


def test_no_overview_when_nobody_in_scope_is_overdue(hr_finanzen, anna, mandatory_course):
    assign(anna, mandatory_course, days(-3))

    sweep()

    assert inbox(hr_finanzen) == []


def test_people_who_completed_their_course_are_not_listed(hr_finanzen, james, mandatory_course):
    assign(james, mandatory_course, days(-3))
    finish(james, mandatory_course)

    sweep()

    assert inbox(hr_finanzen) == []


def test_the_overview_goes_out_once_a_week(hr_finanzen, overdue_anna_and_james):
    for day in range(14):
        sweep(on=monday() + timedelta(days=day))

    assert len(overview(hr_finanzen)) == 2
    assert Notification.objects.filter(user=hr_finanzen, kind="hr_digest").count() == 2


def test_at_most_50_people_are_named_and_the_rest_counted(org, hr_finanzen, mandatory_course):
    hr_finanzen.preferred_language = "en"
    hr_finanzen.save()
    people = User.objects.bulk_create(
        User(
            email=f"person{n:02d}@hzd.example",
            first_name="Person",
            last_name=f"{n:02d}",
            authority=org["hzd"],
        )
        for n in range(53)
    )
    Enrolment.objects.bulk_create(
        Enrolment(
            user=person,
            course=mandatory_course,
            source=Enrolment.Source.ASSIGNED,
            due_on=days(-10),
        )
        for person in people
    )

    sweep()

    [message] = overview(hr_finanzen)
    listed = [line for line in message.body.splitlines() if line.startswith("- ")]
    assert len(listed) == 50
    assert listed[0] == "- Person 00 (HZD), overdue courses: 1"
    assert listed[-1] == "- Person 49 (HZD), overdue courses: 1"
    assert "People in your area with overdue mandatory training: 53" in message.body
    assert "… and 3 more" in message.body
    assert html_of(message).count("<li>") == 50
    assert "… and 3 more" in html_of(message)


def test_someone_who_is_not_hr_gets_no_overview(overdue_anna_and_james, anna, james):
    sweep()

    assert Notification.objects.filter(kind="hr_digest").count() == 0
