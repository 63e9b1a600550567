"""The one obvious next step of each course on "Mein Lernen".

Not started: begin with the first lesson. In progress: continue where one stopped (the lesson
opened last if not done, else the first one not done). Every lesson done: the quiz. Completed:
the certificate, or a note while it is being issued. Read for all courses of a learner at once.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Q
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


OUTLINE_CACHE_KEY = "courses:outline:{pk}"
OUTLINE_CACHE_SECONDS = 3600


def course_outlines(courses: dict[int, str]) -> dict[int, list[tuple[int, str, str, bool]]]:
    """(pk, title, url_path, is_quiz) of the live lessons and quizzes of each course (id: path),
    in their order. Kept in the shared cache like the lessons themselves and dropped with them
    (courses.selectors.course_lessons_forget); the missing ones are read in one query."""
    keys = {OUTLINE_CACHE_KEY.format(pk=pk): pk for pk in courses}
    outlines = {keys[key]: outline for key, outline in cache.get_many(keys).items()}
    missing = {path: pk for pk, path in courses.items() if pk not in outlines}
    if missing:
        kinds = ContentType.objects.get_for_models(LessonPage, QuizPage)
        # The children of each course as a range of the tree path, which the path index serves.
        children = Q()
        for path in missing:
            children |= Q(path__gt=path, path__lte=path + "Z" * Page.steplen)
        rows = (
            Page.objects.filter(
                children,
                live=True,
                content_type__in=[kinds[LessonPage], kinds[QuizPage]],
            )
            .order_by("path")
            .values_list("path", "pk", "title", "url_path", "content_type")
        )
        read = {pk: [] for pk in missing.values()}
        for path, pk, title, url_path, kind in rows:
            course_pk = missing.get(path[: -Page.steplen])
            if course_pk is not None:
                read[course_pk].append((pk, title, url_path, kind == kinds[QuizPage].pk))
        cache.set_many(
            {OUTLINE_CACHE_KEY.format(pk=pk): outline for pk, outline in read.items()},
            OUTLINE_CACHE_SECONDS,
        )
        outlines.update(read)
    return outlines


def course_steps_of(
    *, user, courses: dict[int, str], enrolment_ids: list[int]
) -> dict[int, list[CourseStep]]:
    """The live lessons and quizzes of these courses (id: tree path) in their order, with the
    learner's progress in them (`enrolment_ids`: the learner's enrolments in these courses), by
    course id: the outlines from the cache, the progress in one query."""
    if not courses:
        return {}
    outlines = course_outlines(courses)
    quiz_ids = [pk for outline in outlines.values() for pk, _, _, quiz in outline if quiz]
    # When a lesson was completed (in any round): the enrolments' own progress, found by their
    # ids (no join, no list of every lesson); and, for courses with a quiz, when a passed attempt
    # started. Lesson and quiz ids are page ids, so one query (a union) reads both.
    rows = (
        LessonProgress.objects.filter(enrolment_id__in=enrolment_ids, completed_at__isnull=False)
        .order_by()
        .values_list("lesson_id", "completed_at")
    )
    if quiz_ids:
        passed = QuizAttempt.objects.filter(user=user, passed=True, quiz_id__in=quiz_ids)
        rows = rows.union(passed.order_by().values_list("quiz_id", "started_at"), all=True)
    latest: dict[int, datetime] = {}
    for pk, moment in rows:
        if moment is not None and (pk not in latest or moment > latest[pk]):
            latest[pk] = moment
    return {
        course_pk: [
            CourseStep(
                pk=pk,
                title=title,
                url_path=url_path,
                is_quiz=is_quiz,
                completed_at=None if is_quiz else latest.get(pk),
                passed_at=latest.get(pk) if is_quiz else None,
            )
            for pk, title, url_path, is_quiz in outline
        ]
        for course_pk, outline in outlines.items()
    }


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
