"""Short text: the learner types an answer, compared with the accepted ones without regard to
upper and lower case or extra spaces."""

from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .base import Grade, QuestionBlock, QuestionType, normalise_text, read_typed_text
from .registry import register


class ShortTextBlock(QuestionBlock):
    accepted_answers = blocks.ListBlock(
        blocks.CharBlock(max_length=200, label=_("accepted answer")),
        min_num=1,
        label=_("accepted answers"),
        help_text=_("Compared without regard to upper and lower case or extra spaces."),
    )

    class Meta:
        icon = "pilcrow"
        label = _("Short text")


@register
class ShortText(QuestionType):
    name = "short_text"
    label = _("Short text")
    block_class = ShortTextBlock
    typed_input = True

    def snapshot(self, value, *, rng, shuffle):
        return {"accepted": [str(text) for text in value["accepted_answers"]]}

    def read_answer(self, question, data):
        return read_typed_text(question, data)

    def grade(self, question, answer):
        points = Decimal(question["points"])
        accepted = {normalise_text(text) for text in question["accepted"]}
        return Grade(points if normalise_text(answer) in accepted else Decimal(0), points)

    def correct_answer(self, question):
        return question["accepted"][0]

    def wrong_answer(self, question):
        return "keine Ahnung"

    def answer_notes(self, question):
        also = question["accepted"][1:]
        return [f"{gettext('Also accepted:')} {', '.join(also)}"] if also else []

    def key_details(self, question):
        return {"also_accepted": question["accepted"][1:]}

    def analysis_labels(self, question, answer):
        # Counted as compared: "OZG" and " ozg" are the same answer.
        return [normalise_text(answer)]
