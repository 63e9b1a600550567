"""Look-ups for quiz templates: which option is chosen, and answers put into words."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

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


@register.simple_tag
def answer_in_words(question, answer):
    """An answer (the learner's or the right one) as a list of lines for the review."""
    return q.answer_in_words(question, answer)


@register.simple_tag
def answer_feedback(question, answer):
    """Feedback written for the answers the learner chose (choice and true/false questions)."""
    return q.answer_feedback(question, answer)


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
