"""Answering a quiz attempt in the browser, with the key read from the stack's database.

An attempt freezes its questions as drawn, with option keys random per attempt (see
courses/quizzes/questions.py); only the server knows them, so the journeys read the snapshot of
the open attempt through the ORM. The form names are those of
templates/courses/quiz/question_form.html: radios and checkboxes `q-<id>` with the option key as
value, text inputs `q-<id>`, one select per item `q-<id>-<key>` for ordering (positions 1..n)
and matching (the right-hand key).
"""

import re
from decimal import Decimal

ATTEMPT_URL = re.compile(r"/lernen/versuch/(\d+)/seite/(\d+)/$")


def attempt_id_of(url) -> int:
    match = ATTEMPT_URL.search(url)
    assert match, f"not a page of a quiz attempt: {url}"
    return int(match.group(1))


def attempt_pages(attempt_id) -> list[list[dict]]:
    """The questions of the attempt, page by page, with the key (call through django_read)."""
    from courses.models import QuizAttempt

    attempt = QuizAttempt.objects.get(pk=attempt_id)
    assert attempt.is_open, f"attempt {attempt_id} is not open"
    return [attempt.page_questions(page) for page in range(1, attempt.page_count + 1)]


def right_answer(question):
    """The right answer as form values: {field name: value or list of values}."""
    qid, kind = question["id"], question["type"]
    name = f"q-{qid}"
    if kind in ("single_choice", "multiple_choice"):
        return {name: [o["key"] for o in question["options"] if o["correct"]]}
    if kind == "true_false":
        return {name: ["true" if question["correct"] else "false"]}
    if kind == "short_text":
        return {name: question["accepted"][0]}
    if kind == "number":
        return {name: question["value"]}
    if kind == "ordering":
        order = question["correct_order"]
        return {f"{name}-{key}": str(position) for position, key in enumerate(order, start=1)}
    if kind == "matching":
        return {f"{name}-{left}": right for left, right in question["pairs"].items()}
    raise ValueError(f"unknown question type {kind!r}")


def wrong_answer(question):
    """An answer that earns no points, as form values."""
    qid, kind = question["id"], question["type"]
    name = f"q-{qid}"
    if kind == "single_choice":
        return {name: [next(o["key"] for o in question["options"] if not o["correct"])]}
    if kind == "multiple_choice":
        return {name: [o["key"] for o in question["options"] if not o["correct"]]}
    if kind == "true_false":
        return {name: ["false" if question["correct"] else "true"]}
    if kind == "short_text":
        return {name: "weiß ich nicht"}
    if kind == "number":
        return {name: str(Decimal(question["value"]) + Decimal(question["tolerance"]) + 1)}
    if kind == "ordering":
        order = question["correct_order"]
        shifted = order[1:] + order[:1]  # every item one place off
        return {f"{name}-{key}": str(position) for position, key in enumerate(shifted, start=1)}
    if kind == "matching":
        lefts = list(question["pairs"])
        rights = [question["pairs"][left] for left in lefts]
        shifted = zip(lefts, rights[1:] + rights[:1], strict=True)  # every pair wrong
        return {f"{name}-{left}": right for left, right in shifted}
    raise ValueError(f"unknown question type {kind!r}")


def fill(page, values):
    """Enters form values the way Playwright's actions do (pointer and typing)."""
    for name, value in values.items():
        field = page.locator(f'[name="{name}"]').first
        kind = field.evaluate("el => el.type")
        if kind in ("radio", "checkbox"):
            for key in value:
                page.locator(f'input[name="{name}"][value="{key}"]').check()
        elif kind.startswith("select"):
            field.select_option(value)
        else:
            field.fill(value)
