"""Number: the learner types a number; right within the tolerance either way."""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .base import (
    Grade,
    InvalidAnswer,
    QuestionBlock,
    QuestionType,
    format_number,
    read_typed_text,
)
from .registry import register

NOT_A_NUMBER = _("Please enter a number, for example 12,5.")

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
_GERMAN_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")


def parse_number(raw: str) -> Decimal:
    """A number as people type it: "12,5", "12.5", "1.234,5", "1 234,5", "1.500", "-3".

    German first: dots before groups of exactly three digits separate thousands ("1.500" is
    fifteen hundred); otherwise a single dot or comma separates the decimals.
    """
    text = raw.strip().replace("\u00a0", "").replace(" ", "")
    if _GERMAN_THOUSANDS.match(text):
        text = text.replace(".", "")
    elif "," in text and "." in text:
        # Whichever comes last separates the decimals; the other groups thousands.
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    else:
        text = text.replace(",", ".")
    if not _NUMBER.match(text):
        raise InvalidAnswer(NOT_A_NUMBER)
    try:
        return Decimal(text)
    except InvalidOperation:
        raise InvalidAnswer(NOT_A_NUMBER) from None


class NumberBlock(QuestionBlock):
    answer = blocks.DecimalBlock(label=_("correct number"), decimal_places=4)
    tolerance = blocks.DecimalBlock(
        label=_("tolerance"),
        required=False,
        min_value=Decimal(0),
        decimal_places=4,
        help_text=_("Answers this far from the correct number, either way, count as correct."),
    )
    unit = blocks.CharBlock(label=_("unit"), required=False, max_length=30)

    class Meta:
        icon = "order"
        label = _("Number")


@register
class Number(QuestionType):
    name = "number"
    label = _("Number")
    block_class = NumberBlock
    public_fields = ("unit",)
    typed_input = True

    def snapshot(self, value, *, rng, shuffle):
        return {
            "value": str(value["answer"]),
            "tolerance": str(value.get("tolerance") or 0),
            "unit": value.get("unit") or "",
        }

    def read_answer(self, question, data):
        value = read_typed_text(question, data)
        if value is not None:
            parse_number(value)
        return value

    def grade(self, question, answer):
        points = Decimal(question["points"])
        try:
            given = parse_number(answer)
        except InvalidAnswer:
            return Grade(Decimal(0), points)
        expected, tolerance = Decimal(question["value"]), Decimal(question["tolerance"])
        return Grade(points if abs(given - expected) <= tolerance else Decimal(0), points)

    def correct_answer(self, question):
        return question["value"]

    def wrong_answer(self, question):
        return str(Decimal(question["value"]) + Decimal(question["tolerance"]) + 1)

    def answer_in_words(self, question, answer):
        return [f"{answer} {question.get('unit') or ''}".strip()]

    def answer_notes(self, question):
        if Decimal(question["tolerance"]) == 0:
            return []
        tolerance = format_number(question["tolerance"])
        return [gettext("Accepted within ± %(tolerance)s") % {"tolerance": tolerance}]

    def key_details(self, question):
        return {"tolerance": question["tolerance"]}

    def analysis_labels(self, question, answer):
        # Counted by value: "1.500" and "1500" are the same answer.
        try:
            value = format_number(parse_number(answer))
        except InvalidAnswer:
            value = str(answer)
        return [f"{value} {question.get('unit') or ''}".strip()]
