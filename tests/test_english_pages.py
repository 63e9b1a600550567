"""The learner-facing pages in English: no German interface, one English date style, German
content marked as German; and the German pages as before."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from certificates.models import Certificate
from courses.models import CoursePage, QuizPage
from courses.quizzes.services import attempt_start, attempt_submit
from home.models import AccessibilityStatementPage
from lms.people.models import User

pytestmark = pytest.mark.django_db

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
GERMAN_MONTHS = [
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
]  # fmt: skip
US_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b|\b[ap]\.m\.|\b[A-Z][a-z]{2}\. \d{1,2}, \d{4}")


def english(day) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def german(day) -> str:
    return day.strftime("%d.%m.%Y")


@pytest.fixture
def seeded(demo_seeded):
    """The demo as seeded once for this module (tests/conftest.py)."""


def _reader(client, email, language):
    person = User.objects.get(email=email)
    User.objects.filter(pk=person.pk).update(preferred_language=language)
    client.cookies["lms_language"] = language
    client.force_login(person)
    return person


@pytest.fixture
def anna_en(seeded, client):
    _reader(client, "anna.lernt@demo.example", "en")
    return client


@pytest.fixture
def anna_de(seeded, client):
    _reader(client, "anna.lernt@demo.example", "de")
    return client


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _title(html):
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def _catalogue_url():
    from courses.models import CatalogPage

    return CatalogPage.objects.live().get().url


def _statement_url():
    return AccessibilityStatementPage.objects.live().get().url


def test_the_english_home_page_has_an_english_title_header_and_dates(anna_en):
    html = _page(anna_en, "/")
    assert _title(html).startswith("Home – E-Government Competence and Learning Centre")
    assert "Startseite" not in html
    assert '<a class="brand" href="/">E-Government Competence and Learning Centre</a>' in html
    assert re.search(r'<div class="intro">\s*<p[^>]*>The e-government competence', html)
    overdue_since = timezone.localdate() - timedelta(days=5)
    assert f"Was due by {english(overdue_since)}" in html
    assert not US_DATE.search(html)
    assert re.search(r'Continue with <span lang="de">[^<]+</span>', html)


def test_the_english_catalogue_has_an_english_heading_and_title(anna_en):
    html = _page(anna_en, _catalogue_url())
    assert "<h1>Course catalogue</h1>" in html
    assert _title(html).startswith("Course catalogue – ")
    assert "Kursangebot" not in html
    assert "All courses of the e-government competence and learning centre." in html


def test_the_english_accessibility_statement_has_an_english_heading_and_dates(anna_en):
    statement = AccessibilityStatementPage.objects.live().get()
    html = _page(anna_en, _statement_url())
    assert '<h1 id="statement-title">Accessibility statement</h1>' in html
    assert "Erklärung zur Barrierefreiheit" not in html
    assert f"This statement was prepared on {english(statement.prepared_on)}." in html
    assert "E-Government Competence and Learning Centre wants its learning platform" in html
    assert re.search(r'<div lang="de">\s*<p[^>]*>Wenn Sie auf Ihre Rückmeldung', html)
    assert not US_DATE.search(html)


def test_german_pages_keep_their_page_titles_and_german_dates(anna_de):
    statement = AccessibilityStatementPage.objects.live().get()
    html = _page(anna_de, _statement_url())
    assert '<h1 id="statement-title">Erklärung zur Barrierefreiheit</h1>' in html
    assert 'lang="de"' not in html.split("<main", 1)[1]  # nothing to mark on a German page
    prepared = statement.prepared_on
    month = GERMAN_MONTHS[prepared.month - 1]
    assert f"Diese Erklärung wurde am {prepared.day}. {month} {prepared.year} erstellt." in html
    assert "<h1>Kursangebot</h1>" in _page(anna_de, _catalogue_url())
    home = _page(anna_de, "/")
    assert f"War fällig bis {german(timezone.localdate() - timedelta(days=5))}" in home
    assert '<a class="brand" href="/">E-Government-Kompetenz- und Lernzentrum</a>' in home


def test_course_and_lesson_titles_are_marked_german_on_english_pages(anna_en):
    course = CoursePage.objects.get(slug="ozg-grundlagen")
    html = _page(anna_en, course.url)
    assert re.search(r'<a href="[^"]+"[^>]* lang="de">Was regelt das OZG\?</a>', html)
    lesson = course.get_children().live().first()
    lesson_html = _page(anna_en, lesson.url)
    assert re.search(r'<nav class="breadcrumb"[^>]*>\s*<ol lang="de">', lesson_html)


def test_the_verification_page_dates_are_english(seeded, client):
    client.cookies["lms_language"] = "en"
    certificate = Certificate.objects.filter(sha256__gt="", revoked_at__isnull=True).first()
    response = client.get(f"/verify/{certificate.code}/", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    issued = certificate.completed_at and timezone.localdate(certificate.completed_at)
    assert f"<dd>{english(issued)}</dd>" in html
    assert not US_DATE.search(html)


def _fail(user, quiz):
    return attempt_submit(attempt=attempt_start(user=user, quiz=quiz))


def _ozg_quiz():
    return QuizPage.objects.child_of(CoursePage.objects.get(slug="ozg-grundlagen")).get()


def test_a_failed_result_says_how_many_attempts_remain_in_english(anna_en):
    anna = User.objects.get(email="anna.lernt@demo.example")
    attempt = _fail(anna, _ozg_quiz())
    html = _page(anna_en, f"/lernen/versuch/{attempt.pk}/")
    assert "You have 2 attempts left." in html


def test_a_failed_result_says_how_many_attempts_remain_in_german(anna_de):
    anna = User.objects.get(email="anna.lernt@demo.example")
    attempt = _fail(anna, _ozg_quiz())
    html = _page(anna_de, f"/lernen/versuch/{attempt.pk}/")
    assert "Sie haben noch 2 Versuche." in html


def test_a_failed_result_names_the_waiting_time(anna_en):
    anna = User.objects.get(email="anna.lernt@demo.example")
    quiz = _ozg_quiz()
    QuizPage.objects.filter(pk=quiz.pk).update(wait_minutes=60)
    attempt = _fail(anna, QuizPage.objects.get(pk=quiz.pk))
    html = _page(anna_en, f"/lernen/versuch/{attempt.pk}/")
    ready = timezone.localtime(attempt.submitted_at + timedelta(minutes=60))
    assert (
        "You have 2 attempts left. You can start the next attempt at "
        f"{english(ready)}, {ready:%H:%M}." in html
    )


def test_a_failed_result_says_when_no_attempts_remain(anna_en):
    anna = User.objects.get(email="anna.lernt@demo.example")
    quiz = _ozg_quiz()
    for _ in range(quiz.max_attempts):
        attempt = _fail(anna, quiz)
    assert "You have no attempts left." in _page(anna_en, f"/lernen/versuch/{attempt.pk}/")
    _reader(anna_en, "anna.lernt@demo.example", "de")
    assert "Sie haben keine Versuche mehr." in _page(anna_en, f"/lernen/versuch/{attempt.pk}/")


def test_the_english_home_page_and_catalogue_have_english_introductions(anna_en):
    home = anna_en.get("/").content.decode()
    assert "The e-government competence and learning centre helps the staff" in home
    assert "unterstützt die Beschäftigten" not in home
    catalogue = anna_en.get("/kurse/").content.decode()
    assert "All courses of the e-government competence and learning centre." in catalogue
    assert "Alle Kurse des" not in catalogue


def test_without_an_english_introduction_the_german_one_is_marked_as_german(anna_en):
    from home.models import HomePage

    HomePage.objects.update(intro_en="")
    home = anna_en.get("/").content.decode()
    assert '<div class="intro" lang="de">' in home
    assert "unterstützt die Beschäftigten" in home
