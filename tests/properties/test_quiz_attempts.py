"""Arbitrary answers, starts and submits of quiz attempts, by the learner and by everyone else.

Whatever is posted, in whatever order, the answer is never a server error, the attempt limit
holds, and nobody changes an attempt that is not their own.
"""

from types import SimpleNamespace

import pytest
from django.urls import reverse
from hypothesis import event, given
from hypothesis import strategies as st

from courses.models import QuizAttempt, QuizPage
from courses.quizzes import services as quiz_services
from courses.services import enrolment_create
from tests.courses.conftest import add_course
from tests.courses.quizzes.conftest import add_quiz, right_fields, wrong_fields
from tests.factories import UserFactory
from tests.properties.support import TEXT, assert_answered, browser, examples, fresh_state, rows

pytestmark = pytest.mark.django_db

ATTEMPT_FIELDS = ("user_id", "number", "status", "answers", "version", "score", "submitted_at")


@pytest.fixture
def quiz_world(catalog, roles, org):
    """A self-chosen course with a quiz of two attempts; the learner and a colleague each have
    an open attempt."""
    course = add_course(catalog, title="Datenschutz kompakt", lessons=1)
    quiz = add_quiz(course, max_attempts=2)
    owner = roles["learner"]
    colleague = UserFactory(authority=org["rpda"])
    for person in (owner, colleague):
        enrolment_create(user=person, course=course)
    return SimpleNamespace(
        course=course,
        quiz=quiz,
        owner=owner,
        attempt=quiz_services.attempt_start(user=owner, quiz=quiz),
        theirs=quiz_services.attempt_start(user=colleague, quiz=quiz),
    )


def field_names(attempt):
    names = ["version", "action", "score", "passed", "user", "status", "answers"]
    for question in attempt.questions:
        names.append(f"q-{question['id']}")
        for key in ("items", "lefts"):
            names += [f"q-{question['id']}-{item['key']}" for item in question.get(key, [])]
    return names


def field_values(attempt):
    """Values the attempt's own form could carry (option keys, positions), and any text."""
    values = {"true", "false", "30", "1", "2", "3", "4", "next", "previous", "timeout"}
    for question in attempt.questions:
        for key in ("options", "items", "lefts", "rights"):
            values |= {item["key"] for item in question.get(key, [])}
    return st.sampled_from(sorted(values)) | TEXT


def answer_forms(attempt, page):
    """Right, wrong or arbitrary answers to a page's questions, with arbitrary extra fields."""
    noise = st.dictionaries(
        st.sampled_from(field_names(attempt)) | TEXT,
        st.lists(field_values(attempt), max_size=3),
        max_size=6,
    )
    fields = {}
    for question in attempt.page_questions(page) if 1 <= page <= attempt.page_count else []:
        fields[question["id"]] = st.sampled_from([right_fields(question), wrong_fields(question)])
    answers = st.fixed_dictionaries(fields).map(
        lambda chosen: {name: value for part in chosen.values() for name, value in part.items()}
    )
    return st.tuples(answers, noise).map(lambda pair: {**pair[0], **pair[1]})


def attempts_of(user, quiz):
    return list(QuizAttempt.objects.filter(user=user, quiz=quiz).order_by("number"))


def assert_attempts_sound(user, quiz, limit):
    attempts = attempts_of(user, quiz)
    assert len(attempts) <= limit, [a.number for a in attempts]
    assert [a.number for a in attempts] == list(range(1, len(attempts) + 1))
    assert sum(a.is_open for a in attempts) <= 1
    for attempt in attempts:
        if not attempt.is_open:
            assert attempt.score is not None and attempt.submitted_at is not None


def others_attempts(world):
    return rows(QuizAttempt.objects.exclude(user=world.owner), *ATTEMPT_FIELDS)


@examples(40)
@given(data=st.data())
def test_any_answer_form_saves_or_is_refused_never_an_error(quiz_world, data):
    attempt = quiz_world.attempt
    page = data.draw(st.integers(min_value=0, max_value=attempt.page_count + 1), label="page")
    posted = data.draw(answer_forms(attempt, page), label="posted")
    with fresh_state():
        response = browser(attempt.user).post(
            reverse("courses:attempt_page", args=[attempt.pk, page]), posted
        )
        assert_answered(response)
        attempt.refresh_from_db()
        # Saving never grades: only a submit (or the time limit, which this quiz has not) does.
        assert attempt.status == QuizAttempt.Status.OPEN
        assert attempt.score is None and attempt.passed is None


