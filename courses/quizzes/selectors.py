"""Reads about quizzes: a learner's standing in a quiz, what the review may show."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import DateTimeField, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from courses.models import Enrolment, QuizAttempt, QuizPage

from . import questions as q
from .types import question_type

# Earlier than any attempt: "since the beginning" for enrolments in their first round.
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def grace() -> timedelta:
    return timedelta(seconds=settings.QUIZ_GRACE_SECONDS)


def is_timed_out(attempt: QuizAttempt, now: datetime | None = None) -> bool:
    """True once an open attempt's time limit and the grace period are both over."""
    now = now or timezone.now()
    return attempt.deadline is not None and now > attempt.deadline + grace()


def counted_attempt(attempts, counting) -> QuizAttempt | None:
    """The closed attempt that decides the result: the best (first of equals) or the last."""
    closed = [a for a in attempts if not a.is_open and a.percent is not None]
    if not closed:
        return None
    if counting == QuizPage.Counting.LAST:
        return max(closed, key=lambda a: a.number)
    # Exact shares, not the rounded percentages shown: 69.95 % must not tie with 70 %.
    return max(closed, key=lambda a: (_share(a), a.passed, -a.number))


def _share(attempt):
    return attempt.score / attempt.max_score if attempt.max_score else 0


def quiz_ids_passed(*, user, quizzes, since=None) -> set[int]:
    """Which of these quizzes the person has passed, by each quiz's counting rule, counting
    attempts started `since` (the enrolment's current round). One query."""
    by_id = {quiz.pk: quiz for quiz in quizzes}
    if not by_id or not user.is_authenticated:
        return set()
    attempts = {}
    rows = (
        QuizAttempt.objects.filter(user=user, quiz_id__in=by_id, started_at__gte=since or EPOCH)
        .exclude(status=QuizAttempt.Status.OPEN)
        # score and max_score too: counted_attempt compares exact shares, and a deferred field
        # would cost a query per attempt (two inside every submit's transaction).
        .only("pk", "quiz_id", "number", "status", "percent", "passed", "score", "max_score")
    )
    for attempt in rows:
        attempts.setdefault(attempt.quiz_id, []).append(attempt)
    passed = set()
    for quiz_id, quiz_attempts in attempts.items():
        counted = counted_attempt(quiz_attempts, by_id[quiz_id].counting)
        if counted is not None and counted.passed:
            passed.add(quiz_id)
    return passed


@dataclass
class QuizStanding:
    """Where a learner stands in a quiz: attempts, result, and whether another may start."""

    quiz: QuizPage
    attempts: list[QuizAttempt] = field(default_factory=list)
    now: datetime | None = None

    @property
    def open_attempt(self):
        return next((a for a in self.attempts if a.is_open), None)

    @property
    def closed_attempts(self):
        return [a for a in self.attempts if not a.is_open]

    @property
    def counted(self):
        return counted_attempt(self.attempts, self.quiz.counting)

    @property
    def passed(self) -> bool:
        counted = self.counted
        return bool(counted and counted.passed)

    @property
    def attempts_left(self) -> int | None:
        if self.quiz.max_attempts is None:
            return None
        return max(0, self.quiz.max_attempts - len(self.attempts))

    @property
    def next_start_at(self):
        """When the waiting time after the last attempt ends, if it has not yet."""
        if not self.quiz.wait_minutes or not self.closed_attempts:
            return None
        last = max(a.submitted_at for a in self.closed_attempts)
        ready = last + timedelta(minutes=self.quiz.wait_minutes)
        return ready if ready > (self.now or timezone.now()) else None

    @property
    def can_start(self) -> bool:
        return self.open_attempt is None and self.attempts_left != 0 and self.next_start_at is None

    def review_allowed(self, attempt: QuizAttempt) -> bool:
        """Whether correct answers and feedback of this closed attempt may be shown."""
        if attempt.is_open:
            return False
        policy = self.quiz.review
        if policy == QuizPage.Review.AFTER_EACH:
            return True
        if policy == QuizPage.Review.AFTER_PASS:
            return self.passed
        if policy == QuizPage.Review.AFTER_LAST:
            return self.attempts_left == 0 and self.open_attempt is None
        return False


def quiz_standing(*, quiz: QuizPage, user, now=None) -> QuizStanding:
    attempts = []
    if user.is_authenticated:
        # Only the enrolment's current round counts (re-certification starts a new one).
        round_start = Enrolment.objects.filter(
            user=user, course__path=quiz.path[: -quiz.steplen]
        ).values("round_started_at")[:1]
        since = Coalesce(Subquery(round_start), Value(EPOCH), output_field=DateTimeField())
        attempts = list(
            QuizAttempt.objects.filter(user=user, quiz=quiz, started_at__gte=since)
            .defer("questions", "answers", "results")
            .order_by("number")
        )
    return QuizStanding(quiz=quiz, attempts=attempts, now=now)


@dataclass(frozen=True)
class QuestionOnPage:
    """One question as rendered for answering: never the key, never feedback."""

    number: int
    question: dict
    answer: object
    error: str | None = None

    @property
    def type_label(self):
        return q.type_label(self.question["type"])

    @property
    def form_template(self):
        return question_type(self.question["type"]).form_template


def questions_for_page(*, attempt: QuizAttempt, page: int, answers=None, errors=None):
    """The page's questions as the learner may see them, numbered across the attempt."""
    answers = attempt.answers if answers is None else answers
    errors = errors or {}
    first = (page - 1) * attempt.questions_per_page
    return [
        QuestionOnPage(
            number=first + index + 1,
            question=q.public_view(question),
            answer=answers.get(question["id"]),
            error=errors.get(question["id"]),
        )
        for index, question in enumerate(attempt.page_questions(page))
    ]


@dataclass(frozen=True)
class ReviewedQuestion:
    number: int
    question: dict
    answer: object
    correct_answer: object
    score: str
    points: str
    correct: bool
    show_key: bool

    @property
    def type_label(self):
        return q.type_label(self.question["type"])

    @property
    def key_template(self):
        return question_type(self.question["type"]).key_template

    @property
    def notes(self) -> list[str]:
        """Lines beside the correct answer; only with the key."""
        return q.answer_notes(self.question) if self.show_key else []


def attempt_review(*, attempt: QuizAttempt, show_key: bool) -> list[ReviewedQuestion]:
    """Each question with the learner's answer and points; the key and feedback only if allowed."""
    reviewed = []
    for index, question in enumerate(attempt.questions):
        result = attempt.results.get(question["id"], {})
        reviewed.append(
            ReviewedQuestion(
                number=index + 1,
                question=question if show_key else q.public_view(question),
                answer=attempt.answers.get(question["id"]),
                correct_answer=q.correct_answer(question) if show_key else None,
                score=result.get("score", "0"),
                points=question["points"],
                correct=bool(result.get("correct")),
                show_key=show_key,
            )
        )
    return reviewed
