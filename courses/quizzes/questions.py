"""The question types: how each is frozen into an attempt, read from a form, and graded.

An attempt keeps a snapshot of every question as drawn (plain JSON: texts, options in the order
shown, and the key to grade by), so later edits of the quiz change no past attempt. Option keys
are random per attempt: neither their names nor their order tell anything about the answer.

Partial credit (stated to trainers in the editor's help texts):
- multiple choice: points × max(0, (right choices − wrong choices) ÷ number of right options);
- ordering: points × share of items in their right place;
- matching: points × share of pairs matched right.
With partial credit switched off, these give full points only for an answer that is right
throughout. The other types are right or wrong.
"""

import re
import secrets
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

SINGLE = "single_choice"
MULTIPLE = "multiple_choice"
TRUE_FALSE = "true_false"
SHORT_TEXT = "short_text"
NUMBER = "number"
ORDERING = "ordering"
MATCHING = "matching"

TYPES = (SINGLE, MULTIPLE, TRUE_FALSE, SHORT_TEXT, NUMBER, ORDERING, MATCHING)
TYPE_LABELS = {
    SINGLE: _("Single choice"),
    MULTIPLE: _("Multiple choice"),
    TRUE_FALSE: _("True or false"),
    SHORT_TEXT: _("Short text"),
    NUMBER: _("Number"),
    ORDERING: _("Ordering"),
    MATCHING: _("Matching"),
}

MAX_TEXT_ANSWER = 500
CENT = Decimal("0.01")


class InvalidAnswer(ValueError):
    """A posted value that cannot be an answer to the question; the message is for the learner."""


def _key(taken):
    while True:
        key = secrets.token_hex(4)
        if key not in taken:
            taken.add(key)
            return key


def _shuffled(items, rng):
    """The items in uniformly random order.

    Any order may come up, the right one included: an order that can never appear would tell
    something about the answer (with two items, everything). Positions and matches are chosen
    in fields that start empty, so an order that happens to be right gives nothing away.
    """
    items = list(items)
    rng.shuffle(items)
    return items


# Snapshots


def snapshot(*, block_id, block_type, value, rng, shuffle_options) -> dict:
    """Freeze one StreamField question as it is shown in this attempt."""
    question = {
        "id": str(block_id),
        "type": block_type,
        "prompt": value["prompt"],
        "points": str(Decimal(value["points"]).quantize(CENT)),
        "feedback": value.get("feedback") or "",
    }
    taken = set()
    if block_type in (SINGLE, MULTIPLE):
        options = [
            {
                "key": _key(taken),
                "text": option["text"],
                "correct": bool(option["correct"]),
                "feedback": option.get("feedback") or "",
            }
            for option in value["options"]
        ]
        question["options"] = _shuffled(options, rng) if shuffle_options else options
        if block_type == MULTIPLE:
            question["partial_credit"] = bool(value.get("partial_credit", True))
    elif block_type == TRUE_FALSE:
        question["correct"] = bool(value["correct"])
        question["feedback_true"] = value.get("feedback_true") or ""
        question["feedback_false"] = value.get("feedback_false") or ""
    elif block_type == SHORT_TEXT:
        question["accepted"] = [str(text) for text in value["accepted_answers"]]
    elif block_type == NUMBER:
        question["value"] = str(value["answer"])
        question["tolerance"] = str(value.get("tolerance") or 0)
        question["unit"] = value.get("unit") or ""
    elif block_type == ORDERING:
        items = [{"key": _key(taken), "text": text} for text in value["items"]]
        question["correct_order"] = [item["key"] for item in items]
        # Always shown shuffled, whatever the quiz's setting: authored order is the answer.
        question["items"] = _shuffled(items, rng)
        question["partial_credit"] = bool(value.get("partial_credit", True))
    elif block_type == MATCHING:
        lefts, rights, pairs = [], [], {}
        for pair in value["pairs"]:
            left = {"key": _key(taken), "text": pair["left"]}
            right = {"key": _key(taken), "text": pair["right"]}
            lefts.append(left)
            rights.append(right)
            pairs[left["key"]] = right["key"]
        question["lefts"] = _shuffled(lefts, rng) if shuffle_options else lefts
        # The matches are always shuffled: in authored order each would sit beside its item.
        question["rights"] = _shuffled(rights, rng)
        question["pairs"] = pairs
        question["partial_credit"] = bool(value.get("partial_credit", True))
    else:
        raise ValueError(f"Unknown question type {block_type!r}")
    return question


