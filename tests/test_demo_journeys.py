"""The demo as its users meet it: Anna learns and takes quizzes, the trainer writes a course."""

import re

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import CatalogPage, CoursePage, Enrolment, LessonPage, QuizAttempt
from lms.people.models import User
from tests.courses.test_authoring import course_form
from tests.courses.test_quiz_pages import right_answers

pytestmark = pytest.mark.django_db

PASSWORD = "demo-lms-2026"


@pytest.fixture
def demo(demo_seeded, client):
    client.cookies["lms_language"] = "de"
    return client


def sign_in(client, email):
    client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert "_auth_user_id" in client.session


def test_anna_sees_her_assignments_enrols_finishes_a_course_and_sees_it_completed(demo):
    sign_in(demo, "anna.lernt@demo.example")
    home = demo.get("/").content.decode()
    assigned = home[
        home.index('id="dashboard-assigned"') : home.index('id="dashboard-in-progress"')
    ]
    assert "Grundlagen des Onlinezugangsgesetzes" in assigned
    assert "Informationssicherheit am Arbeitsplatz" in assigned
    assert "überfällig" in assigned.lower()

    catalog = demo.get("/kurse/").content.decode()
    assert "E-Akte in der Praxis" in catalog
    course = CoursePage.objects.get(slug="e-akte-praxis")
    response = demo.post(reverse("courses:enrol", args=[course.pk]))
    lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))
    assert response["Location"] == lessons[0].url

    for lesson in lessons:
        page = demo.get(lesson.url).content.decode()
        assert lesson.title in page
        action = re.search(r'action="([^"]*/erledigt/)"', page).group(1)
        response = demo.post(action)

    # After the last lesson the final quiz is what remains.
    anna = User.objects.get(email="anna.lernt@demo.example")
    assert Enrolment.objects.get(user=anna, course=course).completed_at is None
    quiz_url = response["Location"]
    attempt = start_quiz(demo, demo.get(quiz_url).content.decode(), "start-form")
    result = answer_and_submit(demo, attempt, right_answers(attempt))
    assert 'class="card quiz-outcome is-passed"' in result and "100 %" in result

    assert Enrolment.objects.get(user=anna, course=course).completed_at is not None
    home = demo.get("/").content.decode()
    completed = home[home.index('id="dashboard-completed"') :]
    assert "E-Akte in der Praxis" in completed


def start_quiz(client, html, form_id):
    """Posts the start (or retry) form on the page; returns the attempt it opened."""
    action = re.search(rf'<form method="post" action="([^"]+)" id="{form_id}"', html).group(1)
    response = client.post(action)
    attempt = QuizAttempt.objects.get(pk=re.search(r"/versuch/(\d+)/", response["Location"])[1])
    assert response["Location"] == f"/lernen/versuch/{attempt.pk}/seite/1/"
    return attempt


def answer_and_submit(client, attempt, pages):
    """Saves the given answers page by page, then submits; returns the result page."""
    for page, data in pages.items():
        attempt.refresh_from_db()
        response = client.post(
            f"/lernen/versuch/{attempt.pk}/seite/{page}/",
            {**data, "version": attempt.version, "action": "summary"},
        )
        assert response["Location"] == f"/lernen/versuch/{attempt.pk}/abgeben/"
    assert client.get(f"/lernen/versuch/{attempt.pk}/abgeben/").status_code == 200
    response = client.post(f"/lernen/versuch/{attempt.pk}/abgeben/")
    assert response["Location"] == f"/lernen/versuch/{attempt.pk}/"
    return client.get(response["Location"]).content.decode()


def test_anna_fails_the_ozg_quiz_tries_again_passes_and_the_course_is_completed(demo):
    sign_in(demo, "anna.lernt@demo.example")
    anna = User.objects.get(email="anna.lernt@demo.example")
    course = CoursePage.objects.get(slug="ozg-grundlagen")
    # Her lessons are done; the course page sends her to the quiz.
    overview = demo.get(course.url).content.decode()
    quiz_url = re.search(r'id="quiz-link" href="([^"]+)"', overview).group(1)
    first = start_quiz(demo, demo.get(quiz_url).content.decode(), "start-form")

    # Only the first page answered: at most half the points, 70 % are needed.
    failed = answer_and_submit(demo, first, {1: right_answers(first)[1]})
    assert 'class="card quiz-outcome is-failed"' in failed
    assert 'id="no-review-note"' in failed  # answers are shown once passed
    assert Enrolment.objects.get(user=anna, course=course).completed_at is None

    second = start_quiz(demo, failed, "retry-form")
    assert second.number == 2
    passed = answer_and_submit(demo, second, right_answers(second))
    assert 'class="card quiz-outcome is-passed"' in passed and "100 %" in passed
    assert 'id="quiz-review"' in passed
    assert "Herzlichen Glückwunsch, Sie haben den Kurs „Grundlagen des Onlinezugangs" in passed

    assert Enrolment.objects.get(user=anna, course=course).completed_at is not None
    home = demo.get("/").content.decode()
    assert "Grundlagen des Onlinezugangsgesetzes" in home[home.index('id="dashboard-completed"') :]


def test_the_demo_trainer_writes_a_course_and_submits_it_for_review(demo):
    sign_in(demo, "trainer@demo.example")
    catalog = CatalogPage.objects.get(slug="kurse")
    url = reverse("wagtailadmin_pages:add", args=("courses", "coursepage", catalog.pk))
    form = course_form(**{"action-submit": "Zur Prüfung einreichen"})
    response = demo.post(url, form)
    assert response.status_code == 302
    course = CoursePage.objects.get(slug="datenschutz-im-verwaltungsalltag")
    assert not course.live
    assert WorkflowState.objects.filter(
        base_content_type__model="page", object_id=str(course.pk), status="in_progress"
    ).exists()


def test_the_demo_trainer_adds_lessons_to_a_new_course(demo):

    sign_in(demo, "trainer@demo.example")
    catalog = CatalogPage.objects.get(slug="kurse")
    add_course = reverse("wagtailadmin_pages:add", args=("courses", "coursepage", catalog.pk))
    demo.post(add_course, course_form())
    course = CoursePage.objects.get(slug="datenschutz-im-verwaltungsalltag")
    add_lesson = reverse("wagtailadmin_pages:add", args=("courses", "lessonpage", course.pk))
    for number in (1, 2):
        lesson_form = nested_form_data(
            {
                "title": f"Lektion {number}",
                "slug": f"lektion-{number}",
                "body": streamfield([("text", rich_text(f"<p>Inhalt {number}</p>"))]),
                "required": "on",
                "duration_minutes": 10,
                "action-submit": "Zur Prüfung einreichen",
            }
        )
        assert demo.post(add_lesson, lesson_form).status_code == 302
    lessons = LessonPage.objects.child_of(course)
    assert [lesson.title for lesson in lessons.order_by("path")] == ["Lektion 1", "Lektion 2"]
    assert not lessons.live().exists()
