"""Matching: the learner matches each item with its counterpart.

Partial credit: points × share of pairs matched right.
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
    normalise_text,
    partial_credit_block,
    partial_credit_of,
    partial_grade,
    shuffled,
    texts,
)
from .registry import register


class MatchingPairBlock(blocks.StructBlock):
    left = blocks.CharBlock(label=_("item"), max_length=300)
    right = blocks.CharBlock(label=_("matches"), max_length=300)


class MatchingBlock(QuestionBlock):
    pairs = blocks.ListBlock(MatchingPairBlock(), min_num=2, max_num=12, label=_("pairs"))
    partial_credit = partial_credit_block(
        _("With partial credit: points × share of pairs matched correctly.")
    )

    class Meta:
        icon = "link"
        label = _("Matching")

    def clean(self, value):
        value = super().clean(value)
        rights = [normalise_text(pair["right"]) for pair in value["pairs"]]
        if len(set(rights)) < len(rights):
            self._fail(value, pairs=_("Each item needs its own, different match."))
        self._distinct(value, "pairs", [pair["left"] for pair in value["pairs"]])
        return value


@register
class Matching(QuestionType):
    name = "matching"
    label = _("Matching")
    block_class = MatchingBlock
    public_fields = ("lefts", "rights")

    def snapshot(self, value, *, rng, shuffle):
        keys = Keys()
        lefts, rights, pairs = [], [], {}
        for pair in value["pairs"]:
            left = {"key": keys.new(), "text": pair["left"]}
            right = {"key": keys.new(), "text": pair["right"]}
            lefts.append(left)
            rights.append(right)
            pairs[left["key"]] = right["key"]
        return {
            "lefts": shuffled(lefts, rng) if shuffle else lefts,
            # The matches are always shuffled: in authored order each would sit beside its item.
            "rights": shuffled(rights, rng),
            "pairs": pairs,
            **partial_credit_of(value),
        }

    def read_answer(self, question, data):
        name = field_name(question)
        allowed = {r["key"] for r in question["rights"]}
        matched = {}
        for left in question["lefts"]:
            raw = data.get(f"{name}-{left['key']}", "")
            if raw == "":
                continue
            if raw not in allowed:
                raise InvalidAnswer(NOT_AN_OPTION)
            matched[left["key"]] = raw
        return matched or None

    def grade(self, question, answer):
        pairs = question["pairs"]
        right = sum(1 for left, chosen in answer.items() if pairs.get(left) == chosen)
        return partial_grade(question, right, len(pairs))

    def correct_answer(self, question):
        return dict(question["pairs"])

    def wrong_answer(self, question):
        lefts = list(question["pairs"])
        rights = [question["pairs"][left] for left in lefts]
        return dict(zip(lefts, rights[1:] + rights[:1], strict=True))

    def answer_in_words(self, question, answer):
        lefts, rights = texts(question["lefts"]), texts(question["rights"])
        return [
            f"{lefts[left['key']]} → {rights.get(answer.get(left['key']), '–')}"
            for left in question["lefts"]
        ]

    def analysis_labels(self, question, answer):
        # Only the pairs given: an item left open is no answer to count.
        lefts, rights = texts(question["lefts"]), texts(question["rights"])
        return [
            f"{lefts[left]} → {rights[right]}"
            for left, right in answer.items()
            if left in lefts and right in rights
        ]

    def form_data(self, question, answer):
        name = field_name(question)
        return {f"{name}-{left}": right for left, right in answer.items()}
