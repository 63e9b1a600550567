"""Quizzes for the domain tests: a quiz with a question of every type, and answers to it."""

import random
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.http import QueryDict

from courses.models import QuizAttempt
from courses.quizzes import questions as q
from tests.factories import EnrolmentFactory, QuizPageFactory, UserFactory, quiz_questions

# A fixed clock for the services' `now=`: the tests never depend on the wall clock.
T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def every_type():
    """One question of every type, 1 point each; the key is in the texts ("richtig")."""
    return quiz_questions()


def add_quiz(course, questions=None, *, title="Abschlusstest", **settings):
    """A live quiz at the end of the course; by default one question of every type."""
    if questions is not None:
        settings["questions"] = questions
    return QuizPageFactory(parent=course, title=title, **settings)


def form(data=None) -> QueryDict:
    """Posted form data as the view hands it to the services; lists give repeated fields."""
    posted = QueryDict(mutable=True)
    for name, value in (data or {}).items():
        posted.setlist(name, value if isinstance(value, list) else [value])
    return posted


def by_text(question, text, field="options"):
    """The key this attempt gave to the option (or item, left, right) with this text."""
    return next(item["key"] for item in question[field] if item["text"] == text)


def right_fields(question) -> dict:
    """Form fields answering the question right."""
    return q.form_data(question, q.correct_answer(question))


def wrong_fields(question) -> dict:
    """Form fields answering the question wrong throughout (no partial credit either)."""
    return q.form_data(question, q.wrong_answer(question))


def answer_page(attempt: QuizAttempt, page: int, *, right=True) -> QueryDict:
    """Form data answering every question of one page of the attempt, right or wrong."""
    fields = {}
    for question in attempt.page_questions(page):
        fields.update(right_fields(question) if right else wrong_fields(question))
    return form(fields)


def freeze(block_type, *, shuffle=True, seed=1, **value):
    """One question frozen as an attempt would show it, without a quiz around it."""
    return q.snapshot(
        block_id="frage-1",
        block_type=block_type,
        value={"points": Decimal(1), "prompt": "Frage", **value},
        rng=random.Random(seed),
        shuffle_options=shuffle,
    )


@pytest.fixture
def learner(org):
    return UserFactory(authority=org["rpda"])


@pytest.fixture
def quiz(course):
    return add_quiz(course)


@pytest.fixture
def enrolled(learner, course):
    """The learner, enrolled in the course."""
    EnrolmentFactory(user=learner, course=course)
    return learner
