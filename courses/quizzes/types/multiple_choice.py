"""Multiple choice: any number of the options are right.

Partial credit: points × max(0, (right choices − wrong choices) ÷ number of right options).
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .base import NOT_AN_OPTION, Grade, InvalidAnswer, QuestionBlock, field_name, share
from .registry import register
from .single_choice import ChoiceOptionBlock, ChoiceType


class MultipleChoiceBlock(QuestionBlock):
    options = blocks.ListBlock(ChoiceOptionBlock(), min_num=2, max_num=12, label=_("answers"))
    partial_credit = blocks.BooleanBlock(
        label=_("partial credit"),
        required=False,
        default=True,
        help_text=_(
            "With partial credit: points × (right answers chosen − wrong answers chosen) ÷ "
            "number of right answers, at least 0. Without: full points only for exactly the "
            "right answers."
        ),
    )

    class Meta:
        icon = "tasks"
        label = _("Multiple choice")

    def clean(self, value):
        value = super().clean(value)
        if not any(option["correct"] for option in value["options"]):
            self._fail(value, options=_("Mark at least one answer as correct."))
        self._distinct(value, "options", [option["text"] for option in value["options"]])
        return value


@register
class MultipleChoice(ChoiceType):
    name = "multiple_choice"
    label = _("Multiple choice")
    block_class = MultipleChoiceBlock

    def snapshot(self, value, *, rng, shuffle):
        return {
            **super().snapshot(value, rng=rng, shuffle=shuffle),
            "partial_credit": bool(value.get("partial_credit", True)),
        }

    def read_answer(self, question, data):
        values = data.getlist(field_name(question))
        if not set(values) <= {o["key"] for o in question["options"]}:
            raise InvalidAnswer(NOT_AN_OPTION)
        # Kept in the order shown, without repeats.
        chosen = [o["key"] for o in question["options"] if o["key"] in values]
        return chosen or None

    def grade(self, question, answer):
        points = Decimal(question["points"])
        right = set(self.correct_answer(question))
        chosen = set(answer)
        if not question.get("partial_credit", True):
            return Grade(points if chosen == right else Decimal(0), points)
        net = len(chosen & right) - len(chosen - right)
        return Grade(share(points, net, len(right)), points)

    def correct_answer(self, question):
        return [o["key"] for o in question["options"] if o["correct"]]

    def wrong_answer(self, question):
        return [o["key"] for o in question["options"] if not o["correct"]]