# Starts and submits often enough that most sequences reach the limit.
STEPS = st.sampled_from(["start", "submit", "save"] * 6 + ["result", "drop", "enrol", "enrol"])


@examples(30)
@given(data=st.data())
def test_no_sequence_of_starts_saves_and_submits_goes_beyond_the_attempt_limit(quiz_world, data):
    """The learner starts, saves, submits, leaves and rejoins the course in any order, with
    any form data: never more attempts than allowed, never two open, none closed ungraded."""
    world = quiz_world
    limit = data.draw(st.integers(min_value=1, max_value=3), label="max_attempts")
    steps = data.draw(st.lists(STEPS, min_size=2, max_size=12), label="steps")
    with fresh_state():
        QuizPage.objects.filter(pk=world.quiz.pk).update(max_attempts=limit, wait_minutes=0)
        client = browser(world.owner)
        theirs = others_attempts(world)
        for step in steps:
            current = attempts_of(world.owner, world.quiz)[-1]
            junk = data.draw(st.dictionaries(TEXT, TEXT, max_size=3), label="junk")
            if step == "start":
                response = client.post(reverse("courses:quiz_start", args=[world.quiz.pk]), junk)
            elif step == "save":
                page = data.draw(st.integers(0, current.page_count + 1), label="page")
                posted = data.draw(answer_forms(current, page), label="posted")
                # Often the version the page was rendered with, so that saves get through.
                version = data.draw(st.just(str(current.version)) | TEXT, label="version")
                response = client.post(
                    reverse("courses:attempt_page", args=[current.pk, page]),
                    {**posted, "version": version},
                )
            elif step == "submit":
                response = client.post(reverse("courses:attempt_summary", args=[current.pk]), junk)
            elif step == "result":
                response = client.get(reverse("courses:attempt_result", args=[current.pk]))
            else:
                name = "courses:drop" if step == "drop" else "courses:enrol"
                response = client.post(reverse(name, args=[world.course.pk]), junk)
            assert_answered(response)
            assert_attempts_sound(world.owner, world.quiz, limit)
        attempts = attempts_of(world.owner, world.quiz)
        event(f"{len(attempts)} of {limit} attempts, {sum(a.is_open for a in attempts)} open")
        assert others_attempts(world) == theirs


ROLES_BUT_THE_OWNER = ["trainer", "hr_in_scope", "hr_of_another_authority", "centre_admin"]


@examples(30)
@given(data=st.data())
def test_nobody_else_changes_or_starts_anything_of_an_attempt(quiz_world, roles, data):
    world = quiz_world
    attempt = world.attempt
    role = data.draw(st.sampled_from([*ROLES_BUT_THE_OWNER, "colleague"]), label="role")
    page = data.draw(st.integers(min_value=0, max_value=attempt.page_count + 1), label="page")
    posted = data.draw(answer_forms(attempt, page), label="posted")
    posted["version"] = str(attempt.version)
    with fresh_state():
        actor = world.theirs.user if role == "colleague" else roles[role]
        before = rows(QuizAttempt.objects.all(), *ATTEMPT_FIELDS)
        client = browser(actor)
        for url in (
            reverse("courses:attempt_page", args=[attempt.pk, page]),
            reverse("courses:attempt_summary", args=[attempt.pk]),
        ):
            assert_answered(client.post(url, posted), 404)
        assert_answered(client.get(reverse("courses:attempt_result", args=[attempt.pk])), 404)
        # Starting the quiz needs an enrolment in its course, whatever the role.
        response = client.post(reverse("courses:quiz_start", args=[world.quiz.pk]), posted)
        assert_answered(response)
        assert rows(QuizAttempt.objects.exclude(user=actor), *ATTEMPT_FIELDS) == [
            row for row in before if row[1] != actor.pk
        ]
        if role != "colleague":
            assert not QuizAttempt.objects.filter(user=actor).exists()
