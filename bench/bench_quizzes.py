"""Submitting (grading) a quiz attempt and showing one of its pages, against a bare Wagtail page.

Every submit sample is a fresh learner's first attempt, open and fully answered before the clock
starts, so all samples do the same work: the POST that grades the attempt, records the event,
refreshes the enrolment and redirects to the result.

`quiz_submit_certificate_ms` is the same POST in a course that issues a certificate, with every
lesson done before the clock starts: grading, the course completed, and, Celery running eagerly
after the commit as in the embedded default, the certificate created, its PDF rendered
(WeasyPrint, QR code) and stored, all before the redirect. With a broker, a worker does the last
part after the response instead.
"""

import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from bench.bench_courses import compare, median_ms
from courses.demo import COURSES, QUIZZES, _form_data, _lesson
from courses.models import CatalogPage, CoursePage, LessonPage, QuizPage
from courses.quizzes.services import attempt_save, attempt_start
from courses.services import enrolment_create, lesson_complete
from home.models import HomePage
from lms.people.models import User

SAMPLES = 40
WARMUP = 3
BARE_PER_SAMPLE = 10
PAGE_REQUESTS = 300
# 16 demo questions in every type: the OZG quiz (12) and four of the accessibility quiz.
QUESTIONS = [
    *QUIZZES["ozg-grundlagen"]["questions"],
    *QUIZZES["barrierefreie-dokumente"]["questions"][:4],
]


def _publish(page):
    page.save_revision().publish()
    return page


def build_site():
    """A bare page, and a course with lessons and a 16-question quiz in all seven types."""
    # Slugs of its own: the other groups may have built their pages in this database before.
    home = HomePage.objects.first()
    bare = _publish(home.add_child(instance=Page(title="Leer", slug="quiz-leer")))
    catalog = _publish(home.add_child(instance=CatalogPage(title="Tests", slug="quiz-kurse")))
    spec = COURSES[0]
    course = _publish(
        catalog.add_child(
            instance=CoursePage(
                title=spec["title"],
                slug="quiz-kurs",
                summary=spec["summary"],
                duration_minutes=spec["duration_minutes"],
            )
        )
    )
    for title, text, takeaway in spec["lessons"]:
        _publish(
            course.add_child(instance=LessonPage(title=title, body=_lesson(title, text, takeaway)))
        )
    quiz = course.add_child(
        instance=QuizPage(
            title="Abschlusstest",
            questions=QUESTIONS,
            max_attempts=None,
            wait_minutes=0,
            questions_per_page=4,
        )
    )
    _publish(quiz)
    return bare, CoursePage.objects.get(pk=course.pk), QuizPage.objects.get(pk=quiz.pk)


class Learners:
    """Fresh learners, each enrolled with one open attempt whose every page is answered."""

    def __init__(self, course, quiz, prefix="quiz"):
        self.course, self.quiz, self.count, self.prefix = course, quiz, 0, prefix

    def answered_attempt(self, *, pages=None):
        self.count += 1
        user = User.objects.create_user(
            email=f"{self.prefix}{self.count}@bench.example",
            first_name="Q",
            last_name=str(self.count),
        )
        enrolment_create(user=user, course=self.course)
        attempt = attempt_start(user=user, quiz=self.quiz)
        right = {question["id"] for question in attempt.questions}
        for page in pages or range(1, attempt.page_count + 1):
            data = _form_data(attempt.page_questions(page), right)
            attempt = attempt_save(attempt=attempt, page=page, data=data, version=attempt.version)
        return user, attempt


def certified_course(catalog):
    """A course of the same lessons and quiz that issues a certificate on completion."""
    from certificates.models import CertificateTemplate

    template = CertificateTemplate.objects.create(
        name="Quiz-Benchmark",
        issuer="E-Government-Kompetenz- und Lernzentrum",
        title_de="Zertifikat",
        body_de="{name} hat am {date} den Kurs „{course}“ ({duration}) erfolgreich abgeschlossen.",
    )
    spec = COURSES[0]
    course = _publish(
        catalog.add_child(
            instance=CoursePage(
                title=spec["title"] + " (mit Zertifikat)",
                slug="quiz-kurs-zertifikat",
                summary=spec["summary"],
                duration_minutes=spec["duration_minutes"],
                certificate_template=template,
            )
        )
    )
    for title, text, takeaway in spec["lessons"]:
        _publish(
            course.add_child(instance=LessonPage(title=title, body=_lesson(title, text, takeaway)))
        )
    quiz = _publish(
        course.add_child(
            instance=QuizPage(
                title="Abschlusstest",
                questions=QUESTIONS,
                max_attempts=None,
                wait_minutes=0,
                questions_per_page=4,
            )
        )
    )
    return CoursePage.objects.get(pk=course.pk), QuizPage.objects.get(pk=quiz.pk)


