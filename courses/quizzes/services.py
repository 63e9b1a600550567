"""Writes about quizzes: start, save and submit attempts. The server decides everything.

Guarantees that hold under concurrency, on SQLite and PostgreSQL alike:
- starting: attempt numbers are unique per person and quiz and at most one attempt is open
  (database constraints), so concurrent starts give one attempt and never exceed the limit;
- saving: an update applies only to the version it was based on, so a stale tab is refused;
- submitting: only the request whose update closes the open attempt grades it and records the
  result; every other submit of the same attempt returns that one result.
"""

import secrets
from datetime import timedelta
from decimal import ROUND_FLOOR, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import formats, timezone

from courses import messages as msg
from courses.completion import enrolment_mark_started, enrolment_refresh
from courses.models import CoursePage, Enrolment, ProgressEvent, QuizAttempt, QuizPage

from . import questions as q
from .selectors import grace, is_timed_out, quiz_standing


class StaleAnswers(ValidationError):
    """The answers were based on an older state of the attempt than the one saved."""


class TimeUp(ValidationError):
    """The time limit and its grace period are over; the attempt has been closed."""


class AttemptClosed(ValidationError):
    """The attempt was submitted or closed already."""


def _course_of(quiz: QuizPage) -> CoursePage:
    """The quiz's course in one query (the parent's path is a prefix of the quiz's)."""
    return CoursePage.objects.get(path=quiz.path[: -quiz.steplen])


def _enrolment(*, user, quiz: QuizPage) -> Enrolment:
    course = _course_of(quiz)
    if not quiz.live or not course.live:
        raise PermissionDenied(msg.ERROR_QUIZ_UNAVAILABLE)
    enrolment = Enrolment.objects.filter(user=user, course=course).first()
    if enrolment is None:
        raise PermissionDenied(msg.ERROR_NOT_ENROLLED)
    return enrolment


def draw_questions(*, quiz: QuizPage, rng=None) -> list[dict]:
    """The questions of a new attempt: drawn from the pool, shuffled as set, and frozen."""
    rng = rng or secrets.SystemRandom()
    blocks = list(quiz.questions)
    indexes = list(range(len(blocks)))
    if quiz.draw_count and quiz.draw_count < len(blocks):
        indexes = sorted(rng.sample(indexes, quiz.draw_count))
    if quiz.shuffle_questions:
        rng.shuffle(indexes)
    return [
        q.snapshot(
            block_id=blocks[i].id,
            block_type=blocks[i].block_type,
            value=blocks[i].value,
            rng=rng,
            shuffle_options=quiz.shuffle_options,
        )
        for i in indexes
    ]


def attempt_start(*, user, quiz: QuizPage, now=None) -> QuizAttempt:
    """Resume the open attempt or start the next one, within the attempt limit and waiting time."""
    now = now or timezone.now()
    _enrolment(user=user, quiz=quiz)
    # An attempt whose time ran out is closed in a transaction of its own: it stays closed and
    # graded when no next attempt may start, which would roll back a close inside the start.
    open_attempt = QuizAttempt.objects.filter(
        user=user, quiz=quiz, status=QuizAttempt.Status.OPEN
    ).first()
    if open_attempt is not None and is_timed_out(open_attempt, now):
        attempt_submit(attempt=open_attempt, now=now, timed_out=True)
    return _attempt_resume_or_create(user=user, quiz=quiz, now=now)


@transaction.atomic
def _attempt_resume_or_create(*, user, quiz: QuizPage, now) -> QuizAttempt:
    enrolment = _enrolment(user=user, quiz=quiz)
    # Serialises one person's starts on PostgreSQL; the constraints are the guarantee.
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
    standing = quiz_standing(quiz=quiz, user=user, now=now)
    open_attempt = standing.open_attempt
    if open_attempt is not None:
        if not is_timed_out(open_attempt, now):
            return QuizAttempt.objects.get(pk=open_attempt.pk)
        attempt_submit(attempt=open_attempt, now=now, timed_out=True)
        standing = quiz_standing(quiz=quiz, user=user, now=now)
    if standing.attempts_left == 0:
        raise ValidationError(msg.ERROR_NO_ATTEMPTS_LEFT)
    if standing.next_start_at is not None:
        local = timezone.localtime(standing.next_start_at)
        raise ValidationError(
            msg.ERROR_WAIT_BEFORE_NEXT
            % {"time": formats.date_format(local, "SHORT_DATETIME_FORMAT")}
        )
    last = QuizAttempt.objects.filter(user=user, quiz=quiz).aggregate(n=Max("number"))["n"] or 0
    limit = quiz.time_limit
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(
                user=user,
                quiz=quiz,
                number=last + 1,
                started_at=now,
                deadline=now + limit if limit else None,
                questions=draw_questions(quiz=quiz),
                questions_per_page=quiz.questions_per_page,
                pass_mark=quiz.pass_mark,
            )
    except IntegrityError:
        # A concurrent start of the same person won; continue in its attempt.
        open_attempt = QuizAttempt.objects.filter(
            user=user, quiz=quiz, status=QuizAttempt.Status.OPEN
        ).first()
        if open_attempt is None:
            raise ValidationError(msg.ERROR_NO_ATTEMPTS_LEFT) from None
        return open_attempt
    enrolment_mark_started(enrolment=enrolment, at=now)
    return attempt


