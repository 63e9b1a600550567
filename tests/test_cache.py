"""The shared cache while Redis cannot be reached (lms.cache): pages and submissions go on."""

import logging
import socket

import pytest
from django.core.cache import cache

from courses.models import CatalogPage, Enrolment, QuizAttempt
from courses.services import enrolment_create
from home.models import HomePage
from tests.courses.conftest import add_course, publish
from tests.courses.quizzes.conftest import add_quiz, answer_page
from tests.factories import DEFAULT_PASSWORD, UserFactory


@pytest.fixture
def unreachable_cache(settings):
    """The production cache backend pointed at a port that refuses connections: bound, so no
    other process can take it, but not listening."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        settings.CACHES = {
            "default": {
                "BACKEND": "lms.cache.FailSoftRedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
                "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
            }
        }
        yield cache


def test_an_unreachable_cache_answers_as_an_empty_cache_that_keeps_nothing(unreachable_cache):
    unreachable_cache.set("kept", 1)
    assert unreachable_cache.get("kept", "default") == "default"
    assert unreachable_cache.get_many(["kept"]) == {}
    assert unreachable_cache.add("lock", True) is True
    assert unreachable_cache.get_or_set("derived", lambda: 42) == 42
    assert unreachable_cache.delete("kept") is False
    with pytest.raises(ValueError):
        unreachable_cache.incr("counter")


def test_a_hanging_cache_is_left_alone_after_one_timeout(settings, caplog):
    # Accepts connections (the kernel's backlog) but never answers, like a Redis whose host
    # drops packets or has stopped: each access would wait for the socket timeout.
    with socket.socket() as hanging:
        hanging.bind(("127.0.0.1", 0))
        hanging.listen(64)
        port = hanging.getsockname()[1]
        settings.CACHES = {
            "default": {
                "BACKEND": "lms.cache.FailSoftRedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
                "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
            }
        }
        with caplog.at_level(logging.WARNING, logger="lms.cache"):
            answers = [cache.get(f"route-{n}", "miss") for n in range(20)]

    assert answers == ["miss"] * 20
    assert len(caplog.records) == 1, "one timeout and one warning, not one per access"


@pytest.mark.django_db
def test_signing_in_works_while_the_cache_is_unreachable(client, unreachable_cache):
    person = UserFactory()
    response = client.post(
        "/accounts/login/", {"login": person.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


@pytest.mark.django_db
def test_a_quiz_is_graded_and_completes_the_course_while_the_cache_is_unreachable(
    client, unreachable_cache
):
    home = HomePage.objects.first()
    catalog = publish(home.add_child(instance=CatalogPage(title="Kurse", slug="kurse")))
    course = add_course(catalog, lessons=0)
    quiz = add_quiz(course)
    learner = UserFactory()
    enrolment_create(user=learner, course=course)
    client.force_login(learner)

    client.post(f"/lernen/test/{quiz.pk}/starten/")
    attempt = QuizAttempt.objects.get(user=learner, quiz=quiz)
    for page in range(1, attempt.page_count + 1):
        attempt.refresh_from_db()
        data = {**dict(answer_page(attempt, page).lists()), "version": attempt.version}
        client.post(f"/lernen/versuch/{attempt.pk}/seite/{page}/", data)
    response = client.post(f"/lernen/versuch/{attempt.pk}/abgeben/")

    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.SUBMITTED and attempt.passed
    assert Enrolment.objects.get(user=learner, course=course).completed_at is not None
    assert client.get(quiz.url).status_code == 200
