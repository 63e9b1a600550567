"""Look-ups for quiz templates: which option is chosen, and answers put into words."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext

from courses.quizzes import questions as q

register = template.Library()


@register.filter
def chosen(answer, key):
    """Whether an option key is the answer (single choice) or among the answers (multiple)."""
    if answer is None:
        return False
    if isinstance(answer, list):
        return key in answer
    return answer == key


@register.filter
def position_of(answer, key):
    """The position (1-based) a learner gave an ordering item, or ""."""
    if isinstance(answer, list) and key in answer:
        return answer.index(key) + 1
    return ""


@register.filter
def matched(answer, left_key):
    return answer.get(left_key, "") if isinstance(answer, dict) else ""


@register.filter
def points(value):
    """Points as people write them: "2", "1,5" (no trailing zeros)."""
    number = Decimal(str(value)).normalize()
    places = max(0, -number.as_tuple().exponent)
    return number_format(number, decimal_pos=places)


@register.filter
def plural_count(value):
    """A count for choosing singular or plural: 1 point, 1,5 points, 2 points."""
    return 1 if Decimal(str(value)) == 1 else 2


@register.filter
def minutes_left(seconds):
    """Whole minutes left, rounded up: "1 minute" until the very last second."""
    return -(-int(seconds) // 60)


def _texts(items):
    return {item["key"]: item["text"] for item in items}


@register.simple_tag
def answer_in_words(question, answer):
    """An answer (the learner's or the right one) as a list of lines for the review."""
    if answer is None or answer == "" or answer == [] or answer == {}:
        return []
    kind = question["type"]
    if kind in (q.SINGLE, q.MULTIPLE):
        texts = _texts(question["options"])
        keys = answer if isinstance(answer, list) else [answer]
        return [texts.get(key, "") for key in keys]
    if kind == q.TRUE_FALSE:
        return [gettext("True") if answer == "true" else gettext("False")]
    if kind == q.NUMBER:
        unit = question.get("unit") or ""
        return [f"{answer} {unit}".strip()]
    if kind == q.SHORT_TEXT:
        return [str(answer)]
    if kind == q.ORDERING:
        texts = _texts(question["items"])
        return [f"{index}. {texts.get(key, '')}" for index, key in enumerate(answer, start=1)]
    if kind == q.MATCHING:
        lefts, rights = _texts(question["lefts"]), _texts(question["rights"])
        return [
            f"{lefts[left['key']]} → {rights.get(answer.get(left['key']), '–')}"
            for left in question["lefts"]
        ]
    return [str(answer)]


@register.simple_tag
def answer_feedback(question, answer):
    """Feedback written for the answers the learner chose (choice and true/false questions)."""
    kind = question["type"]
    if answer is None:
        return []
    if kind in (q.SINGLE, q.MULTIPLE):
        keys = answer if isinstance(answer, list) else [answer]
        return [o["feedback"] for o in question["options"] if o["key"] in keys and o["feedback"]]
    if kind == q.TRUE_FALSE:
        text = question.get("feedback_true" if answer == "true" else "feedback_false")
        return [text] if text else []
    return []


@register.simple_tag
def preview_items(questions, with_key):
    """Questions for a trainer's preview: as answered (empty) or with their key."""
    from courses.quizzes.selectors import QuestionOnPage, ReviewedQuestion

    items = []
    for number, question in enumerate(questions or [], start=1):
        if with_key:
            right = q.correct_answer(question)
            items.append(
                ReviewedQuestion(
                    number=number,
                    question=question,
                    answer=right,
                    correct_answer=right,
                    score=question["points"],
                    points=question["points"],
                    correct=True,
                    show_key=True,
                )
            )
        else:
            items.append(
                QuestionOnPage(number=number, question=q.public_view(question), answer=None)
            )
    return items
