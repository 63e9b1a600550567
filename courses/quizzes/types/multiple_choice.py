"""Multiple choice: any number of the options are right.

Partial credit: points × max(0, (right choices − wrong choices) ÷ number of right options).
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .base import (
    NOT_AN_OPTION,
    InvalidAnswer,
    QuestionBlock,
    field_name,
    partial_credit_block,
    partial_credit_of,
    partial_grade,
)
from .registry import register
from .single_choice import ChoiceOptionBlock, ChoiceType


class MultipleChoiceBlock(QuestionBlock):
    options = blocks.ListBlock(ChoiceOptionBlock(), min_num=2, max_num=12, label=_("answers"))
    partial_credit = partial_credit_block(
        _(
            "With partial credit: points × (right answers chosen − wrong answers chosen) ÷ "
            "number of right answers, at least 0. Without: full points only for exactly the "
            "right answers."
        )
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
            **partial_credit_of(value),
        }

    def read_answer(self, question, data):
        values = data.getlist(field_name(question))
        if not set(values) <= {o["key"] for o in question["options"]}:
            raise InvalidAnswer(NOT_AN_OPTION)
        # Kept in the order shown, without repeats.
        chosen = [o["key"] for o in question["options"] if o["key"] in values]
        return chosen or None

    def grade(self, question, answer):
        right = set(self.correct_answer(question))
        chosen = set(answer)
        # All right choices and no wrong one is the only way to reach len(right).
        net = len(chosen & right) - len(chosen - right)
        return partial_grade(question, net, len(right))

    def correct_answer(self, question):
        return [o["key"] for o in question["options"] if o["correct"]]

    def wrong_answer(self, question):
        return [o["key"] for o in question["options"] if not o["correct"]]