# What the learner may see before review: no key, no feedback.

_PUBLIC_FIELDS = {
    SINGLE: ("options",),
    MULTIPLE: ("options",),
    TRUE_FALSE: (),
    SHORT_TEXT: (),
    NUMBER: ("unit",),
    ORDERING: ("items",),
    MATCHING: ("lefts", "rights"),
}


def public_view(question: dict) -> dict:
    """The question as a learner may see it while answering: texts and keys only."""
    view = {
        "id": question["id"],
        "type": question["type"],
        "prompt": question["prompt"],
        "points": question["points"],
    }
    for name in _PUBLIC_FIELDS[question["type"]]:
        value = question[name]
        if isinstance(value, list):
            value = [{"key": item["key"], "text": item["text"]} for item in value]
        view[name] = value
    return view


# Reading answers from a form


def normalise_text(text: str) -> str:
    return " ".join(str(text).split()).casefold()


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
        raise InvalidAnswer(_("Please enter a number, for example 12,5."))
    try:
        return Decimal(text)
    except InvalidOperation:
        raise InvalidAnswer(_("Please enter a number, for example 12,5.")) from None


def read_answer(question: dict, data):
    """The answer to one question from posted form data (a QueryDict), or None if unanswered.

    Raises InvalidAnswer for values the question cannot have (an option that is not one of
    its options, a position twice, text that is no number).
    """
    name = f"q-{question['id']}"
    kind = question["type"]
    not_an_option = _("This answer is not one of the options of the question.")
    if kind in (SINGLE, TRUE_FALSE):
        value = data.get(name, "")
        if value == "":
            return None
        allowed = {o["key"] for o in question["options"]} if kind == SINGLE else {"true", "false"}
        if value not in allowed:
            raise InvalidAnswer(not_an_option)
        return value
    if kind == MULTIPLE:
        values = data.getlist(name)
        allowed = {o["key"] for o in question["options"]}
        if not set(values) <= allowed:
            raise InvalidAnswer(not_an_option)
        # Kept in the order shown, without repeats.
        chosen = [o["key"] for o in question["options"] if o["key"] in values]
        return chosen or None
    if kind in (SHORT_TEXT, NUMBER):
        value = data.get(name, "").strip()
        if not value:
            return None
        if len(value) > MAX_TEXT_ANSWER:
            raise InvalidAnswer(_("The answer is too long."))
        if any(ord(char) < 32 and char != "\t" for char in value):
            # Control characters (NUL among them) cannot be stored and are never typed.
            raise InvalidAnswer(_("The answer contains characters that are not allowed."))
        if kind == NUMBER:
            parse_number(value)
        return value
    if kind == ORDERING:
        items = question["items"]
        positions = {}
        for item in items:
            raw = data.get(f"{name}-{item['key']}", "")
            if raw == "":
                continue
            # isdecimal, not isdigit: "²" is a digit that int() cannot read; the length check
            # keeps int() from numbers too long to convert.
            if not (raw.isdecimal() and len(raw) <= 3) or not 1 <= int(raw) <= len(items):
                raise InvalidAnswer(not_an_option)
            positions[item["key"]] = int(raw)
        if not positions:
            return None
        if len(positions) < len(items):
            raise InvalidAnswer(_("Please give every item a position."))
        if len(set(positions.values())) < len(items):
            raise InvalidAnswer(_("Each position can be given only once."))
        return sorted(positions, key=positions.get)
    if kind == MATCHING:
        allowed = {r["key"] for r in question["rights"]}
        matched = {}
        for left in question["lefts"]:
            raw = data.get(f"{name}-{left['key']}", "")
            if raw == "":
                continue
            if raw not in allowed:
                raise InvalidAnswer(not_an_option)
            matched[left["key"]] = raw
        return matched or None
    raise ValueError(f"Unknown question type {kind!r}")


# Grading


@dataclass(frozen=True)
class Grade:
    score: Decimal
    points: Decimal

    @property
    def correct(self) -> bool:
        return self.score == self.points


def _share(points: Decimal, part: int, whole: int) -> Decimal:
    if whole <= 0 or part <= 0:
        return Decimal(0)
    return (points * part / whole).quantize(CENT, rounding=ROUND_HALF_UP)