def _submit(client, attempt):
    response = client.post(f"/lernen/versuch/{attempt.pk}/abgeben/")
    assert response.status_code == 302, response.status_code
    assert response["Location"] == f"/lernen/versuch/{attempt.pk}/", response["Location"]


def run(timed):
    bare, course, quiz = build_site()
    learners = Learners(course, quiz)
    client = Client()
    yield "quiz_questions", len(quiz.questions)
    yield "quiz_question_types", len({block.block_type for block in quiz.questions})

    for _ in range(WARMUP):
        user, attempt = learners.answered_attempt()
        client.force_login(user)
        _submit(client, attempt)
        median_ms(client, bare.url, 20)

    submits, bares = [], []
    for _ in range(SAMPLES):
        user, attempt = learners.answered_attempt()
        client.force_login(user)
        start = time.perf_counter()
        _submit(client, attempt)
        submits.append((time.perf_counter() - start) * 1000)
        attempt.refresh_from_db()
        assert attempt.passed and attempt.percent == 100, attempt.percent
        # The baseline between the samples, so drift affects both alike.
        bares.append(median_ms(client, bare.url, BARE_PER_SAMPLE))
    submit_ms, bare_ms = statistics.median(submits), statistics.median(bares)
    yield "quiz_bare_page_ms_p50", round(bare_ms, 2)
    yield "quiz_submit_ms_p50", round(submit_ms, 2)
    yield "quiz_submit_ms_p90", round(statistics.quantiles(submits, n=10)[-1], 2)
    yield "quiz_submit_ratio", round(submit_ms / bare_ms, 2)

    user, attempt = learners.answered_attempt()
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        _submit(client, attempt)
    yield "quiz_submit_queries", len(queries)

    # One page of four questions, of an attempt in progress (page 1 answered).
    user, attempt = learners.answered_attempt(pages=[1])
    client.force_login(user)
    url = f"/lernen/versuch/{attempt.pk}/seite/2/"
    page_ms, bare_ms = compare(client, url, bare.url, n=PAGE_REQUESTS)
    yield "quiz_page_ms_p50", round(page_ms, 2)
    yield "quiz_page_ratio", round(page_ms / bare_ms, 2)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    yield "quiz_page_queries", len(queries)

    yield from certificate_submits(client, bare, course.get_parent())


CERTIFICATE_SAMPLES = 20


def certificate_submits(client, bare, catalog):
    """The submit that completes a course and issues its certificate (see the module's text)."""
    from certificates.models import Certificate

    course, quiz = certified_course(catalog)
    learners = Learners(course, quiz, prefix="zertifikat")
    lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))

    def ready():
        user, attempt = learners.answered_attempt()
        for lesson in lessons:
            lesson_complete(user=user, lesson=lesson)
        client.force_login(user)
        return user, attempt

    for _ in range(WARMUP):
        _submit(client, ready()[1])
    submits, bares = [], []
    for _ in range(CERTIFICATE_SAMPLES):
        user, attempt = ready()
        start = time.perf_counter()
        _submit(client, attempt)
        submits.append((time.perf_counter() - start) * 1000)
        certificate = Certificate.objects.get(user=user, course_id=course.pk)
        assert certificate.is_issued and certificate.pdf, certificate
        bares.append(median_ms(client, bare.url, BARE_PER_SAMPLE))
    yield "quiz_submit_certificate_ms_p50", round(statistics.median(submits), 2)
    yield "quiz_submit_certificate_ms_p90", round(statistics.quantiles(submits, n=10)[-1], 2)
    yield (
        "quiz_submit_certificate_ratio",
        round(statistics.median(submits) / statistics.median(bares), 2),
    )
    user, attempt = ready()
    with CaptureQueriesContext(connection) as queries:
        _submit(client, attempt)
    yield "quiz_submit_certificate_queries", len(queries)
