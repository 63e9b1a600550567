"""The one obvious next step of each course on "Mein Lernen".

Not started: begin with the first lesson. In progress: continue where one stopped (the lesson
opened last if not done, else the first one not done). Every lesson done: the quiz. Completed:
the certificate, or a note while it is being issued. Read for all courses of a learner at once.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Length, Substr
from django.urls import reverse
from wagtail.models import Page

from .models import LessonPage, LessonProgress, QuizAttempt, QuizPage


class Step:
    START = "start"
    RESUME = "resume"
    QUIZ = "quiz"
    CERTIFICATE = "certificate"
    CERTIFICATE_PENDING = "certificate_pending"
    COURSE = "course"


@dataclass(frozen=True)
class NextStep:
    kind: str
    url: str | None = None
    title: str | None = None  # the lesson to continue with, or the quiz


@dataclass(frozen=True)
class CourseStep:
    """A live lesson or quiz of a course, with when the learner last did it."""

    pk: int
    title: str
    url_path: str
    is_quiz: bool
    completed_at: datetime | None  # lessons: completed (in whichever round)
    passed_at: datetime | None  # quizzes: start of the latest passed attempt


def course_steps_of(*, user, course_paths: Iterable[str]) -> dict[str, list[CourseStep]]:
    """The live lessons and quizzes of these courses in their order, with the learner's
    progress, by course path. One query, however many courses."""
    course_paths = list(course_paths)
    if not course_paths:
        return {}
    kinds = ContentType.objects.get_for_models(LessonPage, QuizPage)
    completed = LessonProgress.objects.filter(lesson_id=OuterRef("pk"), enrolment__user=user)
    passed = QuizAttempt.objects.filter(quiz_id=OuterRef("pk"), user=user, passed=True)
    # Children of each course as a range of the tree path, which the path index serves
    # (a filter on a computed parent path would read every page of the site).
    children = Q()
    for path in course_paths:
        children |= Q(path__gt=path, path__lte=path + "Z" * Page.steplen)
    rows = (
        Page.objects.filter(
            children, live=True, content_type__in=[kinds[LessonPage], kinds[QuizPage]]
        )
        .annotate(parent_path=Substr("path", 1, Length("path") - Page.steplen))
        .filter(parent_path__in=course_paths)
        .annotate(
            completed_at=Subquery(completed.values("completed_at")[:1]),
            passed_at=Subquery(passed.order_by("-started_at").values("started_at")[:1]),
        )
        .order_by("path")
        .values_list(
            "parent_path", "pk", "title", "url_path", "content_type", "completed_at", "passed_at"
        )
    )
    steps: dict[str, list[CourseStep]] = {path: [] for path in course_paths}
    for parent_path, pk, title, url_path, kind, completed_at, passed_at in rows:
        steps[parent_path].append(
            CourseStep(
                pk=pk,
                title=title,
                url_path=url_path,
                is_quiz=kind == kinds[QuizPage].pk,
                completed_at=completed_at,
                passed_at=passed_at,
            )
        )
    return steps


def next_step(
    *,
    steps: list[CourseStep],
    round_started_at: datetime | None,
    last_lesson_id: int | None,
    completed: bool,
    certificate=None,
    has_certificate_template: bool = False,
    course_url: str | None,
    url_of: Callable[[str], str | None],
) -> NextStep:
    """The next step in one course. `certificate` is the learner's newest certificate of the
    course (with `pk`, `is_issued`, `is_revoked`) or None."""
    if completed:
        if certificate is not None and certificate.is_issued and not certificate.is_revoked:
            url = reverse("certificates:download", args=[certificate.pk])
            return NextStep(Step.CERTIFICATE, url)
        if has_certificate_template and (certificate is None or not certificate.is_issued):
            return NextStep(Step.CERTIFICATE_PENDING)
        return NextStep(Step.COURSE, course_url)

    def in_round(moment):
        return moment is not None and (round_started_at is None or moment >= round_started_at)

    lessons = [step for step in steps if not step.is_quiz]
    open_lessons = [step for step in lessons if not in_round(step.completed_at)]
    if lessons and len(open_lessons) == len(lessons) and last_lesson_id is None:
        first = lessons[0]
        return NextStep(Step.START, url_of(first.url_path), first.title)
    if open_lessons:
        last = next((step for step in open_lessons if step.pk == last_lesson_id), None)
        resume = last or open_lessons[0]
        return NextStep(Step.RESUME, url_of(resume.url_path), resume.title)
    quiz = next((s for s in steps if s.is_quiz and not in_round(s.passed_at)), None)
    if quiz is not None:
        return NextStep(Step.QUIZ, url_of(quiz.url_path), quiz.title)
    return NextStep(Step.START if not steps else Step.COURSE, course_url)
