"""Question types as StreamField blocks, authored by trainers in the Wagtail admin."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError

from . import questions as q


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

    def _distinct(self, value, field, texts):
        """Refuse repeated texts: learners could not tell the two apart."""
        normalised = [q.normalise_text(text) for text in texts]
        if len(set(normalised)) < len(normalised):
            self._fail(value, **{field: _("Each entry must be different from the others.")})

    def _fail(self, value, **errors):
        raise StructBlockValidationError(
            block_errors={name: ValidationError(message) for name, message in errors.items()}
        )


class ChoiceOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("answer"), max_length=500)
    correct = blocks.BooleanBlock(label=_("correct"), required=False)
    feedback = blocks.CharBlock(label=_("feedback on this answer"), required=False, max_length=500)


class SingleChoiceBlock(QuestionBlock):
    options = blocks.ListBlock(ChoiceOptionBlock(), min_num=2, max_num=12, label=_("answers"))

    class Meta:
        icon = "radio-full"
        label = q.TYPE_LABELS[q.SINGLE]
        help_text = _("Exactly one answer is correct.")

    def clean(self, value):
        value = super().clean(value)
        if sum(1 for option in value["options"] if option["correct"]) != 1:
            self._fail(value, options=_("Mark exactly one answer as correct."))
        self._distinct(value, "options", [option["text"] for option in value["options"]])
        return value


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
        label = q.TYPE_LABELS[q.MULTIPLE]

    def clean(self, value):
        value = super().clean(value)
        if not any(option["correct"] for option in value["options"]):
            self._fail(value, options=_("Mark at least one answer as correct."))
        self._distinct(value, "options", [option["text"] for option in value["options"]])
        return value


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
        label = q.TYPE_LABELS[q.TRUE_FALSE]


class ShortTextBlock(QuestionBlock):
    accepted_answers = blocks.ListBlock(
        blocks.CharBlock(max_length=200, label=_("accepted answer")),
        min_num=1,
        label=_("accepted answers"),
        help_text=_("Compared without regard to upper and lower case or extra spaces."),
    )

    class Meta:
        icon = "pilcrow"
        label = q.TYPE_LABELS[q.SHORT_TEXT]


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
        label = q.TYPE_LABELS[q.NUMBER]


class OrderingBlock(QuestionBlock):
    items = blocks.ListBlock(
        blocks.CharBlock(max_length=300, label=_("item")),
        min_num=2,
        max_num=12,
        label=_("items in the correct order"),
        help_text=_("Learners see them shuffled and put them in order."),
    )
    partial_credit = blocks.BooleanBlock(
        label=_("partial credit"),
        required=False,
        default=True,
        help_text=_("With partial credit: points × share of items in their correct place."),
    )

    class Meta:
        icon = "list-ol"
        label = q.TYPE_LABELS[q.ORDERING]

    def clean(self, value):
        value = super().clean(value)
        self._distinct(value, "items", value["items"])
        return value


class MatchingPairBlock(blocks.StructBlock):
    left = blocks.CharBlock(label=_("item"), max_length=300)
    right = blocks.CharBlock(label=_("matches"), max_length=300)


class MatchingBlock(QuestionBlock):
    pairs = blocks.ListBlock(MatchingPairBlock(), min_num=2, max_num=12, label=_("pairs"))
    partial_credit = blocks.BooleanBlock(
        label=_("partial credit"),
        required=False,
        default=True,
        help_text=_("With partial credit: points × share of pairs matched correctly."),
    )

    class Meta:
        icon = "link"
        label = q.TYPE_LABELS[q.MATCHING]

    def clean(self, value):
        value = super().clean(value)
        rights = [q.normalise_text(pair["right"]) for pair in value["pairs"]]
        if len(set(rights)) < len(rights):
            self._fail(value, pairs=_("Each item needs its own, different match."))
        self._distinct(value, "pairs", [pair["left"] for pair in value["pairs"]])
        return value


class QuestionsBlock(blocks.StreamBlock):
    single_choice = SingleChoiceBlock()
    multiple_choice = MultipleChoiceBlock()
    true_false = TrueFalseBlock()
    short_text = ShortTextBlock()
    number = NumberBlock()
    ordering = OrderingBlock()
    matching = MatchingBlock()

    class Meta:
        min_num = 1
