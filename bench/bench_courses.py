"""Serving lessons and "Mein Lernen" compared with a bare Wagtail page, in the same run.

Warm figures repeat the same request; the cold lesson figure opens a different lesson every
time, one the learner has never opened, right after the shared cache was cleared (so the
lesson's course outline, the page routes and the site settings are read again), against the
bare page with its cache cleared just the same.
"""

import statistics
import time

from django.core.cache import cache
from django.test import Client
from wagtail.models import Page

from courses.demo import COURSES, _lesson
from courses.models import CatalogPage, CoursePage, LessonPage
from courses.services import enrolment_create, lesson_complete
from home.models import HomePage
from lms.people.models import User

REQUESTS = 300
ENROLMENTS = 30
COLD_SAMPLES = 100  # of the 120 lessons of the 30 courses, each opened once


def _publish(page):
    page.save_revision().publish()
    return page


def build_site():
    home = HomePage.objects.first()
    bare = _publish(home.add_child(instance=Page(title="Leer", slug="leer")))
    catalog = _publish(home.add_child(instance=CatalogPage(title="Kurse", slug="kurse")))
    spec = COURSES[0]
    courses = []
    for n in range(ENROLMENTS):
        course = _publish(
            catalog.add_child(
                instance=CoursePage(
                    title=f"{spec['title']} {n}",
                    slug=f"kurs-{n}",
                    summary=spec["summary"],
                    objectives=spec["objectives"],
                    duration_minutes=spec["duration_minutes"],
                )
            )
        )
        for title, text, takeaway in spec["lessons"]:
            body = _lesson(
                title,
                text,
                takeaway=takeaway,
                notice="<p>Hinweis</p>",
                sections=[("Mehr", "<p>Mehr Text</p>")],
            )
            _publish(course.add_child(instance=LessonPage(title=title, body=body)))
        courses.append(CoursePage.objects.get(pk=course.pk))
    return bare, courses


def median_ms(client, url, n):
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples)


def compare(client, url, baseline_url, n=REQUESTS):
    """Median of each, measured in alternating rounds so drift affects both alike."""
    for _ in range(20):  # warm caches and connections
        client.get(url)
        client.get(baseline_url)
    ours, base = [], []
    for _ in range(10):
        ours.append(median_ms(client, url, n // 10))
        base.append(median_ms(client, baseline_url, n // 10))
    return statistics.median(ours), statistics.median(base)


def _cold_ms(client, url) -> float:
    cache.clear()
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def compare_cold(client, lessons, baseline_url):
    """Median of lessons opened for the first time with an empty cache, and of the bare page
    with an empty cache, in alternating samples."""
    ours, base = [], []
    for lesson in lessons[:COLD_SAMPLES]:
        ours.append(_cold_ms(client, lesson.url))
        base.append(_cold_ms(client, baseline_url))
    return statistics.median(ours), statistics.median(base)


def run(timed):
    bare, courses = build_site()
    learner = User.objects.create_user(email="lernend@bench.example", first_name="L", last_name="B")
    for i, course in enumerate(courses):
        enrolment_create(user=learner, course=course)
        lessons = list(LessonPage.objects.child_of(course).order_by("path"))
        for lesson in lessons[: i % (len(lessons) + 1)]:
            lesson_complete(user=learner, lesson=lesson)
    client = Client()
    client.force_login(learner)
    lesson = LessonPage.objects.child_of(courses[0]).order_by("path")[1]

    lesson_ms, bare_ms = compare(client, lesson.url, bare.url)
    yield "bare_page_ms", round(bare_ms, 2)
    yield "lesson_page_ms", round(lesson_ms, 2)
    yield "lesson_page_ratio", round(lesson_ms / bare_ms, 2)

    # A second learner in the same courses who has opened none of their lessons yet.
    newcomer = User.objects.create_user(email="neu@bench.example", first_name="N", last_name="B")
    for course in courses:
        enrolment_create(user=newcomer, course=course)
    lessons = [
        lesson
        for course in courses
        for lesson in LessonPage.objects.child_of(course).order_by("path")
    ]
    cold_client = Client()
    cold_client.force_login(newcomer)
    cold_ms, cold_bare_ms = compare_cold(cold_client, lessons, bare.url)
    yield "lesson_page_cold_samples", min(len(lessons), COLD_SAMPLES)
    yield "bare_page_cold_ms", round(cold_bare_ms, 2)
    yield "lesson_page_cold_ms", round(cold_ms, 2)
    yield "lesson_page_cold_ratio", round(cold_ms / cold_bare_ms, 2)

    dashboard_ms, bare_ms = compare(client, "/", bare.url)
    yield "dashboard_enrolments", ENROLMENTS
    yield "dashboard_ms", round(dashboard_ms, 2)
    yield "dashboard_ratio", round(dashboard_ms / bare_ms, 2)
