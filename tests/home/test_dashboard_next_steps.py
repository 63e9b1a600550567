# ruff: noqa: F811  (the fixtures shared with the course and certificate tests are imported)
"""Every card on "Mein Lernen" has its one next step, and following it leads to the right place."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import Enrolment
from courses.services import enrolment_create, lesson_complete, lesson_open
from tests.certificates.conftest import (  # noqa: F401
    _private_files_in_tmp,
    certificate_template,
    complete,
)
from tests.courses.conftest import add_course, catalog, lessons_of  # noqa: F401
from tests.courses.quizzes.conftest import add_quiz
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(org):
    return UserFactory(authority=org["rpda"], first_name="Alex", preferred_language="en")


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


def card_of(client, course):
    """The course's card on the learner's home page."""
    response = client.get("/")
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    [card] = [
        item
        for item in page.select(
            "#dashboard-assigned .dashboard-item, #dashboard-in-progress .dashboard-item,"
            " #dashboard-completed .dashboard-item"
        )
        if item.h4 and item.h4.get_text(strip=True) == course.title
    ]
    return card


def step_of(client, course):
    """The card's next step: its words and where its link leads."""
    step = card_of(client, course).find(class_="next-step")
    assert step is not None, "the card offers no next step"
    link = step.find("a")
    return " ".join(step.get_text(" ").split()), link["href"] if link else None


def test_a_course_just_assigned_begins_with_its_first_lesson(learner, learner_client, catalog):
    course = add_course(catalog, title="Informationssicherheit", lessons=3)
    enrolment_create(
        user=learner,
        course=course,
        source=Enrolment.Source.ASSIGNED,
        due_on=timezone.localdate() + timedelta(days=14),
    )
    text, url = step_of(learner_client, course)
    assert text == "Begin : Informationssicherheit"
    assert url == lessons_of(course)[0].url
    assert learner_client.get(url).status_code == 200  # the lesson opens


def test_a_course_in_progress_continues_with_the_next_unfinished_lesson(
    learner, learner_client, catalog
):
    course = add_course(catalog, title="E-Akte", lessons=3)
    first, second, _third = lessons_of(course)
    enrolment_create(user=learner, course=course)
    lesson_open(user=learner, lesson=first)
    lesson_complete(user=learner, lesson=first)
    assert step_of(learner_client, course) == ("Continue with Lektion 2", second.url)


def test_the_lesson_opened_last_and_not_finished_is_where_one_continues(
    learner, learner_client, catalog
):
    course = add_course(catalog, title="E-Akte", lessons=3)
    first, _second, third = lessons_of(course)
    enrolment_create(user=learner, course=course)
    lesson_complete(user=learner, lesson=first)
    lesson_open(user=learner, lesson=third)
    assert step_of(learner_client, course) == ("Continue with Lektion 3", third.url)


def test_a_course_whose_lesson_was_opened_but_not_finished_continues_with_it(
    learner, learner_client, catalog
):
    course = add_course(catalog, title="E-Akte", lessons=2)
    first = lessons_of(course)[0]
    enrolment_create(user=learner, course=course)
    lesson_open(user=learner, lesson=first)
    assert step_of(learner_client, course) == ("Continue with Lektion 1", first.url)


def test_with_every_lesson_done_the_final_test_is_next(learner, learner_client, catalog):
    course = add_course(catalog, title="Grundlagen des OZG", lessons=2)
    quiz = add_quiz(course)
    enrolment_create(user=learner, course=course)
    for lesson in lessons_of(course):
        lesson_complete(user=learner, lesson=lesson)
    text, url = step_of(learner_client, course)
    assert text == "Go to the final test : Grundlagen des OZG"
    assert url == quiz.url
    assert learner_client.get(url).status_code == 200  # the quiz opens


def test_a_lesson_published_later_is_the_next_step_at_once(learner, learner_client, catalog):
    from courses.models import LessonPage
    from tests.courses.conftest import publish

    course = add_course(catalog, title="Grundlagen des OZG", lessons=1)
    add_quiz(course)
    enrolment_create(user=learner, course=course)
    lesson_complete(user=learner, lesson=lessons_of(course)[0])
    assert step_of(learner_client, course)[0] == "Go to the final test : Grundlagen des OZG"
    # The course's outline is cached; publishing a lesson must show in the next step.
    new = course.add_child(instance=LessonPage(title="Neue Pflichtlektion", body=[]))
    publish(new)
    text, url = step_of(learner_client, course)
    assert text == "Continue with Neue Pflichtlektion"
    assert url == new.url


