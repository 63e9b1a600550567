"""Single choice: exactly one of the options is right. Also the base of multiple choice."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .base import (
    NOT_AN_OPTION,
    Grade,
    InvalidAnswer,
    Keys,
    QuestionBlock,
    QuestionType,
    field_name,
    shuffled,
    texts,
)
from .registry import register


class ChoiceOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("answer"), max_length=500)
    correct = blocks.BooleanBlock(label=_("correct"), required=False)
    feedback = blocks.CharBlock(label=_("feedback on this answer"), required=False, max_length=500)


class SingleChoiceBlock(QuestionBlock):
    options = blocks.ListBlock(ChoiceOptionBlock(), min_num=2, max_num=12, label=_("answers"))

    class Meta:
        icon = "radio-full"
        label = _("Single choice")
        help_text = _("Exactly one answer is correct.")

    def clean(self, value):
        value = super().clean(value)
        if sum(1 for option in value["options"] if option["correct"]) != 1:
            self._fail(value, options=_("Mark exactly one answer as correct."))
        self._distinct(value, "options", [option["text"] for option in value["options"]])
        return value


class ChoiceType(QuestionType):
    """Options with texts, some marked right, each with feedback on choosing it."""

    public_fields = ("options",)
    key_template = "courses/quiz/types/choice_key.html"

    def snapshot(self, value, *, rng, shuffle):
        keys = Keys()
        options = [
            {
                "key": keys.new(),
                "text": option["text"],
                "correct": bool(option["correct"]),
                "feedback": option.get("feedback") or "",
            }
            for option in value["options"]
        ]
        return {"options": shuffled(options, rng) if shuffle else options}

    def answer_in_words(self, question, answer):
        by_key = texts(question["options"])
        keys = answer if isinstance(answer, list) else [answer]
        return [by_key.get(key, "") for key in keys]

    def feedback(self, question, answer):
        keys = answer if isinstance(answer, list) else [answer]
        return [o["feedback"] for o in question["options"] if o["key"] in keys and o["feedback"]]


@register
class SingleChoice(ChoiceType):
    name = "single_choice"
    label = _("Single choice")
    block_class = SingleChoiceBlock

    def read_answer(self, question, data):
        value = data.get(field_name(question), "")
        if value == "":
            return None
        if value not in {o["key"] for o in question["options"]}:
            raise InvalidAnswer(NOT_AN_OPTION)
        return value

    def grade(self, question, answer):
        points = Decimal(question["points"])
        return Grade(points if answer == self.correct_answer(question) else Decimal(0), points)

    def correct_answer(self, question):
        return next(o["key"] for o in question["options"] if o["correct"])

    def wrong_answer(self, question):
        return next(o["key"] for o in question["options"] if not o["correct"])
