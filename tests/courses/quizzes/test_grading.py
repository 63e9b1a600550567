"""Grading each question type, reading posted answers, and what trainers may author."""

from decimal import Decimal

import pytest
from django.utils import translation
from wagtail.blocks import StructBlockValidationError

from courses.quizzes import questions as q
from courses.quizzes.blocks import QuestionsBlock
from courses.quizzes.types.matching import MatchingBlock
from courses.quizzes.types.multiple_choice import MultipleChoiceBlock
from courses.quizzes.types.ordering import OrderingBlock
from courses.quizzes.types.single_choice import SingleChoiceBlock
from tests.courses.quizzes.conftest import by_text, form, freeze, right_fields


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in the language of their msgids."""
    with translation.override("en"):
        yield


OPTIONS = [
    {"text": "A", "correct": True},
    {"text": "B", "correct": True},
    {"text": "C", "correct": True},
    {"text": "D", "correct": False},
    {"text": "E", "correct": False},
]
STEPS = ["Eingang", "Prüfung", "Anhörung", "Bescheid"]
PAIRS = [
    {"left": "BSI", "right": "Informationssicherheit"},
    {"left": "FITKO", "right": "Föderale IT"},
    {"left": "HZD", "right": "Rechenzentrum"},
]


def score(question, answer):
    return q.grade(question, answer).score


def read(question, fields):
    return q.read_answer(question, form(fields))


# Right or wrong


def test_single_choice_gives_the_points_only_for_the_right_option():
    question = freeze(
        "single_choice",
        points=Decimal(2),
        options=[{"text": "richtig", "correct": True}, {"text": "falsch", "correct": False}],
    )
    assert score(question, by_text(question, "richtig")) == Decimal(2)
    assert score(question, by_text(question, "falsch")) == 0
    assert score(question, None) == 0


@pytest.mark.parametrize(
    ("statement_true", "answer", "points"),
    [
        (True, "true", 1),
        (True, "false", 0),
        (False, "false", 1),
        (False, "true", 0),
    ],
)
def test_true_false_compares_with_the_statement(statement_true, answer, points):
    question = freeze("true_false", correct=statement_true)
    assert score(question, read(question, {"q-frage-1": answer})) == points


@pytest.mark.parametrize(
    ("typed", "points"),
    [
        ("Onlinezugangsgesetz", 1),
        ("  onlineZUGANGSgesetz ", 1),
        ("ozg", 1),
        ("Online   Zugangs\tGesetz", 1),
        ("Online-Zugangs-Gesetz", 0),
        ("Onlinezugangsgesetze", 0),
    ],
)
def test_short_text_ignores_case_and_extra_spaces_only(typed, points):
    question = freeze(
        "short_text", accepted_answers=["Onlinezugangsgesetz", "OZG", "Online Zugangs Gesetz"]
    )
    assert score(question, read(question, {"q-frage-1": typed})) == points


@pytest.mark.parametrize(
    ("typed", "points"),
    [
        ("3,5", 1),
        ("3.5", 1),
        ("3,6", 1),  # at the edge of the tolerance
        ("3,4", 1),
        ("3,61", 0),
        (" +3,50 ", 1),
        ("-3,5", 0),
    ],
)
def test_number_counts_within_the_tolerance_either_way(typed, points):
    question = freeze("number", answer=Decimal("3.5"), tolerance=Decimal("0.1"))
    assert score(question, read(question, {"q-frage-1": typed})) == points


@pytest.mark.parametrize("typed", ["1.234,5", "1234,5", "1 234,5", "1234.5", "1,234.5"])
def test_number_accepts_german_and_english_ways_of_writing_it(typed):
    question = freeze("number", answer=Decimal("1234.5"), tolerance=None)
    assert score(question, read(question, {"q-frage-1": typed})) == 1


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("3,5", Decimal("3.5")),
        ("1.234,5", Decimal("1234.5")),
        ("1 234,5", Decimal("1234.5")),
        ("1\u00a0234,5", Decimal("1234.5")),
        ("-3", Decimal(-3)),
        (",5", Decimal("0.5")),
        ("12,", Decimal(12)),
    ],
)
def test_parse_number_reads_numbers_as_people_type_them(typed, value):
    assert q.parse_number(typed) == value


# Partial credit


@pytest.mark.parametrize(
    ("chosen", "points"),
    [
        (["A", "B", "C"], Decimal("3.00")),
        (["A", "B"], Decimal("2.00")),  # 2 right of 3
        (["A", "B", "D"], Decimal("1.00")),  # (2 right − 1 wrong) ÷ 3
        (["A", "B", "C", "D", "E"], Decimal("1.00")),  # (3 − 2) ÷ 3: ticking everything is no trick
        (["A", "D"], Decimal(0)),  # (1 − 1) ÷ 3
        (["A", "D", "E"], Decimal(0)),  # (1 − 2) ÷ 3 is floored at 0, never negative
        (["D"], Decimal(0)),
    ],
)
def test_multiple_choice_partial_credit_is_right_minus_wrong_over_right(chosen, points):
    question = freeze("multiple_choice", points=Decimal(3), options=OPTIONS, partial_credit=True)
    answer = read(question, {"q-frage-1": [by_text(question, text) for text in chosen]})
    assert score(question, answer) == points


def test_multiple_choice_partial_credit_rounds_to_cents():
    question = freeze("multiple_choice", points=Decimal(1), options=OPTIONS)
    answer = read(question, {"q-frage-1": [by_text(question, "A")]})
    assert score(question, answer) == Decimal("0.33")


@pytest.mark.parametrize(
    ("chosen", "points"),
    [
        (["A", "B", "C"], Decimal(3)),
        (["A", "B"], Decimal(0)),
        (["A", "B", "C", "D"], Decimal(0)),
    ],
)
def test_multiple_choice_without_partial_credit_is_all_or_nothing(chosen, points):
    question = freeze("multiple_choice", points=Decimal(3), options=OPTIONS, partial_credit=False)
    answer = read(question, {"q-frage-1": [by_text(question, text) for text in chosen]})
    assert score(question, answer) == points


def ordering_fields(question, order):
    """Fields putting the items with these texts into positions 1, 2, … in this order."""
    return {
        f"q-frage-1-{by_text(question, text, 'items')}": str(position)
        for position, text in enumerate(order, start=1)
    }


@pytest.mark.parametrize(
    ("order", "points"),
    [
        (STEPS, Decimal("2.00")),
        (["Eingang", "Prüfung", "Bescheid", "Anhörung"], Decimal("1.00")),  # 2 of 4 in place
        (["Eingang", "Anhörung", "Prüfung", "Bescheid"], Decimal("1.00")),
        (["Prüfung", "Anhörung", "Bescheid", "Eingang"], Decimal(0)),  # shifted: none in place
    ],
)
def test_ordering_partial_credit_is_the_share_of_items_in_place(order, points):
    question = freeze("ordering", points=Decimal(2), items=STEPS, partial_credit=True)
    assert score(question, read(question, ordering_fields(question, order))) == points


def test_ordering_without_partial_credit_needs_every_item_in_place():
    question = freeze("ordering", points=Decimal(2), items=STEPS, partial_credit=False)
    almost = ["Eingang", "Prüfung", "Bescheid", "Anhörung"]
    assert score(question, read(question, ordering_fields(question, almost))) == 0
    assert score(question, read(question, ordering_fields(question, STEPS))) == 2


def matching_fields(question, matches):
    return {
        f"q-frage-1-{by_text(question, left, 'lefts')}": by_text(question, right, "rights")
        for left, right in matches.items()
    }


@pytest.mark.parametrize(
    ("matches", "points"),
    [
        (
            {"BSI": "Informationssicherheit", "FITKO": "Föderale IT", "HZD": "Rechenzentrum"},
            Decimal("3.00"),
        ),
        (
            {"BSI": "Informationssicherheit", "FITKO": "Rechenzentrum", "HZD": "Föderale IT"},
            Decimal("1.00"),
        ),
        (
            {"BSI": "Informationssicherheit", "FITKO": "Föderale IT"},
            Decimal("2.00"),
        ),  # one left open
        (
            {"BSI": "Föderale IT", "FITKO": "Rechenzentrum", "HZD": "Informationssicherheit"},
            Decimal(0),
        ),
    ],
)
def test_matching_partial_credit_is_the_share_of_pairs_matched(matches, points):
    question = freeze("matching", points=Decimal(3), pairs=PAIRS, partial_credit=True)
    assert score(question, read(question, matching_fields(question, matches))) == points


def test_matching_without_partial_credit_needs_every_pair():
    question = freeze("matching", points=Decimal(3), pairs=PAIRS, partial_credit=False)
    two_of_three = {"BSI": "Informationssicherheit", "FITKO": "Föderale IT"}
    assert score(question, read(question, matching_fields(question, two_of_three))) == 0
    all_three = {pair["left"]: pair["right"] for pair in PAIRS}
    assert score(question, read(question, matching_fields(question, all_three))) == 3


def test_the_correct_answer_shown_in_the_review_gets_full_points():
    for block_type, value in [
        ("single_choice", {"options": OPTIONS[2:]}),
        ("multiple_choice", {"options": OPTIONS}),
        ("true_false", {"correct": False}),
        ("short_text", {"accepted_answers": ["OZG"]}),
        ("number", {"answer": Decimal("12.5"), "tolerance": None}),
        ("ordering", {"items": STEPS}),
        ("matching", {"pairs": PAIRS}),
    ]:
        question = freeze(block_type, **value)
        assert q.grade(question, q.correct_answer(question)).correct, block_type
        assert q.grade(question, read(question, right_fields(question))).correct, block_type


# Reading posted answers


def test_an_unanswered_question_reads_as_none():
    for block_type, value in [
        ("single_choice", {"options": OPTIONS[2:]}),
        ("multiple_choice", {"options": OPTIONS}),
        ("true_false", {"correct": True}),
        ("short_text", {"accepted_answers": ["OZG"]}),
        ("number", {"answer": Decimal(1)}),
        ("ordering", {"items": STEPS}),
        ("matching", {"pairs": PAIRS}),
    ]:
        question = freeze(block_type, **value)
        assert (
            read(question, {"q-frage-1": "  "} if block_type in ("short_text", "number") else {})
            is None
        )


def test_multiple_choice_keeps_each_option_once_in_the_order_shown():
    question = freeze("multiple_choice", options=OPTIONS)
    a, b = by_text(question, "A"), by_text(question, "B")
    shown = [o["key"] for o in question["options"] if o["key"] in (a, b)]
    assert read(question, {"q-frage-1": [b, a, b]}) == shown


def test_ordering_reads_the_items_in_the_positions_given():
    question = freeze("ordering", items=STEPS)
    answer = read(question, ordering_fields(question, list(reversed(STEPS))))
    texts = {item["key"]: item["text"] for item in question["items"]}
    assert [texts[key] for key in answer] == list(reversed(STEPS))


@pytest.mark.parametrize("posted", ["nicht-da", "C"])
def test_single_choice_refuses_an_option_not_in_the_question(posted):
    question = freeze("single_choice", options=OPTIONS[2:])
    with pytest.raises(q.InvalidAnswer):
        read(question, {"q-frage-1": posted})


def test_single_choice_refuses_the_key_of_another_attempt():
    mine = freeze("single_choice", options=OPTIONS[2:], seed=1)
    other = freeze("single_choice", options=OPTIONS[2:], seed=2)
    with pytest.raises(q.InvalidAnswer):
        read(mine, {"q-frage-1": by_text(other, "C")})


def test_multiple_choice_refuses_a_foreign_option_among_valid_ones():
    question = freeze("multiple_choice", options=OPTIONS)
    with pytest.raises(q.InvalidAnswer):
        read(question, {"q-frage-1": [by_text(question, "A"), "fremd"]})


def test_true_false_refuses_anything_but_true_or_false():
    question = freeze("true_false", correct=True)
    with pytest.raises(q.InvalidAnswer):
        read(question, {"q-frage-1": "vielleicht"})


def test_ordering_refuses_a_position_given_twice():
    question = freeze("ordering", items=STEPS)
    fields = ordering_fields(question, STEPS)
    fields[f"q-frage-1-{by_text(question, 'Bescheid', 'items')}"] = "1"
    with pytest.raises(q.InvalidAnswer) as error:
        read(question, fields)
    assert str(error.value) == "Each position can be given only once."


def test_ordering_refuses_a_missing_position():
    question = freeze("ordering", items=STEPS)
    fields = ordering_fields(question, STEPS)
    fields.pop(f"q-frage-1-{by_text(question, 'Bescheid', 'items')}")
    with pytest.raises(q.InvalidAnswer):
        read(question, fields)


@pytest.mark.parametrize("position", ["0", "5", "-1", "x", "1.0", "²", " 1"])
def test_ordering_refuses_a_position_that_is_not_one_of_the_places(position):
    question = freeze("ordering", items=STEPS)
    fields = ordering_fields(question, STEPS)
    fields[f"q-frage-1-{by_text(question, 'Eingang', 'items')}"] = position
    with pytest.raises(q.InvalidAnswer):
        read(question, fields)


def test_matching_refuses_a_match_that_is_not_in_the_question():
    question = freeze("matching", pairs=PAIRS)
    with pytest.raises(q.InvalidAnswer):
        read(question, {f"q-frage-1-{by_text(question, 'BSI', 'lefts')}": "fremd"})


@pytest.mark.parametrize("typed", ["drei", "3,5 Tage", "1e3", "3,5,5", "--3", "0x10", "NaN"])
def test_number_refuses_text_that_is_not_a_number(typed):
    question = freeze("number", answer=Decimal(3))
    with pytest.raises(q.InvalidAnswer) as error:
        read(question, {"q-frage-1": typed})
    assert str(error.value) == "Please enter a number, for example 12,5."


def test_text_answers_have_a_maximum_length():
    question = freeze("short_text", accepted_answers=["OZG"])
    with pytest.raises(q.InvalidAnswer):
        read(question, {"q-frage-1": "x" * (q.MAX_TEXT_ANSWER + 1)})


# What the learner sees while answering


def test_the_learner_sees_no_key_while_answering():
    for block_type, value in [
        ("single_choice", {"options": OPTIONS[2:]}),
        ("multiple_choice", {"options": OPTIONS}),
        ("true_false", {"correct": True, "feedback_true": "Gut"}),
        ("short_text", {"accepted_answers": ["Geheimwort"]}),
        ("number", {"answer": Decimal("4711.0815"), "unit": "Euro"}),
        ("ordering", {"items": STEPS}),
        ("matching", {"pairs": PAIRS}),
    ]:
        question = freeze(block_type, feedback="Rückmeldung", **value)
        view = q.public_view(question)
        shown = repr(view)
        for secret in ("correct", "accepted", "Geheimwort", "4711", "pairs", "Rückmeldung", "Gut"):
            assert secret not in shown, (block_type, secret)
        if block_type == "ordering":
            assert "correct_order" not in view


# What trainers may author


def test_single_choice_with_two_correct_answers_is_refused():
    block = SingleChoiceBlock()
    value = block.normalize(
        {
            "prompt": "Wofür steht OZG?",
            "points": Decimal(1),
            "options": [
                {"text": "Onlinezugangsgesetz", "correct": True},
                {"text": "Online-Zugangsgesetz", "correct": True},
            ],
        }
    )
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert error.value.block_errors["options"].messages == ["Mark exactly one answer as correct."]


def test_single_choice_without_a_correct_answer_is_refused():
    block = SingleChoiceBlock()
    value = block.normalize(
        {
            "prompt": "Frage",
            "points": 1,
            "options": [{"text": "a", "correct": False}, {"text": "b", "correct": False}],
        }
    )
    with pytest.raises(StructBlockValidationError):
        block.clean(value)


def test_single_choice_with_one_correct_answer_is_accepted():
    block = SingleChoiceBlock()
    value = block.normalize(
        {
            "prompt": "Frage",
            "points": 1,
            "options": [{"text": "a", "correct": True}, {"text": "b", "correct": False}],
        }
    )
    assert block.clean(value)["prompt"] == "Frage"


def test_multiple_choice_without_a_correct_answer_is_refused():
    block = MultipleChoiceBlock()
    value = block.normalize(
        {
            "prompt": "Frage",
            "points": 1,
            "options": [{"text": "a", "correct": False}, {"text": "b", "correct": False}],
        }
    )
    with pytest.raises(StructBlockValidationError):
        block.clean(value)


def test_matching_with_the_same_match_twice_is_refused():
    block = MatchingBlock()
    value = block.normalize(
        {
            "prompt": "Ordnen Sie zu.",
            "points": 1,
            "pairs": [
                {"left": "BSI", "right": "Sicherheit"},
                {"left": "LfD", "right": " sicherheit "},  # the same to learners' eyes
            ],
        }
    )
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert error.value.block_errors["pairs"].messages == [
        "Each item needs its own, different match."
    ]


@pytest.mark.parametrize(
    ("block", "value", "field"),
    [
        (
            MultipleChoiceBlock(),
            {"options": [{"text": "Ja", "correct": True}, {"text": " ja", "correct": False}]},
            "options",
        ),
        (OrderingBlock(), {"items": ["Antrag", "Prüfung", "ANTRAG"]}, "items"),
        (
            MatchingBlock(),
            {"pairs": [{"left": "BSI", "right": "Bund"}, {"left": "bsi", "right": "Land"}]},
            "pairs",
        ),
    ],
)
def test_entries_learners_could_not_tell_apart_are_refused(block, value, field):
    value = block.normalize({"prompt": "Frage", "points": 1, **value})
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert error.value.block_errors[field].messages == [
        "Each entry must be different from the others."
    ]


def test_a_quiz_needs_at_least_one_question():
    from django.core.exceptions import ValidationError

    block = QuestionsBlock()
    with pytest.raises(ValidationError):
        block.clean(block.normalize([]))


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1.500", "1500"),
        ("1.000.000", "1000000"),
        ("3.5", "3.5"),
        ("2.12", "2.12"),
        ("-1.500", "-1500"),
    ],
)
def test_dots_before_groups_of_three_digits_separate_thousands(typed, number):
    assert q.parse_number(typed) == Decimal(number)