def test_a_renamed_course_leads_to_its_lessons_new_addresses(learner, learner_client, catalog):
    from tests.courses.conftest import publish

    course = add_course(catalog, title="Grundlagen des OZG", lessons=2)
    enrolment_create(user=learner, course=course)
    step_of(learner_client, course)  # the outline is now cached
    course.slug = "ozg-neu"
    publish(course)
    _, url = step_of(learner_client, course)
    assert "/ozg-neu/" in url
    assert url == lessons_of(course)[0].url
    assert learner_client.get(url).status_code == 200


def test_a_completed_course_offers_its_certificate_pdf(
    learner, learner_client, catalog, certificate_template, django_capture_on_commit_callbacks
):
    course = add_course(
        catalog, title="Datenschutz", lessons=1, certificate_template=certificate_template
    )
    with django_capture_on_commit_callbacks(execute=True):
        complete(learner, course)
    text, url = step_of(learner_client, course)
    assert text == "Certificate : Datenschutz (PDF)"
    response = learner_client.get(url)
    assert response.status_code == 200
    assert b"".join(response).startswith(b"%PDF")


def test_a_completed_course_says_while_its_certificate_is_being_issued(
    learner, learner_client, catalog, certificate_template
):
    course = add_course(
        catalog, title="Datenschutz", lessons=1, certificate_template=certificate_template
    )
    complete(learner, course)  # the certificate is queued after commit, which never comes here
    card = card_of(learner_client, course)
    step = card.find(class_="next-step")
    assert step.find("a") is None
    assert "Your certificate is being issued" in step.get_text()
    assert step.find(role="status") is not None


def test_a_completed_course_without_certificate_leads_back_to_the_course(
    learner, learner_client, catalog
):
    course = add_course(catalog, title="Leichte Sprache", lessons=1)
    complete(learner, course)
    assert step_of(learner_client, course) == ("Go to the course : Leichte Sprache", course.url)


def test_a_new_round_of_a_recurring_course_begins_again(learner, learner_client, catalog):
    course = add_course(catalog, title="Informationssicherheit", lessons=2)
    enrolment = complete(learner, course)
    enrolment.completed_at = None
    enrolment.round_started_at = timezone.now()
    enrolment.progress_percent = 0
    enrolment.save()
    # The lessons done in the last round count no more: the lesson opened last comes first.
    text, url = step_of(learner_client, course)
    assert url in {lesson.url for lesson in lessons_of(course)}
    assert text.startswith("Continue with Lektion")


def test_every_state_on_one_page_costs_the_same_queries_as_a_single_course(
    learner, learner_client, catalog, certificate_template, django_capture_on_commit_callbacks
):
    def queries_for_home():
        learner_client.get("/")  # the process's caches fill once
        with CaptureQueriesContext(connection) as captured:
            assert learner_client.get("/").status_code == 200
        return len(captured)

    fresh = add_course(catalog, title="Neu", slug="neu", lessons=2)
    enrolment_create(user=learner, course=fresh)
    one = queries_for_home()

    started = add_course(catalog, title="Begonnen", slug="begonnen", lessons=3)
    enrolment_create(user=learner, course=started)
    lesson_complete(user=learner, lesson=lessons_of(started)[0])
    quiz_left = add_course(catalog, title="Test offen", slug="test-offen", lessons=1)
    add_quiz(quiz_left)
    complete(learner, quiz_left)
    certified = add_course(
        catalog,
        title="Zertifiziert",
        slug="zertifiziert",
        lessons=1,
        certificate_template=certificate_template,
    )
    with django_capture_on_commit_callbacks(execute=True):
        complete(learner, certified)
    assert queries_for_home() == one
    kinds = {
        course.title: card_of(learner_client, course).find(class_="next-step")["data-step"]
        for course in (fresh, started, quiz_left, certified)
    }
    assert kinds == {
        "Neu": "start",
        "Begonnen": "resume",
        "Test offen": "quiz",
        "Zertifiziert": "certificate",
    }


def test_the_certificate_link_is_the_one_the_certificate_list_offers(
    learner, learner_client, catalog, certificate_template, django_capture_on_commit_callbacks
):
    course = add_course(
        catalog, title="Datenschutz", lessons=1, certificate_template=certificate_template
    )
    with django_capture_on_commit_callbacks(execute=True):
        complete(learner, course)
    page = BeautifulSoup(learner_client.get("/").content, "html.parser")
    listed = page.find(id="dashboard-certificates").find("a", attrs={"download": True})["href"]
    assert step_of(learner_client, course)[1] == listed
