"""Rendering a lesson and "Mein Lernen" costs the same number of queries however big things get."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.services import enrolment_create, lesson_complete, lesson_open
from tests.courses.conftest import add_course, lessons_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def queries_for(client, url):
    """Queries of a request with empty shared caches, and of a repeated one."""
    client.get(url)  # the process's own caches (content types and the like) fill once
    cache.clear()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(captured))
    return counts


def lesson_queries(catalog, client, user, lessons):
    course = add_course(catalog, title=f"Kurs mit {lessons} Lektionen", lessons=lessons)
    enrolment_create(user=user, course=course)
    all_lessons = lessons_of(course)
    for lesson in all_lessons[:-1]:
        lesson_complete(user=user, lesson=lesson)
    second = all_lessons[1]
    lesson_open(user=user, lesson=second)
    return queries_for(client, second.url)


def test_a_lesson_page_needs_as_many_queries_with_40_lessons_as_with_2(client, catalog, org):
    learner = UserFactory(authority=org["rpda"])
    client.force_login(learner)
    few = lesson_queries(catalog, client, learner, 2)
    many = lesson_queries(catalog, client, learner, 40)
    assert few == many


def dashboard_queries(catalog, client, courses):
    learner = UserFactory()
    client.force_login(learner)
    for n in range(courses):
        course = add_course(
            catalog, title=f"Kurs {courses}-{n}", slug=f"k-{courses}-{n}", lessons=2
        )
        enrolment_create(user=learner, course=course)
        if n % 3 == 0:
            lesson_complete(user=learner, lesson=lessons_of(course)[0])
        if n % 3 == 1:
            for lesson in lessons_of(course):
                lesson_complete(user=learner, lesson=lesson)
    return queries_for(client, "/")


def test_the_dashboard_needs_as_many_queries_for_40_courses_as_for_2(client, catalog):
    assert dashboard_queries(catalog, client, 2) == dashboard_queries(catalog, client, 40)