def read_page_answers(*, attempt: QuizAttempt, page: int, data):
    """The answers posted for one page's questions, and an error per invalid question.

    Only the page's own questions are read: fields for other questions, and fields such as
    score or passed, are never looked at.
    """
    answers, errors = {}, {}
    for question in attempt.page_questions(page):
        try:
            answers[question["id"]] = q.read_answer(question, data)
        except q.InvalidAnswer as error:
            errors[question["id"]] = str(error)
    return answers, errors


def attempt_save(*, attempt: QuizAttempt, page: int, data, version, now=None) -> QuizAttempt:
    """Save one page's answers, if based on the latest saved version and within the time.

    Raises AttemptClosed, TimeUp (after closing the attempt with what was saved), StaleAnswers,
    or ValidationError with an error per question (a dict) when a posted value is invalid; in
    every case nothing of the page is saved.
    """
    answers, errors = read_page_answers(attempt=attempt, page=page, data=data)
    return _save(attempt=attempt, answers=answers, errors=errors, version=version, now=now)


def _save(*, attempt, answers, errors, version, now=None) -> QuizAttempt:
    now = now or timezone.now()
    if not attempt.is_open:
        raise AttemptClosed(msg.ERROR_ATTEMPT_CLOSED)
    if is_timed_out(attempt, now):
        attempt_submit(attempt=attempt, now=now, timed_out=True)
        raise TimeUp(msg.ERROR_TIME_UP)
    try:
        based_on = int(version)
    except (TypeError, ValueError):
        based_on = -1
    if based_on != attempt.version:
        raise StaleAnswers(msg.ERROR_STALE_ANSWERS)
    if errors:
        raise ValidationError(errors)
    merged = {**attempt.answers}
    for question_id, answer in answers.items():
        if answer is None:
            merged.pop(question_id, None)
        else:
            merged[question_id] = answer
    updated = QuizAttempt.objects.filter(
        pk=attempt.pk, version=attempt.version, status=QuizAttempt.Status.OPEN
    ).update(answers=merged, version=F("version") + 1)
    if not updated:
        attempt.refresh_from_db()
        if not attempt.is_open:
            raise AttemptClosed(msg.ERROR_ATTEMPT_CLOSED)
        raise StaleAnswers(msg.ERROR_STALE_ANSWERS)
    attempt.answers, attempt.version = merged, attempt.version + 1
    return attempt


# The browser's countdown starts after the page arrived, so it ends after the server's deadline;
# a little slack covers clocks that still disagree.
COUNTDOWN_SLACK = timedelta(seconds=2)


def attempt_check_available(*, attempt: QuizAttempt) -> CoursePage:
    """Learners work on an attempt only while quiz and course are live and they are enrolled.

    Returns the course."""
    quiz = attempt.quiz
    course = _course_of(quiz)
    enrolled = Enrolment.objects.filter(user_id=attempt.user_id, course=course).exists()
    if not (quiz.live and course.live and enrolled):
        raise PermissionDenied(msg.ERROR_QUIZ_UNAVAILABLE)
    return course


def attempt_save_page(
    *, attempt: QuizAttempt, page: int, data, version, time_up=False, now=None
) -> bool:
    """A learner saves a page; returns True when this closed the attempt because time is up.

    Before the deadline this is attempt_save. Once the deadline has passed (or the browser's
    countdown reached zero) the attempt is finished instead: the page's valid answers are kept
    if the page was current, invalid ones are left out, and the attempt is graded, so that a
    half-answered question at the last second costs only that question.
    """
    now = now or timezone.now()
    attempt_check_available(attempt=attempt)
    deadline = attempt.deadline
    finishing = deadline is not None and (
        now >= deadline or (time_up and now >= deadline - COUNTDOWN_SLACK)
    )
    answers, errors = read_page_answers(attempt=attempt, page=page, data=data)
    if not finishing:
        _save(attempt=attempt, answers=answers, errors=errors, version=version, now=now)
        return False
    valid = {key: value for key, value in answers.items() if key not in errors}
    try:
        _save(attempt=attempt, answers=valid, errors=None, version=version, now=now)
    except TimeUp:
        return True
    except (StaleAnswers, AttemptClosed):
        pass  # another tab was newer, or the attempt closed: grade what is saved
    attempt_submit(attempt=attempt, now=now, timed_out=True)
    return True


