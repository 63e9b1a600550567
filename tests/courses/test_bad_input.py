"""Odd and forged requests get a clear answer: a message or 404, never a 500 or a second row."""

import pytest
from django.urls import reverse

from courses.models import Enrolment, LessonProgress
from tests.courses.conftest import add_course, lessons_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner_client(client, org):
    learner = UserFactory(authority=org["rpda"])
    client.force_login(learner)
    client.learner = learner
    return client


def enrol_url(course):
    return reverse("courses:enrol", args=[course.pk])


def complete_url(lesson):
    return reverse("courses:complete", args=[lesson.pk])


def test_enrolling_twice_by_post_keeps_one_enrolment(learner_client, course):
    learner_client.post(enrol_url(course))
    response = learner_client.post(enrol_url(course))
    assert response.status_code == 302
    assert Enrolment.objects.filter(user=learner_client.learner).count() == 1


def test_enrolling_needs_a_post(learner_client, course):
    assert learner_client.get(enrol_url(course)).status_code == 405
    assert not Enrolment.objects.exists()


def test_a_forged_course_id_is_not_found(learner_client, course):
    assert learner_client.post(reverse("courses:enrol", args=[999_999])).status_code == 404
    lesson = lessons_of(course)[0]
    assert learner_client.post(reverse("courses:enrol", args=[lesson.pk])).status_code == 404


def test_an_unpublished_course_cannot_be_enrolled_in(learner_client, course):
    course.unpublish()
    assert learner_client.post(enrol_url(course)).status_code == 404
    assert not Enrolment.objects.exists()


def test_a_closed_course_answers_with_a_message(learner_client, catalog):
    closed = add_course(catalog, title="Nur Zuweisung", self_enrolment=False)
    response = learner_client.post(enrol_url(closed), follow=False)
    assert response.status_code == 302
    assert not Enrolment.objects.exists()
    messages = [str(m) for m in learner_client.get("/").context["messages"]]
    assert messages


def test_finishing_a_lesson_without_enrolment_is_not_found(learner_client, course):
    response = learner_client.post(complete_url(lessons_of(course)[0]))
    assert response.status_code == 404
    assert not LessonProgress.objects.exists()


def test_finishing_a_lesson_of_an_unpublished_course_is_not_found(learner_client, course):
    learner_client.post(enrol_url(course))
    lesson = lessons_of(course)[0]
    course.unpublish()
    assert learner_client.post(complete_url(lesson)).status_code == 404
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()


def test_a_forged_lesson_id_is_not_found(learner_client, course):
    assert learner_client.post(reverse("courses:complete", args=[course.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, course):
    response = client.post(enrol_url(course))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    lesson_response = client.get(lessons_of(course)[0].url)
    assert lesson_response["Location"].startswith("/accounts/login/")


def test_extra_fields_in_a_post_change_nothing(learner_client, course):
    learner_client.post(
        enrol_url(course),
        {"source": "assigned", "due_on": "2020-01-01", "user": 1, "completed_at": "2020-01-01"},
    )
    enrolment = Enrolment.objects.get(user=learner_client.learner)
    assert enrolment.source == "self" and enrolment.due_on is None
    assert enrolment.completed_at is None


def test_a_learner_leaves_a_self_chosen_course(learner_client, course):
    from courses.models import ProgressEvent

    learner_client.post(enrol_url(course))
    response = learner_client.post(reverse("courses:drop", args=[course.pk]))
    assert response.status_code == 302
    assert not Enrolment.objects.filter(user=learner_client.learner).exists()
    assert ProgressEvent.objects.filter(user=learner_client.learner, kind="dropped").exists()


def test_an_assigned_course_cannot_be_dropped(learner_client, course):
    from datetime import date, timedelta

    from courses.services import enrolment_create

    enrolment_create(
        user=learner_client.learner,
        course=course,
        source="assigned",
        due_on=date.today() + timedelta(days=7),
    )
    response = learner_client.post(reverse("courses:drop", args=[course.pk]), follow=True)
    assert response.status_code == 200
    assert Enrolment.objects.filter(user=learner_client.learner).exists()
    page = learner_client.get(course.url).content.decode()
    assert 'id="drop-form"' not in page
