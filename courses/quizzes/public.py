"""What of a quiz attempt may leave the server: the one public view of an attempt.

An attempt row holds the key to grade by (the snapshot of its questions), the feedback and the
per-question results. Outside the quiz's own pages, whatever serialises attempts for someone
(the person's data export, a centre admin's export for a person, any JSON or e-mail) goes
through `attempt_public_view`: the questions as the learner saw them and the answers they gave,
and the key, the feedback and the points per question only where the quiz's review policy
(`QuizStanding.review_allowed`, the rule of the result page) lets the learner see them.
Never dump the snapshot fields (`questions`, `results`) themselves.
"""

from itertools import groupby

from django.db.models import QuerySet

from courses.models import QuizAttempt

from . import questions as q
from .selectors import quiz_standing


def _question_view(number: int, question: dict, attempt: QuizAttempt, show_key: bool) -> dict:
    answer = attempt.answers.get(question["id"])
    view = {
        "number": number,
        **q.public_view(question),
        "type_label": str(q.type_label(question["type"])),
        "your_answer": answer,
        "your_answer_in_words": q.answer_in_words(question, answer),
    }
    if not show_key:
        return view
    result = attempt.results.get(question["id"], {})
    right = q.correct_answer(question)
    view.update(
        score=result.get("score", "0"),
        correct=bool(result.get("correct")),
        correct_answer=right,
        correct_answer_in_words=q.answer_in_words(question, right),
        feedback=[
            text
            for text in (*q.answer_feedback(question, answer), question.get("feedback"))
            if text
        ],
        **q.key_details(question),
    )
    return view


def attempt_public_view(*, attempt: QuizAttempt, show_key: bool) -> dict:
    """The attempt as its learner saw it, JSON-ready. `show_key` must come from
    `QuizStanding.review_allowed(attempt)`; it is never true for an open attempt."""
    show_key = show_key and not attempt.is_open
    closed = not attempt.is_open
    return {
        "quiz": {"id": attempt.quiz_id, "title": attempt.quiz.title},
        "number": attempt.number,
        "status": attempt.status,
        "status_label": str(attempt.get_status_display()),
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "submitted_at": attempt.submitted_at,
        "pass_mark": attempt.pass_mark,
        "score": attempt.score if closed else None,
        "max_score": attempt.max_score if closed else None,
        "percent": attempt.percent if closed else None,
        "passed": attempt.passed if closed else None,
        "review_shown": show_key,
        "questions": [
            _question_view(number, question, attempt, show_key)
            for number, question in enumerate(attempt.questions, start=1)
        ],
    }


def attempts_public_view(*, rows: QuerySet[QuizAttempt], person) -> list[dict]:
    """`person`'s attempts among `rows`, each as `attempt_public_view` with the review the
    result page would give them now; one standing per quiz."""
    rows = rows.filter(user=person).select_related("quiz").order_by("quiz_id", "number")
    views = []
    for _quiz_id, quiz_attempts in groupby(rows, key=lambda attempt: attempt.quiz_id):
        quiz_attempts = list(quiz_attempts)
        standing = quiz_standing(quiz=quiz_attempts[0].quiz, user=person)
        views.extend(
            attempt_public_view(attempt=attempt, show_key=standing.review_allowed(attempt))
            for attempt in quiz_attempts
        )
    return views