def grade(question: dict, answer) -> Grade:
    """Points for one answer (None: unanswered), from the snapshot alone."""
    points = Decimal(question["points"])
    kind = question["type"]
    if answer is None:
        return Grade(Decimal(0), points)
    if kind == SINGLE:
        right = next(o["key"] for o in question["options"] if o["correct"])
        return Grade(points if answer == right else Decimal(0), points)
    if kind == MULTIPLE:
        right = {o["key"] for o in question["options"] if o["correct"]}
        chosen = set(answer)
        if not question.get("partial_credit", True):
            return Grade(points if chosen == right else Decimal(0), points)
        net = len(chosen & right) - len(chosen - right)
        return Grade(_share(points, net, len(right)), points)
    if kind == TRUE_FALSE:
        return Grade(points if (answer == "true") == question["correct"] else Decimal(0), points)
    if kind == SHORT_TEXT:
        accepted = {normalise_text(text) for text in question["accepted"]}
        return Grade(points if normalise_text(answer) in accepted else Decimal(0), points)
    if kind == NUMBER:
        try:
            given = parse_number(answer)
        except InvalidAnswer:
            return Grade(Decimal(0), points)
        expected, tolerance = Decimal(question["value"]), Decimal(question["tolerance"])
        return Grade(points if abs(given - expected) <= tolerance else Decimal(0), points)
    if kind == ORDERING:
        order = question["correct_order"]
        in_place = sum(1 for given, right in zip(answer, order, strict=False) if given == right)
        if not question.get("partial_credit", True):
            return Grade(points if in_place == len(order) else Decimal(0), points)
        return Grade(_share(points, in_place, len(order)), points)
    if kind == MATCHING:
        pairs = question["pairs"]
        right = sum(1 for left, chosen in answer.items() if pairs.get(left) == chosen)
        if not question.get("partial_credit", True):
            return Grade(points if right == len(pairs) else Decimal(0), points)
        return Grade(_share(points, right, len(pairs)), points)
    raise ValueError(f"Unknown question type {kind!r}")


def correct_answer(question: dict):
    """The right answer in the shape read_answer gives, for the review."""
    kind = question["type"]
    if kind == SINGLE:
        return next(o["key"] for o in question["options"] if o["correct"])
    if kind == MULTIPLE:
        return [o["key"] for o in question["options"] if o["correct"]]
    if kind == TRUE_FALSE:
        return "true" if question["correct"] else "false"
    if kind == SHORT_TEXT:
        return question["accepted"][0]
    if kind == NUMBER:
        return question["value"]
    if kind == ORDERING:
        return list(question["correct_order"])
    if kind == MATCHING:
        return dict(question["pairs"])
    raise ValueError(f"Unknown question type {kind!r}")


# Answers in words, for the review and for what leaves the server about an attempt


def _texts(items):
    return {item["key"]: item["text"] for item in items}


def answer_in_words(question: dict, answer) -> list[str]:
    """An answer (the learner's or the right one) as lines of text.

    Reads only what the learner sees of a question (option, item and match texts), so it
    works on a snapshot and on its `public_view` alike.
    """
    if answer is None or answer == "" or answer == [] or answer == {}:
        return []
    kind = question["type"]
    if kind in (SINGLE, MULTIPLE):
        texts = _texts(question["options"])
        keys = answer if isinstance(answer, list) else [answer]
        return [texts.get(key, "") for key in keys]
    if kind == TRUE_FALSE:
        return [gettext("True") if answer == "true" else gettext("False")]
    if kind == NUMBER:
        unit = question.get("unit") or ""
        return [f"{answer} {unit}".strip()]
    if kind == SHORT_TEXT:
        return [str(answer)]
    if kind == ORDERING:
        texts = _texts(question["items"])
        return [f"{index}. {texts.get(key, '')}" for index, key in enumerate(answer, start=1)]
    if kind == MATCHING:
        lefts, rights = _texts(question["lefts"]), _texts(question["rights"])
        return [
            f"{lefts[left['key']]} → {rights.get(answer.get(left['key']), '–')}"
            for left in question["lefts"]
        ]
    return [str(answer)]


def answer_feedback(question: dict, answer) -> list[str]:
    """Feedback written for the answers chosen (choice and true/false questions); needs the
    full snapshot, so only for a review the quiz's policy allows."""
    kind = question["type"]
    if answer is None:
        return []
    if kind in (SINGLE, MULTIPLE):
        keys = answer if isinstance(answer, list) else [answer]
        return [o["feedback"] for o in question["options"] if o["key"] in keys and o["feedback"]]
    if kind == TRUE_FALSE:
        text = question.get("feedback_true" if answer == "true" else "feedback_false")
        return [text] if text else []
    return []