def attempt_hand_in(*, attempt: QuizAttempt, now=None) -> QuizAttempt:
    """A learner submits their attempt (see attempt_submit); `course_completed` says whether
    this submission completed the course."""
    attempt_check_available(attempt=attempt)
    return attempt_submit(attempt=attempt, now=now)


def attempt_close_if_timed_out(*, attempt: QuizAttempt, now=None) -> bool:
    """Close an open attempt whose time and grace are over; True if it is (now) closed."""
    if attempt.is_open and is_timed_out(attempt, now):
        attempt_submit(attempt=attempt, now=now, timed_out=True)
    return not attempt.is_open


def grade_attempt(attempt: QuizAttempt):
    """Score, maximum, percentage, passed and per-question results, from the snapshot."""
    score, maximum, results = Decimal(0), Decimal(0), {}
    for question in attempt.questions:
        result = q.grade(question, attempt.answers.get(question["id"]))
        score += result.score
        maximum += result.points
        results[question["id"]] = {"score": str(result.score), "correct": result.correct}
    # Rounded down, so a result below the pass mark never shows as the pass mark.
    percent = (
        (score * 100 / maximum).quantize(Decimal("0.1"), rounding=ROUND_FLOOR)
        if maximum
        else Decimal(0)
    )
    passed = maximum > 0 and score * 100 >= maximum * attempt.pass_mark
    return score, maximum, percent, passed, results


@transaction.atomic
def attempt_submit(*, attempt: QuizAttempt, now=None, timed_out=False) -> QuizAttempt:
    """Grade and close the attempt, once: further or concurrent submits return that result."""
    now = now or timezone.now()
    if not timed_out and is_timed_out(attempt, now):
        timed_out = True
    # Grade what is saved in the database, not what this caller happens to hold; the lock makes
    # a concurrent save wait, so the grade is of the answers the attempt is closed with.
    current = (
        QuizAttempt.objects.select_for_update()
        .filter(pk=attempt.pk)
        .only("answers", "status")
        .first()
    )
    if current is None or current.status != QuizAttempt.Status.OPEN:
        attempt.refresh_from_db()
        return attempt
    attempt.answers = current.answers
    score, maximum, percent, passed, results = grade_attempt(attempt)
    status = QuizAttempt.Status.TIMED_OUT if timed_out else QuizAttempt.Status.SUBMITTED
    if timed_out and attempt.deadline is not None:
        # An attempt closed late (the learner left) ended when its time did, not when noticed.
        now = min(now, attempt.deadline + grace())
    closing = {
        "status": status,
        "submitted_at": now,
        "score": score,
        "max_score": maximum,
        "percent": percent,
        "passed": passed,
        "results": results,
    }
    closed = QuizAttempt.objects.filter(pk=attempt.pk, status=QuizAttempt.Status.OPEN).update(
        **closing
    )
    if not closed:
        attempt.refresh_from_db()
        return attempt
    for name, value in closing.items():
        setattr(attempt, name, value)
    course = _course_of(attempt.quiz)
    ProgressEvent.objects.create(
        user=attempt.user,
        course=course,
        authority_id=attempt.user.authority_id,
        kind=ProgressEvent.Kind.QUIZ_SUBMITTED,
        occurred_at=now,
        data={
            "quiz": attempt.quiz_id,
            "attempt": attempt.number,
            "percent": str(percent),
            "passed": passed,
            "timed_out": timed_out,
        },
    )
    enrolment = (
        Enrolment.objects.select_for_update().filter(user_id=attempt.user_id, course=course).first()
    )
    if enrolment is not None:
        enrolment.course, enrolment.user = course, attempt.user
        was_complete = enrolment.completed_at is not None
        enrolment_refresh(enrolment=enrolment, now=now)
        attempt.course_completed = not was_complete and enrolment.completed_at is not None
    return attempt


def attempts_close_timed_out(*, now=None) -> int:
    """Close open attempts whose time ran out (learners who left); returns how many were due.

    Safe to run concurrently: each attempt is graded once (attempt_submit)."""
    now = now or timezone.now()
    closed = 0
    candidates = QuizAttempt.objects.filter(
        status=QuizAttempt.Status.OPEN, deadline__lt=now - grace()
    ).select_related("quiz", "user")
    for attempt in candidates.iterator():
        attempt_submit(attempt=attempt, now=now, timed_out=True)
        closed += 1
    return closed
