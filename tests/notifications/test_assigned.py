"""The e-mail that tells someone a mandatory course was assigned to them."""

from django.db import transaction
from django.utils import formats, translation

from courses import services as course_services
from lms.notifications.models import Notification
from tests.notifications.conftest import (
    assign,
    days,
    finish,
    html_of,
    inbox,
    subjects,
    sweep,
)


def test_an_assignment_is_emailed_in_german_with_both_parts_and_the_course_link(
    anna, mandatory_course
):
    assign(anna, mandatory_course, days(30))

    assert sweep() == 1

    [message] = inbox(anna)
    html = html_of(message)
    url = f"http://testserver{mandatory_course.url}"
    assert url.startswith("http")
    assert url in message.body and f'href="{url}"' in html
    assert "Informationssicherheit am Arbeitsplatz" in message.subject
    # German dates, whatever the state of the German catalogue.
    due = days(30).strftime("%d.%m.%Y")
    assert due in message.body and due in html
    assert '<html lang="de">' in html
    notification = Notification.objects.get(user=anna)
    assert (notification.kind, notification.language, notification.status) == (
        "assigned",
        "de",
        "sent",
    )
    assert notification.subject == message.subject and notification.sent_at is not None


def test_someone_who_chose_english_gets_it_in_english(james, mandatory_course):
    assign(james, mandatory_course, days(30))

    sweep()

    [message] = inbox(james)
    with translation.override("en"):
        due = formats.date_format(days(30), "SHORT_DATE_FORMAT")
    assert message.subject == "Mandatory course assigned: Informationssicherheit am Arbeitsplatz"
    assert "Hello James Learns," in message.body
    assert (
        "You have been assigned the mandatory course “Informationssicherheit am Arbeitsplatz”. "
        f"Please complete it by {due}." in message.body
    )
    assert f"Open the course: http://testserver{mandatory_course.url}" in message.body
    assert '<html lang="en">' in html_of(message)
    assert Notification.objects.get(user=james).language == "en"


def test_a_course_chosen_by_the_learner_is_not_announced(anna, mandatory_course):
    course_services.enrolment_create(user=anna, course=mandatory_course)

    assert sweep() == 0
    assert inbox(anna) == []


def test_a_course_completed_before_the_sweep_is_not_announced(anna, mandatory_course):
    assign(anna, mandatory_course, days(30))
    finish(anna, mandatory_course)

    assert sweep() == 0


def test_making_a_chosen_course_mandatory_announces_it(james, mandatory_course):
    course_services.enrolment_create(user=james, course=mandatory_course)
    assign(james, mandatory_course, days(30))

    sweep()

    assert subjects(james) == ["Mandatory course assigned: Informationssicherheit am Arbeitsplatz"]


def test_a_renewal_is_announced_as_a_new_round(james, mandatory_course):
    enrolment = assign(james, mandatory_course, days(30))
    sweep()
    finish(james, mandatory_course)
    course_services.enrolment_renew(enrolment=enrolment, due_on=days(60))

    assert sweep() == 1
    assert subjects(james) == [
        "Mandatory course assigned: Informationssicherheit am Arbeitsplatz",
        "Mandatory course assigned again: Informationssicherheit am Arbeitsplatz",
    ]
    assert "assigned to you again" in inbox(james)[1].body


def test_the_person_is_told_as_soon_as_the_assignment_commits(
    james, mandatory_course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assign(james, mandatory_course, days(30))

    assert subjects(james) == ["Mandatory course assigned: Informationssicherheit am Arbeitsplatz"]


def test_an_assignment_that_is_rolled_back_is_not_announced(
    james, mandatory_course, django_capture_on_commit_callbacks
):
    class Undo(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                assign(james, mandatory_course, days(30))
                raise Undo
        except Undo:
            pass

    assert callbacks == []
    assert inbox(james) == []


def test_course_titles_are_escaped_in_html_and_kept_in_text(james, catalog):
    from tests.courses.conftest import add_course

    course = add_course(catalog, title="Datenschutz & <Recht>", is_mandatory=True)
    assign(james, course, days(30))

    sweep()

    [message] = inbox(james)
    assert "Datenschutz & <Recht>" in message.subject
    assert "“Datenschutz & <Recht>”" in message.body
    assert "Datenschutz &amp; &lt;Recht&gt;" in html_of(message)
    assert "<Recht>" not in html_of(message)
