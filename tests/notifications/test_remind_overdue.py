"""HR reminds the overdue people now, from an assignment's page or the dashboard: only the
overdue ones in their scope get the e-mail, and each at most once a day."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from courses.assignments.services import assignment_create
from courses.models import Enrolment
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def in_days(days):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def team(org):
    return {
        "late": UserFactory(email="spaet@verwaltung.example", authority=org["rpda"]),
        "on_time": UserFactory(email="puenktlich@verwaltung.example", authority=org["rpda"]),
        "finance": UserFactory(email="finanz@verwaltung.example", authority=org["hzd"]),
    }


@pytest.fixture
def assignment(centre_admin, mandatory_course, team):
    assignment = assignment_create(
        by=centre_admin,
        course=mandatory_course,
        due_on=in_days(10),
        people=[team["late"], team["on_time"]],
    )
    assignment_create(
        by=centre_admin, course=mandatory_course, due_on=in_days(10), people=[team["finance"]]
    )
    Enrolment.objects.exclude(user=team["on_time"]).update(due_on=in_days(-2))
    mail.outbox.clear()
    return assignment


def remind(client, assignment=None):
    url = reverse("notifications_remind_overdue")
    if assignment is not None:
        url += f"?assignment={assignment.pk}"
    return client.post(url, follow=True)


def test_hr_reminds_the_overdue_people_of_an_assignment_once_a_day(
    client, hr_innen, assignment, team, django_capture_on_commit_callbacks
):
    client.force_login(hr_innen)
    with django_capture_on_commit_callbacks(execute=True):
        response = remind(client, assignment)
    assert [message.to for message in mail.outbox] == [[team["late"].email]]
    assert "1 Person" in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        again = remind(client, assignment)
    assert len(mail.outbox) == 1
    assert "heute bereits erinnert" in again.content.decode()


def test_the_whole_scope_can_be_reminded_from_the_dashboard(
    client, centre_admin, assignment, team, django_capture_on_commit_callbacks
):
    client.force_login(centre_admin)
    with django_capture_on_commit_callbacks(execute=True):
        remind(client)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [team["late"].email, team["finance"].email]
    )


def test_hr_of_finance_cannot_remind_for_an_interior_assignment(
    client,
    hr_finanzen,
    org,
    mandatory_course,
    centre_admin,
):
    person = UserFactory(authority=org["rpda"])
    interior = assignment_create(
        by=centre_admin, course=mandatory_course, due_on=in_days(10), authority=org["rpda"]
    )
    Enrolment.objects.update(due_on=in_days(-2))
    mail.outbox.clear()
    client.force_login(hr_finanzen)
    response = client.post(reverse("notifications_remind_overdue") + f"?assignment={interior.pk}")
    assert response.status_code == 404
    assert not mail.outbox
    assert person.pk


def test_learners_cannot_send_reminders(client, org, assignment):
    client.force_login(UserFactory(authority=org["rpda"]))
    assert remind(client, assignment).status_code in (403, 302)
    assert not mail.outbox


def test_the_assignment_page_offers_the_reminder(client, hr_innen, assignment):
    client.force_login(hr_innen)
    page = client.get(reverse("courses_assignments:inspect", args=[assignment.pk]))
    assert reverse("notifications_remind_overdue") in page.content.decode()
