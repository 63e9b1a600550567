"""Question types: the registry matches the quiz editor, every type keeps its contract, and a
type written as one module goes through the whole quiz (attempt, review, analysis)."""

import random
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.template.loader import get_template
from django.urls import reverse

from courses.models import QuizAttempt, QuizPage
from courses.quizzes import questions as q
from courses.quizzes.analysis import AnswerShare, item_analysis
from courses.quizzes.blocks import QuestionsBlock
from courses.quizzes.types import question_type, question_types, register, unregister
from tests.courses.quizzes.conftest import add_quiz, every_type, form
from tests.courses.quizzes.year_type import NOT_A_YEAR, Year

pytestmark = pytest.mark.django_db


def quiz_stream_block():
    return QuizPage._meta.get_field("questions").stream_block


# The registry


def test_every_block_of_the_quiz_editor_has_a_question_type_and_every_type_a_block():
    blocks = quiz_stream_block().child_blocks

    assert list(blocks) == [kind.name for kind in question_types()]
    for name, block in blocks.items():
        assert type(block) is question_type(name).block_class


def test_the_built_in_types_keep_their_block_names_in_their_order():
    # The names are stored in every quiz and every attempt; the order is the editor's menu.
    assert [kind.name for kind in question_types()] == [
        "single_choice",
        "multiple_choice",
        "true_false",
        "short_text",
        "number",
        "ordering",
        "matching",
    ]


def test_every_type_has_its_templates():
    for kind in question_types():
        get_template(kind.form_template)
        get_template(kind.key_template)


@pytest.mark.parametrize(("block_type", "value"), every_type(), ids=lambda x: str(x)[:15])
def test_every_type_reads_back_what_it_posts_and_grades_right_and_wrong(block_type, value):
    question = q.snapshot(
        block_id="frage",
        block_type=block_type,
        value=value,
        rng=random.Random(3),
        shuffle_options=True,
    )
    right = q.read_answer(question, form(q.form_data(question, q.correct_answer(question))))
    wrong = q.read_answer(question, form(q.form_data(question, q.wrong_answer(question))))

    assert q.grade(question, right).correct
    assert q.grade(question, wrong).score == 0
    assert q.answer_in_words(q.public_view(question), right)
    assert q.analysis_labels(question, right)


# A type of the tests' own, through the whole quiz


@pytest.fixture
def year_type(monkeypatch):
    """The Year type registered, and the quiz's StreamField built again as at start-up."""
    register(Year)
    monkeypatch.setitem(
        QuizPage._meta.get_field("questions").__dict__, "stream_block", QuestionsBlock()
    )
    yield
    unregister(Year.name)


@pytest.fixture
def year_quiz(course, year_type):
    return add_quiz(
        course,
        [
            (
                "year",
                {
                    "prompt": "In welchem Jahr trat das Onlinezugangsgesetz in Kraft?",
                    "points": Decimal(2),
                    "feedback": "Das OZG gilt seit August 2017.",
                    "year": 2017,
                },
            )
        ],
        review=QuizPage.Review.AFTER_EACH,
    )


def test_a_new_type_offers_its_block_in_the_quiz_editor(year_type):
    assert isinstance(quiz_stream_block().child_blocks["year"], Year.block_class)


def test_a_type_written_as_one_module_is_taken_reviewed_and_analysed(client, enrolled, year_quiz):
    client.force_login(enrolled)

    # Started: the question is frozen by its type; the learner sees no key.
    response = client.post(reverse("courses:quiz_start", args=[year_quiz.pk]))
    attempt = QuizAttempt.objects.get(user=enrolled, quiz=year_quiz)
    question = attempt.questions[0]
    assert question["type"] == "year" and question["year"] == 2017
    page = client.get(response["Location"])
    assert page.context["questions"][0].question == {
        "id": question["id"],
        "type": "year",
        "prompt": "In welchem Jahr trat das Onlinezugangsgesetz in Kraft?",
        "points": "2.00",
    }
    assert page.context["questions"][0].type_label == "Year"
    assert f'name="q-{question["id"]}"' in page.text

    # A value the type refuses: its message, the text as typed, nothing saved.
    url = reverse("courses:attempt_page", args=[attempt.pk, 1])
    refused = client.post(url, {f"q-{question['id']}": "neunzehn", "version": attempt.version})
    assert NOT_A_YEAR in refused.text
    assert 'value="neunzehn"' in refused.text
    attempt.refresh_from_db()
    assert attempt.answers == {}

    # Answered one year off and submitted: graded by the type.
    client.post(
        url, {f"q-{question['id']}": "2016", "version": attempt.version, "action": "summary"}
    )
    client.post(reverse("courses:attempt_summary", args=[attempt.pk]))
    attempt.refresh_from_db()
    assert attempt.answers == {question["id"]: "2016"}
    assert (attempt.score, attempt.max_score) == (Decimal(0), Decimal(2))
    assert attempt.results[question["id"]] == {"score": "0", "correct": False}

    # The review shows the answer, the right one and the type's feedback.
    result = client.get(reverse("courses:attempt_result", args=[attempt.pk]))
    review = BeautifulSoup(result.content, "html.parser").select_one(".review-answers")
    assert [dd.get_text(" ", strip=True) for dd in review.find_all("dd")] == ["2016", "2017"]
    assert "1 Jahre daneben." in result.text
    assert "Das OZG gilt seit August 2017." in result.text

    # The analysis counts the answer under the type's name.
    figures = item_analysis(quiz=year_quiz).questions[0]
    assert (figures.type_label, figures.presented, figures.correct_percent) == ("Year", 1, 0)
    assert figures.answers == [AnswerShare(text="2016", count=1, percent=100.0)]
