"""Ordering: the learner puts items into their right order.

Partial credit: points × share of items in their right place.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .base import (
    NOT_AN_OPTION,
    InvalidAnswer,
    Keys,
    QuestionBlock,
    QuestionType,
    field_name,
    partial_credit_block,
    partial_credit_of,
    partial_grade,
    shuffled,
    texts,
)
from .registry import register


class OrderingBlock(QuestionBlock):
    items = blocks.ListBlock(
        blocks.CharBlock(max_length=300, label=_("item")),
        min_num=2,
        max_num=12,
        label=_("items in the correct order"),
        help_text=_("Learners see them shuffled and put them in order."),
    )
    partial_credit = partial_credit_block(
        _("With partial credit: points × share of items in their correct place.")
    )

    class Meta:
        icon = "list-ol"
        label = _("Ordering")

    def clean(self, value):
        value = super().clean(value)
        self._distinct(value, "items", value["items"])
        return value


@register
class Ordering(QuestionType):
    name = "ordering"
    label = _("Ordering")
    block_class = OrderingBlock
    public_fields = ("items",)

    def snapshot(self, value, *, rng, shuffle):
        keys = Keys()
        items = [{"key": keys.new(), "text": text} for text in value["items"]]
        return {
            "correct_order": [item["key"] for item in items],
            # Always shown shuffled, whatever the quiz's setting: authored order is the answer.
            "items": shuffled(items, rng),
            **partial_credit_of(value),
        }

    def read_answer(self, question, data):
        name, items = field_name(question), question["items"]
        positions = {}
        for item in items:
            raw = data.get(f"{name}-{item['key']}", "")
            if raw == "":
                continue
            # isdecimal, not isdigit: "²" is a digit that int() cannot read; the length check
            # keeps int() from numbers too long to convert.
            if not (raw.isdecimal() and len(raw) <= 3) or not 1 <= int(raw) <= len(items):
                raise InvalidAnswer(NOT_AN_OPTION)
            positions[item["key"]] = int(raw)
        if not positions:
            return None
        if len(positions) < len(items):
            raise InvalidAnswer(_("Please give every item a position."))
        if len(set(positions.values())) < len(items):
            raise InvalidAnswer(_("Each position can be given only once."))
        return sorted(positions, key=positions.get)

    def grade(self, question, answer):
        order = question["correct_order"]
        in_place = sum(1 for given, right in zip(answer, order, strict=False) if given == right)
        return partial_grade(question, in_place, len(order))

    def correct_answer(self, question):
        return list(question["correct_order"])

    def wrong_answer(self, question):
        order = question["correct_order"]
        return order[1:] + order[:1]  # every item one place off

    def answer_in_words(self, question, answer):
        by_key = texts(question["items"])
        return [f"{index}. {by_key.get(key, '')}" for index, key in enumerate(answer, start=1)]

    def form_data(self, question, answer):
        name = field_name(question)
        return {f"{name}-{key}": str(position) for position, key in enumerate(answer, start=1)}
