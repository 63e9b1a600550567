"""Questions of an attempt: freezing, reading, grading and reviewing them, whatever their type.

An attempt keeps a snapshot of every question as drawn (plain JSON: texts, options in the order
shown, and the key to grade by), so later edits of the quiz change no past attempt. Each type
lives in a module of its own under `types/`; the functions here find it by the snapshot's
"type" and add what every question has (id, prompt, points, feedback).
"""

from decimal import Decimal

from .types import Grade, InvalidAnswer, question_type, question_types
from .types.base import CENT, MAX_TEXT_ANSWER, normalise_text
from .types.number import parse_number

# Names of the built-in types, for code that writes questions (demo content, tests).
SINGLE = "single_choice"
MULTIPLE = "multiple_choice"
TRUE_FALSE = "true_false"
SHORT_TEXT = "short_text"
NUMBER = "number"
ORDERING = "ordering"
MATCHING = "matching"

__all__ = [
    "MAX_TEXT_ANSWER",
    "Grade",
    "InvalidAnswer",
    "analysis_labels",
    "answer_feedback",
    "answer_in_words",
    "answer_notes",
    "correct_answer",
    "form_data",
    "grade",
    "key_details",
    "normalise_text",
    "parse_number",
    "public_view",
    "read_answer",
    "shows_typed_input",
    "snapshot",
    "type_label",
    "wrong_answer",
]


def _type(question: dict):
    return question_type(question["type"])


def type_label(name: str) -> str:
    """The type's name for people; a type no longer known is shown by its block name."""
    known = {kind.name: kind.label for kind in question_types()}
    return known.get(name, name)


def snapshot(*, block_id, block_type, value, rng, shuffle_options) -> dict:
    """Freeze one StreamField question as it is shown in this attempt."""
    kind = question_type(block_type)
    return {
        "id": str(block_id),
        "type": block_type,
        "prompt": value["prompt"],
        "points": str(Decimal(value["points"]).quantize(CENT)),
        "feedback": value.get("feedback") or "",
        **kind.snapshot(value, rng=rng, shuffle=shuffle_options),
    }


def public_view(question: dict) -> dict:
    """The question as a learner may see it while answering: texts and keys only."""
    return {
        "id": question["id"],
        "type": question["type"],
        "prompt": question["prompt"],
        "points": question["points"],
        **_type(question).public_view(question),
    }


def read_answer(question: dict, data):
    """The answer to one question from posted form data (a QueryDict), or None if unanswered.

    Raises InvalidAnswer for values the question cannot have (an option that is not one of
    its options, a position twice, text that is no number).
    """
    return _type(question).read_answer(question, data)


def grade(question: dict, answer) -> Grade:
    """Points for one answer (None: unanswered), from the snapshot alone."""
    if answer is None:
        return Grade(Decimal(0), Decimal(question["points"]))
    return _type(question).grade(question, answer)


def correct_answer(question: dict):
    """The right answer in the shape read_answer gives, for the review."""
    return _type(question).correct_answer(question)


def _unanswered(answer) -> bool:
    return answer is None or answer == "" or answer == [] or answer == {}


def answer_in_words(question: dict, answer) -> list[str]:
    """An answer (the learner's or the right one) as lines of text.

    Reads only what the learner sees of a question (option, item and match texts), so it
    works on a snapshot and on its `public_view` alike.
    """
    if _unanswered(answer):
        return []
    return _type(question).answer_in_words(question, answer)


def answer_feedback(question: dict, answer) -> list[str]:
    """Feedback written for the answers chosen; needs the full snapshot, so only for a review
    the quiz's policy allows."""
    if answer is None:
        return []
    return _type(question).feedback(question, answer)


def answer_notes(question: dict) -> list[str]:
    """Lines shown with the correct answer (other accepted answers, a tolerance); key only."""
    return _type(question).answer_notes(question)


def key_details(question: dict) -> dict:
    """What an attempt's public view adds beside the correct answer once the key is shown."""
    return _type(question).key_details(question)


def analysis_labels(question: dict, answer) -> list[str]:
    """What the quiz analysis counts for an answer (nothing for no answer)."""
    if _unanswered(answer):
        return []
    return _type(question).analysis_labels(question, answer)


def form_data(question: dict, answer) -> dict:
    """Form fields posting this answer (a list value: the field repeated)."""
    if _unanswered(answer):
        return {}
    return _type(question).form_data(question, answer)


def wrong_answer(question: dict):
    """An answer that earns no points, for demo attempts and tests."""
    return _type(question).wrong_answer(question)


def shows_typed_input(question: dict) -> bool:
    """Whether a refused page shows this question's answer as typed (text inputs)."""
    return _type(question).typed_input
