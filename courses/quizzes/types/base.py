"""What a question type is: the hooks every type answers, and the pieces types share.

A question type is one module: its admin block, how a question is frozen into an attempt
(the snapshot), what the learner may see of it, how an answer is read from the form and graded,
the right answer, answers in words for the review, feedback, and what the quiz analysis counts.
The snapshot is plain JSON kept in every attempt, so its fields never change for a type that
has been used: old attempts must still grade and review.
"""

import secrets
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError

CENT = Decimal("0.01")
MAX_TEXT_ANSWER = 500

NOT_AN_OPTION = _("This answer is not one of the options of the question.")


class InvalidAnswer(ValueError):
    """A posted value that cannot be an answer to the question; the message is for the learner."""


@dataclass(frozen=True)
class Grade:
    score: Decimal
    points: Decimal

    @property
    def correct(self) -> bool:
        return self.score == self.points


# Helpers the types share


def normalise_text(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def field_name(question: dict) -> str:
    """The name of the question's form field (or the prefix of its fields)."""
    return f"q-{question['id']}"


def format_number(value) -> str:
    """A number as people write it: "2", "1,5" (no trailing zeros)."""
    number = Decimal(str(value)).normalize()
    places = max(0, -number.as_tuple().exponent)
    return number_format(number, decimal_pos=places)


class Keys:
    """Random keys for the options of one question, unique within it.

    Neither their names nor their order tell anything about the answer.
    """

    def __init__(self):
        self.taken = set()

    def new(self) -> str:
        while True:
            key = secrets.token_hex(4)
            if key not in self.taken:
                self.taken.add(key)
                return key


def shuffled(items, rng):
    """The items in uniformly random order.

    Any order may come up, the right one included: an order that can never appear would tell
    something about the answer (with two items, everything). Positions and matches are chosen
    in fields that start empty, so an order that happens to be right gives nothing away.
    """
    items = list(items)
    rng.shuffle(items)
    return items


def share(points: Decimal, part: int, whole: int) -> Decimal:
    """Points for part of whole right, rounded to cents; nothing for a negative part."""
    if whole <= 0 or part <= 0:
        return Decimal(0)
    return (points * part / whole).quantize(CENT, rounding=ROUND_HALF_UP)


def texts(items) -> dict:
    """Option (item, match) texts by key."""
    return {item["key"]: item["text"] for item in items}


def read_typed_text(question: dict, data) -> str | None:
    """A typed answer (text or number) from the form, or None if left empty."""
    value = data.get(field_name(question), "").strip()
    if not value:
        return None
    if len(value) > MAX_TEXT_ANSWER:
        raise InvalidAnswer(_("The answer is too long."))
    if any(ord(char) < 32 and char != "\t" for char in value):
        # Control characters (NUL among them) cannot be stored and are never typed.
        raise InvalidAnswer(_("The answer contains characters that are not allowed."))
    return value


def partial_grade(question: dict, right, whole: int) -> Grade:
    """Points for `right` of `whole` right: their share with partial credit, else all or none."""
    points = Decimal(question["points"])
    if not question.get("partial_credit", True):
        return Grade(points if right == whole else Decimal(0), points)
    return Grade(share(points, right, whole), points)


def partial_credit_of(value) -> dict:
    """The snapshot field of a type with partial credit (on unless the trainer turned it off)."""
    return {"partial_credit": bool(value.get("partial_credit", True))}


# The admin block


def partial_credit_block(help_text):
    """The switch for partial credit; the help text says what a share is for the type."""
    return blocks.BooleanBlock(
        label=_("partial credit"), required=False, default=True, help_text=help_text
    )


class QuestionBlock(blocks.StructBlock):
    """Fields every question has: the question, its points and feedback shown in the review."""

    prompt = blocks.TextBlock(label=_("question"), max_length=2000)
    points = blocks.DecimalBlock(
        label=_("points"),
        default=Decimal(1),
        min_value=Decimal("0.5"),
        max_value=Decimal(100),
        decimal_places=2,
    )
    feedback = blocks.TextBlock(
        label=_("feedback on the question"),
        required=False,
        help_text=_("Shown with the correct answers, when the review policy allows."),
    )

    def _distinct(self, value, field, entries):
        """Refuse repeated texts: learners could not tell the two apart."""
        normalised = [normalise_text(entry) for entry in entries]
        if len(set(normalised)) < len(normalised):
            self._fail(value, **{field: _("Each entry must be different from the others.")})

    def _fail(self, value, **errors):
        raise StructBlockValidationError(
            block_errors={name: ValidationError(message) for name, message in errors.items()}
        )


# The type


class QuestionType:
    """One kind of question. Subclass it in a module of its own and `register` it.

    Hooks get the question's snapshot (a dict) and, where there is one, an answer in the shape
    `read_answer` gives; an unanswered question (answer None) never reaches `grade`,
    `answer_in_words`, `feedback` or `analysis_labels`.
    """

    name: str = ""  # the StreamField block name, stored as the snapshot's "type"
    label = ""
    block_class: type[QuestionBlock] = QuestionBlock
    # Snapshot fields the learner may see while answering; lists keep only key and text.
    public_fields: tuple[str, ...] = ()
    # The answer is typed: after a refused page the form shows it as typed, valid or not.
    typed_input = False
    # What trainers see as the key in the quiz preview.
    key_template = "courses/quiz/types/key.html"

    @property
    def form_template(self) -> str:
        """The inputs for answering, inside the question's fieldset."""
        return f"courses/quiz/types/{self.name}.html"

    def block(self) -> QuestionBlock:
        """The block trainers author the question in (a child of the quiz's StreamField)."""
        return self.block_class()

    def snapshot(self, value, *, rng, shuffle: bool) -> dict:
        """The type's own fields of the question as drawn for one attempt (JSON-ready)."""
        raise NotImplementedError

    def public_view(self, question: dict) -> dict:
        """The type's fields a learner may see while answering: texts and keys, never the key."""
        view = {}
        for name in self.public_fields:
            value = question[name]
            if isinstance(value, list):
                value = [{"key": item["key"], "text": item["text"]} for item in value]
            view[name] = value
        return view

    def read_answer(self, question: dict, data):
        """The answer from posted form data (a QueryDict), or None if unanswered; raises
        InvalidAnswer with a message for the learner for a value the question cannot have."""
        raise NotImplementedError

    def grade(self, question: dict, answer) -> Grade:
        raise NotImplementedError

    def correct_answer(self, question: dict):
        """The right answer, in the shape `read_answer` gives."""
        raise NotImplementedError

    def answer_in_words(self, question: dict, answer) -> list[str]:
        """An answer as lines of text; reads only what `public_view` keeps."""
        return [str(answer)]

    def feedback(self, question: dict, answer) -> list[str]:
        """Feedback written for the answer chosen (needs the full snapshot)."""
        return []

    def answer_notes(self, question: dict) -> list[str]:
        """Lines shown with the correct answer (other accepted answers, a tolerance)."""
        return []

    def key_details(self, question: dict) -> dict:
        """Fields beside the correct answer in an attempt's public view once the key is shown."""
        return {}

    def analysis_labels(self, question: dict, answer) -> list[str]:
        """What the quiz analysis counts for this answer: each option, placement or pair
        chosen. Equal answers must give equal labels across attempts (keys differ)."""
        return self.answer_in_words(question, answer)

    def form_data(self, question: dict, answer) -> dict:
        """The form fields that post this answer: what `read_answer` reads back."""
        return {field_name(question): answer}

    def wrong_answer(self, question: dict):
        """An answer that earns no points (for demo attempts and tests)."""
        raise NotImplementedError
