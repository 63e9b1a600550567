"""An enrolment records when it was started in its current round, which the reports count by."""

import datetime
import importlib

import pytest
from django.utils import timezone

from courses.models import Enrolment, LessonProgress, QuizAttempt
from courses.quizzes.services import attempt_start, attempt_submit
from courses.services import enrolment_create, enrolment_renew, lesson_open
from tests.courses.conftest import lessons_of
from tests.courses.quizzes.conftest import add_quiz
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

backfill = importlib.import_module(
    "courses.migrations.0011_enrolment_started_at"
).enrolments_started_backfill


@pytest.fixture
def learner(org):
    return UserFactory(authority=org["rpda"])


def started_at(enrolment):
    return Enrolment.objects.values_list("started_at", flat=True).get(pk=enrolment.pk)


def ago(**kwargs):
    return timezone.now() - datetime.timedelta(**kwargs)


def test_an_enrolment_starts_unstarted(learner, course):
    enrolment, _created = enrolment_create(user=learner, course=course)
    assert started_at(enrolment) is None


def test_opening_a_lesson_records_the_start_once(learner, course):
    enrolment, _created = enrolment_create(user=learner, course=course)
    first, second = lessons_of(course)
    lesson_open(user=learner, lesson=first)
    started = started_at(enrolment)
    assert started is not None
    lesson_open(user=learner, lesson=second)
    lesson_open(user=learner, lesson=first)
    assert started_at(enrolment) == started


def test_starting_a_quiz_attempt_records_the_start_once(learner, course):
    enrolment, _created = enrolment_create(user=learner, course=course)
    quiz = add_quiz(course, max_attempts=None)
    attempt = attempt_start(user=learner, quiz=quiz)
    assert started_at(enrolment) == attempt.started_at
    attempt_submit(attempt=attempt)
    attempt_start(user=learner, quiz=quiz, now=timezone.now() + datetime.timedelta(minutes=5))
    assert started_at(enrolment) == attempt.started_at


def test_a_renewal_starts_again_unstarted(learner, course):
    enrolment, _created = enrolment_create(user=learner, course=course)
    lesson_open(user=learner, lesson=lessons_of(course)[0])
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=timezone.now())
    assert enrolment_renew(enrolment=enrolment, due_on=timezone.localdate())
    assert started_at(enrolment) is None
    lesson_open(user=learner, lesson=lessons_of(course)[1])
    assert started_at(enrolment) is not None


def test_the_backfill_takes_the_first_lesson_or_attempt_of_the_round(learner, org, catalog):
    from tests.courses.conftest import add_course

    lessons_course = add_course(catalog, title="Lektionen")
    quiz_course = add_course(catalog, title="Test zuerst")
    renewed = add_course(catalog, title="Erneuert")
    progress_only = add_course(catalog, title="Nur Fortschritt")
    untouched = add_course(catalog, title="Unberührt")
    enrolments = {
        course.title: enrolment_create(user=learner, course=course)[0]
        for course in (lessons_course, quiz_course, renewed, progress_only, untouched)
    }
    # Lessons opened 3 and 5 days ago, and a quiz attempt 2 days ago: the lesson is first.
    for lesson, days in zip(lessons_of(lessons_course), (5, 3), strict=True):
        LessonProgress.objects.create(
            enrolment=enrolments["Lektionen"], lesson=lesson, opened_at=ago(days=days)
        )
    QuizAttempt.objects.create(
        user=learner, quiz=add_quiz(lessons_course), number=1, pass_mark=60, started_at=ago(days=2)
    )
    # A quiz attempt 4 days ago before a lesson opened 1 day ago: the attempt is first.
    LessonProgress.objects.create(
        enrolment=enrolments["Test zuerst"],
        lesson=lessons_of(quiz_course)[0],
        opened_at=ago(days=1),
    )
    QuizAttempt.objects.create(
        user=learner, quiz=add_quiz(quiz_course), number=1, pass_mark=60, started_at=ago(days=4)
    )
    # Renewed 2 days ago: the lesson of the earlier round does not count, the one since does.
    first, second = lessons_of(renewed)
    LessonProgress.objects.create(
        enrolment=enrolments["Erneuert"], lesson=first, opened_at=ago(days=30)
    )
    LessonProgress.objects.create(
        enrolment=enrolments["Erneuert"], lesson=second, opened_at=ago(days=1)
    )
    Enrolment.objects.filter(pk=enrolments["Erneuert"].pk).update(round_started_at=ago(days=2))
    Enrolment.objects.filter(pk=enrolments["Nur Fortschritt"].pk).update(progress_percent=50)
    Enrolment.objects.update(started_at=None)

    backfill()

    got = {title: Enrolment.objects.get(pk=e.pk) for title, e in enrolments.items()}

    def close(value, expected):
        return abs(value - expected) < datetime.timedelta(minutes=1)

    assert close(got["Lektionen"].started_at, ago(days=5))
    assert close(got["Test zuerst"].started_at, ago(days=4))
    assert close(got["Erneuert"].started_at, ago(days=1))
    assert got["Nur Fortschritt"].started_at == got["Nur Fortschritt"].enrolled_at
    assert got["Unberührt"].started_at is None
