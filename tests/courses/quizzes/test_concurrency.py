"""Starting, saving and submitting at the same moment, on PostgreSQL with real connections.

Each thread has its own database connection; a barrier releases them together. SQLite takes
one writer at a time, so these races only exist, and are only tested, on PostgreSQL.
"""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, connections

from courses.models import Enrolment, ProgressEvent, QuizAttempt, QuizPage
from courses.quizzes import questions as q
from courses.quizzes.services import (
    AttemptClosed,
    StaleAnswers,
    attempt_save,
    attempt_start,
    attempt_submit,
    attempts_close_timed_out,
)
from courses.services import enrolment_create, lesson_complete
from lms.people.models import User
from tests.courses.conftest import lessons_of
from tests.courses.quizzes.conftest import T0, add_quiz, answer_page, form
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Concurrent writers need PostgreSQL; SQLite serialises them (set DATABASE_URL).",
    ),
    # Committed data that the threads' own connections can see; the pages that migrations
    # create (the home page) are restored after each flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 20


def run_together(count, prepare, act):
    """Call act(prepare(i)) in `count` threads released at the same moment.

    Returns the results and the exceptions raised, by thread; every thread closes its
    connections, and a thread that hangs fails the test.
    """
    barrier = threading.Barrier(count)
    results, errors = [None] * count, [None] * count

    def run(index):
        try:
            try:
                prepared = prepare(index)
            except Exception:
                # Nobody may wait for a thread that will never arrive. Only here: aborting
                # after the release could break the wait of a thread not yet woken.
                barrier.abort()
                raise
            barrier.wait(timeout=30)
            results[index] = act(prepared)
        except Exception as error:  # surfaced to the test below
            errors[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hangs"
    return results, errors


def unexpected(errors, *expected):
    return [error for error in errors if error is not None and not isinstance(error, expected)]


@pytest.fixture
def learner(org, course):
    user = UserFactory(authority=org["rpda"])
    enrolment_create(user=user, course=course)
    return user


def fresh(user, quiz):
    """The learner and the quiz as a request in this thread would load them."""
    return User.objects.get(pk=user.pk), QuizPage.objects.get(pk=quiz.pk)


def start_in_thread(pair):
    user, quiz = pair
    return attempt_start(user=user, quiz=quiz, now=T0)


def test_concurrent_starts_with_one_attempt_allowed_give_one_attempt(learner, course):
    quiz = add_quiz(course, max_attempts=1)
    results, errors = run_together(THREADS, lambda _: fresh(learner, quiz), start_in_thread)
    assert unexpected(errors) == []
    assert QuizAttempt.objects.filter(user=learner, quiz=quiz).count() == 1
    assert {attempt.pk for attempt in results} == {QuizAttempt.objects.get().pk}


def test_concurrent_starts_with_attempts_left_give_one_open_attempt(learner, course):
    quiz = add_quiz(course, max_attempts=3)
    results, errors = run_together(THREADS, lambda _: fresh(learner, quiz), start_in_thread)
    assert unexpected(errors) == []
    attempts = QuizAttempt.objects.filter(user=learner, quiz=quiz)
    assert [(attempt.number, attempt.status) for attempt in attempts] == [(1, "open")]
    assert {attempt.pk for attempt in results} == {attempts.get().pk}


def test_concurrent_submits_grade_once_and_complete_the_course_once(learner, course):
    quiz = add_quiz(course)
    for lesson in lessons_of(course):
        lesson_complete(user=learner, lesson=lesson)
    attempt = attempt_start(user=learner, quiz=quiz, now=T0)
    for page in (1, 2):
        attempt = attempt_save(
            attempt=attempt,
            page=page,
            data=answer_page(attempt, page),
            version=attempt.version,
            now=T0,
        )

    results, errors = run_together(
        10,
        lambda _: QuizAttempt.objects.get(pk=attempt.pk),
        lambda mine: attempt_submit(attempt=mine, now=T0),
    )

    assert unexpected(errors) == []
    assert {(r.status, r.score, r.percent, r.passed, r.submitted_at) for r in results} == {
        ("submitted", Decimal(7), Decimal(100), True, T0)
    }
    events = ProgressEvent.objects.filter(user=learner)
    assert events.filter(kind="quiz_submitted").count() == 1
    assert events.filter(kind="course_completed").count() == 1
    assert Enrolment.objects.get(user=learner, course=course).completed_at is not None


def test_concurrent_saves_from_the_same_version_keep_exactly_one(learner, course):
    quiz = add_quiz(course)
    attempt = attempt_start(user=learner, quiz=quiz, now=T0)
    short_text = next(
        question for question in attempt.questions if question["type"] == "short_text"
    )
    page = attempt.page_of(short_text["id"])

    def prepare(index):
        return index, QuizAttempt.objects.get(pk=attempt.pk)

    def save(prepared):
        index, mine = prepared
        data = form({f"q-{short_text['id']}": f"Antwort {index}"})
        attempt_save(attempt=mine, page=page, data=data, version=0, now=T0)
        return f"Antwort {index}"

    results, errors = run_together(10, prepare, save)

    assert unexpected(errors, StaleAnswers) == []
    saved = [result for result in results if result is not None]
    assert len(saved) == 1
    attempt.refresh_from_db()
    assert attempt.version == 1
    assert attempt.answers == {short_text["id"]: saved[0]}


def test_an_answer_saved_while_submitting_is_graded_or_refused_never_lost(learner, course):
    quiz = add_quiz(course, max_attempts=None)
    for _round in range(10):
        attempt = attempt_start(user=learner, quiz=quiz, now=T0)

        def save_or_submit(index, attempt=attempt):
            mine = QuizAttempt.objects.get(pk=attempt.pk)
            if index == 0:
                data = answer_page(mine, 1)
                return lambda: attempt_save(attempt=mine, page=1, data=data, version=0, now=T0)
            return lambda: attempt_submit(attempt=mine, now=T0)

        _results, errors = run_together(2, save_or_submit, lambda call: call())

        assert unexpected(errors, AttemptClosed) == []
        attempt.refresh_from_db()
        assert attempt.status == "submitted"
        # The score is that of the answers the attempt was closed with.
        graded = sum(
            (q.grade(question, attempt.answers.get(question["id"])).score)
            for question in attempt.questions
        )
        assert attempt.score == graded
        assert attempt.score == (Decimal(0) if errors[0] else Decimal(4))


def test_concurrent_closing_of_abandoned_attempts_closes_each_once(org, course):
    quiz = add_quiz(course, time_limit_minutes=10)
    people = [UserFactory(authority=org["rpda"]) for _ in range(5)]
    for person in people:
        enrolment_create(user=person, course=course)
        attempt_start(user=person, quiz=quiz, now=T0)

    _results, errors = run_together(
        4, lambda _: None, lambda _: attempts_close_timed_out(now=T0 + timedelta(hours=1))
    )

    assert unexpected(errors) == []
    assert QuizAttempt.objects.filter(status="timed_out").count() == 5
    assert ProgressEvent.objects.filter(kind="quiz_submitted").count() == 5
