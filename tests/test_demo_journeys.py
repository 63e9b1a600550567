"""The demo as its users meet it: Anna learns, the trainer writes a course for review."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import CatalogPage, CoursePage, Enrolment, LessonPage
from lms.people.models import User
from tests.courses.test_authoring import course_form

pytestmark = pytest.mark.django_db

PASSWORD = "demo-lms-2026"


@pytest.fixture
def demo(client):
    call_command("seed_demo")
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
        demo.post(action)

    anna = User.objects.get(email="anna.lernt@demo.example")
    assert Enrolment.objects.get(user=anna, course=course).completed_at is not None
    home = demo.get("/").content.decode()
    completed = home[home.index('id="dashboard-completed"') :]
    assert "E-Akte in der Praxis" in completed


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
