"""Item analysis: how a quiz and each of its questions did across the closed attempts.

Only closed attempts count (submitted or closed when time ran out, i.e. status is not "open",
and graded). A question is identified by its id in the attempt snapshots, so it keeps its
figures when its text is edited, and pools work where not every attempt sees every question:
each question's figures are taken over the attempts that were presented it.

Per question, over the n attempts that were presented it:

- presented: n;
- fully correct: share of the n with ``results[id]["correct"]`` (full points);
- mean share of points: mean of score ÷ points;
- discrimination index D = p_upper − p_lower (Kelley's 27 % groups). The n attempts are ranked
  by their total percentage; the upper group is the k best, the lower group the k worst, with
  k = round(0.27 × n), halves rounded up; p is the share of a group that got the question fully
  correct. D runs from −1 to 1: near 1 the question separates strong from weak attempts, near 0
  it does not, below 0 weak attempts get it right more often than strong ones (often a wrong
  key or a misleading question). Equal totals at a group boundary are ranked by attempt id.
  D is None when fewer than MIN_PRESENTED_FOR_DISCRIMINATION attempts saw the question: with
  groups of one or two attempts it says nothing.

Per question, the answers given: what its type counts for each answer (`analysis_labels`:
each option chosen, each item at its position, each pair matched, the text or number typed),
as a share of the n presentations, the most frequent first. Counted by text, since option keys
differ from attempt to attempt.

Memory: the attempts stream from the database ordered by their total, as plain values
(``values_list(...).iterator()``), never as model objects. Kept are counters per question (at
most MAX_DISTINCT_ANSWERS different answers each; typed answers could otherwise grow without
bound) and, to form the groups once n is known, one byte per presentation (right or not, in
rank order).
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Avg, Count, Q, QuerySet

from courses.models import QuizAttempt, QuizPage

from . import questions as q
from .types import UnknownQuestionType

MIN_PRESENTED_FOR_DISCRIMINATION = 10
GROUP_PERCENT = 27
MAX_DISTINCT_ANSWERS = 200
ANSWERS_SHOWN = 5

CLOSED_STATUSES = tuple(
    status for status in QuizAttempt.Status.values if status != QuizAttempt.Status.OPEN
)


@dataclass(frozen=True)
class AnswerShare:
    text: str
    count: int
    percent: float  # of the presentations


@dataclass(frozen=True)
class QuestionFigures:
    id: str
    title: str
    type: str
    in_quiz: bool
    presented: int
    correct_percent: float
    mean_points_percent: float | None
    discrimination: float | None
    answers: list[AnswerShare] = field(default_factory=list)  # most frequent first

    @property
    def type_label(self):
        return q.type_label(self.type)


@dataclass(frozen=True)
class QuizAnalysis:
    quiz: QuizPage
    attempts: int
    people: int
    mean_percent: float | None
    pass_rate: float | None  # percent of attempts that passed
    questions: list[QuestionFigures] = field(default_factory=list)


@dataclass
class _Tally:
    type: str
    title: str
    title_from: tuple
    presented: int = 0
    correct: int = 0
    points_share_sum: float = 0.0
    points_share_count: int = 0
    # 1 if fully correct, per presentation, in ascending order of the attempt's total.
    ranked_correct: bytearray = field(default_factory=bytearray)
    answers: Counter = field(default_factory=Counter)

    def count_answer(self, question, answer):
        try:
            labels = q.analysis_labels(question, answer)
        except (UnknownQuestionType, KeyError, TypeError, AttributeError):
            # A snapshot of a type no longer registered, or an answer of an older shape.
            return
        for label in set(labels):
            if label in self.answers or len(self.answers) < MAX_DISTINCT_ANSWERS:
                self.answers[label] += 1

    def most_frequent(self) -> list[AnswerShare]:
        ranked = sorted(self.answers.items(), key=lambda item: (-item[1], item[0].casefold()))
        return [
            AnswerShare(text=text, count=count, percent=100 * count / self.presented)
            for text, count in ranked[:ANSWERS_SHOWN]
        ]


def closed_attempts(*, quiz) -> QuerySet:
    return QuizAttempt.objects.filter(quiz=quiz, status__in=CLOSED_STATUSES, percent__isnull=False)


def group_size(presented: int) -> int:
    """k = round(0.27 × n), halves up, at least 1."""
    return max(1, (presented * GROUP_PERCENT + 50) // 100)


def discrimination_index(ranked_correct) -> float | None:
    """D from the right/wrong flags of the presentations, ranked by total (worst first)."""
    presented = len(ranked_correct)
    if presented < MIN_PRESENTED_FOR_DISCRIMINATION:
        return None
    k = group_size(presented)
    return (sum(ranked_correct[-k:]) - sum(ranked_correct[:k])) / k


def _decimal(value) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def item_analysis(*, quiz: QuizPage) -> QuizAnalysis:
    """The quiz's figures and each question's, from its closed attempts (see module docstring)."""
    attempts = closed_attempts(quiz=quiz)
    count, percent_sum, passed = 0, Decimal(0), 0
    tallies: dict[str, _Tally] = {}
    rows = attempts.order_by("percent", "pk").values_list(
        "pk", "started_at", "percent", "passed", "results", "questions", "answers"
    )
    for pk, started_at, percent, attempt_passed, results, questions, answers in rows.iterator(
        chunk_size=500
    ):
        count += 1
        percent_sum += percent
        passed += bool(attempt_passed)
        results, answers = results or {}, answers or {}
        seen = set()
        for question in questions or []:
            question_id = str(question.get("id", ""))
            if not question_id or question_id in seen:
                continue
            seen.add(question_id)
            tally = tallies.get(question_id)
            recency = (started_at, pk)
            if tally is None:
                tally = tallies[question_id] = _Tally(
                    type=question.get("type", ""),
                    title=question.get("prompt", ""),
                    title_from=recency,
                )
            elif recency > tally.title_from:
                tally.type = question.get("type", tally.type)
                tally.title = question.get("prompt", tally.title)
                tally.title_from = recency
            result = results.get(question_id) or {}
            correct = bool(result.get("correct"))
            tally.presented += 1
            tally.correct += correct
            tally.ranked_correct.append(correct)
            tally.count_answer(question, answers.get(question_id))
            points = _decimal(question.get("points", 0))
            if points > 0:
                tally.points_share_sum += float(_decimal(result.get("score", 0)) / points)
                tally.points_share_count += 1

    people = attempts.values("user_id").distinct().count() if count else 0
    order = {child.id: index for index, child in enumerate(quiz.questions)}
    figures = [
        QuestionFigures(
            id=question_id,
            title=tally.title,
            type=tally.type,
            in_quiz=question_id in order,
            presented=tally.presented,
            correct_percent=100 * tally.correct / tally.presented,
            mean_points_percent=(
                100 * tally.points_share_sum / tally.points_share_count
                if tally.points_share_count
                else None
            ),
            discrimination=discrimination_index(tally.ranked_correct),
            answers=tally.most_frequent(),
        )
        for question_id, tally in tallies.items()
    ]
    # Questions as they stand in the quiz; below them those since removed from it.
    figures.sort(
        key=lambda f: (0, order[f.id], "", "") if f.in_quiz else (1, 0, f.title.casefold(), f.id)
    )
    return QuizAnalysis(
        quiz=quiz,
        attempts=count,
        people=people,
        mean_percent=float(percent_sum / count) if count else None,
        pass_rate=100 * passed / count if count else None,
        questions=figures,
    )


def quizzes_with_figures(*, quizzes: QuerySet) -> QuerySet:
    """The quizzes annotated with their closed attempts: count, mean percent, passed count."""
    closed = Q(attempts__status__in=CLOSED_STATUSES, attempts__percent__isnull=False)
    return quizzes.annotate(
        attempt_count=Count("attempts", filter=closed),
        mean_percent=Avg("attempts__percent", filter=closed),
        passed_count=Count("attempts", filter=closed & Q(attempts__passed=True)),
    )
