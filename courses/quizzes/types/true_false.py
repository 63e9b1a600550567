"""True or false: the learner judges a statement."""

from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .base import NOT_AN_OPTION, Grade, InvalidAnswer, QuestionBlock, QuestionType, field_name
from .registry import register

TRUE, FALSE = "true", "false"


class TrueFalseBlock(QuestionBlock):
    correct = blocks.BooleanBlock(
        label=_("the statement is true"),
        required=False,
        help_text=_("Tick if the statement in the question is true."),
    )
    feedback_true = blocks.CharBlock(label=_("feedback on “true”"), required=False, max_length=500)
    feedback_false = blocks.CharBlock(
        label=_("feedback on “false”"), required=False, max_length=500
    )

    class Meta:
        icon = "tick"
        label = _("True or false")


@register
class TrueFalse(QuestionType):
    name = "true_false"
    label = _("True or false")
    block_class = TrueFalseBlock
    key_template = "courses/quiz/types/true_false_key.html"

    def snapshot(self, value, *, rng, shuffle):
        return {
            "correct": bool(value["correct"]),
            "feedback_true": value.get("feedback_true") or "",
            "feedback_false": value.get("feedback_false") or "",
        }

    def read_answer(self, question, data):
        value = data.get(field_name(question), "")
        if value == "":
            return None
        if value not in (TRUE, FALSE):
            raise InvalidAnswer(NOT_AN_OPTION)
        return value

    def grade(self, question, answer):
        points = Decimal(question["points"])
        return Grade(points if (answer == TRUE) == question["correct"] else Decimal(0), points)

    def correct_answer(self, question):
        return TRUE if question["correct"] else FALSE

    def wrong_answer(self, question):
        return FALSE if question["correct"] else TRUE

    def answer_in_words(self, question, answer):
        return [gettext("True") if answer == TRUE else gettext("False")]

    def feedback(self, question, answer):
        text = question.get("feedback_true" if answer == TRUE else "feedback_false")
        return [text] if text else []
