"""Reads about courses and learning, each in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from .models import (
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
    QuizPage,
)
from .next_steps import OUTLINE_CACHE_KEY, NextStep, course_steps_of, next_step
from .quizzes.selectors import quiz_ids_passed
from .search import courses_matching

PAGE_SIZE = 24


LESSONS_CACHE_KEY = "courses:lessons:{pk}"
LESSONS_CACHE_SECONDS = 3600


def course_lessons(*, course: CoursePage) -> list[LessonPage]:
    """The course's live lessons in their order (Wagtail's page order).

    Read on every lesson view, so kept in the shared cache; publishing, unpublishing, moving or
    deleting a lesson drops the entry (courses.receivers).
    """
    key = LESSONS_CACHE_KEY.format(pk=course.pk)
    lessons = cache.get(key)
    if lessons is None:
        # The body is not needed for outlines and navigation; leave it in the database.
        lessons = list(LessonPage.objects.child_of(course).live().defer("body").order_by("path"))
        cache.set(key, lessons, LESSONS_CACHE_SECONDS)
    return lessons


QUIZZES_CACHE_KEY = "courses:quizzes:{pk}"


def course_quizzes(*, course: CoursePage) -> list[QuizPage]:
    """The course's live quizzes in their order; cached like the lessons, without questions."""
    key = QUIZZES_CACHE_KEY.format(pk=course.pk)
    quizzes = cache.get(key)
    if quizzes is None:
        quizzes = list(QuizPage.objects.child_of(course).live().defer("questions").order_by("path"))
        cache.set(key, quizzes, LESSONS_CACHE_SECONDS)
    return quizzes


def course_has_steps(*, course: CoursePage) -> bool:
    """Whether the course has a live lesson or quiz: only then can people enrol in it."""
    return bool(course_lessons(course=course) or course_quizzes(course=course))


def courses_with_steps(courses: QuerySet[CoursePage]) -> QuerySet[CoursePage]:
    """Those of the courses that have a live lesson or quiz (see course_has_steps)."""
    from wagtail.models import Page

    steps = Page.objects.filter(
        live=True,
        depth=OuterRef("depth") + 1,
        path__startswith=OuterRef("path"),
        content_type__in=[ContentType.objects.get_for_model(m) for m in (LessonPage, QuizPage)],
    )
    return courses.filter(Exists(steps))


def course_lessons_forget(*, course_id: int) -> None:
    """Drop the cached lessons and quizzes of a course after its pages changed."""
    cache.delete_many(
        [
            LESSONS_CACHE_KEY.format(pk=course_id),
            QUIZZES_CACHE_KEY.format(pk=course_id),
            OUTLINE_CACHE_KEY.format(pk=course_id),
        ]
    )


@dataclass
class LessonState:
    lesson: LessonPage
    opened: bool = False
    done: bool = False


@dataclass
class QuizState:
    quiz: QuizPage
    passed: bool = False


@dataclass
class CourseOutline:
    course: CoursePage
    enrolment: Enrolment | None
    lessons: list[LessonState] = field(default_factory=list)
    quizzes: list[QuizState] = field(default_factory=list)

    @property
    def next_quiz(self):
        """The first quiz not yet passed, once every lesson is done."""
        if any(not state.done for state in self.lessons):
            return None
        return next((state.quiz for state in self.quizzes if not state.passed), None)

    @property
    def percent(self):
        return self.enrolment.progress_percent if self.enrolment else 0

    @property
    def resume_lesson(self):
        """Where to continue: the last lesson opened if not done, else the first not done."""
        if self.enrolment is None or not self.lessons:
            return None
        states = {s.lesson.pk: s for s in self.lessons}
        last = states.get(self.enrolment.last_lesson_id)
        if last is not None and not last.done:
            return last.lesson
        return next((s.lesson for s in self.lessons if not s.done), None)

    def neighbours(self, lesson):
        ids = [s.lesson.pk for s in self.lessons]
        if lesson.pk not in ids:
            return None, None
        i = ids.index(lesson.pk)
        before = self.lessons[i - 1].lesson if i > 0 else None
        after = self.lessons[i + 1].lesson if i + 1 < len(ids) else None
        return before, after


def course_outline(*, course: CoursePage, user) -> CourseOutline:
    lessons = course_lessons(course=course)
    enrolment = None
    progress = {}
    if user.is_authenticated:
        # One query in the usual case (some progress exists), a second only when there is none.
        rows = list(
            LessonProgress.objects.filter(
                enrolment__user=user, enrolment__course=course
            ).select_related("enrolment")
        )
        if rows:
            enrolment = rows[0].enrolment
            progress = {p.lesson_id: p for p in rows}
        else:
            enrolment = Enrolment.objects.filter(user=user, course=course).first()
    since = enrolment.round_started_at if enrolment else None

    def done(lesson_id):
        completed = progress[lesson_id].completed_at if lesson_id in progress else None
        return completed is not None and (since is None or completed >= since)

    states = [
        LessonState(lesson=lesson, opened=lesson.pk in progress, done=done(lesson.pk))
        for lesson in lessons
    ]
    quizzes = course_quizzes(course=course)
    passed = (
        quiz_ids_passed(user=user, quizzes=quizzes, since=since) if enrolment and quizzes else set()
    )
    return CourseOutline(
        course=course,
        enrolment=enrolment,
        lessons=states,
        quizzes=[QuizState(quiz=quiz, passed=quiz.pk in passed) for quiz in quizzes],
    )


@dataclass(frozen=True)
class DashboardItem:
    """One course on "Mein Lernen", flattened: plain values and ready URLs, no page objects."""

    pk: int
    course_title: str
    course_url: str
    course_language: str
    is_assigned: bool
    due_on: object
    overdue: bool
    completed_at: object
    progress_percent: int
    resume_title: str | None
    resume_url: str | None
    next_step: NextStep | None = None


@dataclass
class Dashboard:
    assigned: list[DashboardItem]
    in_progress: list[DashboardItem]
    completed: list[DashboardItem]
    today: object

    @property
    def is_empty(self):
        return not (self.assigned or self.in_progress or self.completed)


def catalog_for(*, request):
    """The live course catalogue, kept in the cache with the page routes (lms.routing)."""
    from lms.routing import cached_with_routes

    from .models import CatalogPage

    return cached_with_routes(
        request, "catalog", lambda: CatalogPage.objects.live().order_by("path").first()
    )


def _relative_url(url_path, root_paths):
    """A page's URL from its url_path, as Wagtail's pageurl gives it within the site."""
    for root in root_paths:
        if url_path and url_path.startswith(root.root_path):
            return url_path[len(root.root_path) - 1 :]
    return None


def dashboard_for(*, user, certificates=()) -> Dashboard:
    """ "Mein Lernen": open assigned courses by due date, others in progress, and completed ones,
    each with its next step (courses.next_steps). `certificates` are the learner's, newest first
    (certificates.selectors.certificates_of), for the completed courses' step.

    Two queries whatever the number of courses, reading only the columns shown: a learner's home
    page is the most requested page of all.
    """
    from wagtail.models import Site

    rows = (
        Enrolment.objects.filter(user=user, course__live=True)
        .order_by("due_on", "-enrolled_at")
        .values_list(
            "pk",
            "source",
            "due_on",
            "completed_at",
            "progress_percent",
            "course__title",
            "course__url_path",
            "course__language",
            "last_lesson__title",
            "last_lesson__url_path",
            "last_lesson__live",
            "course__path",
            "course__certificate_template_id",
            "round_started_at",
            "last_lesson_id",
            "course_id",
        )
    )
    today = timezone.localdate()
    root_paths = Site.get_site_root_paths()
    rows = list(rows)
    # A completed course's step is its certificate: only open courses need their lessons.
    open_rows = [row for row in rows if row[3] is None]
    steps = course_steps_of(
        user=user,
        courses={row[15]: row[11] for row in open_rows},
        enrolment_ids=[row[0] for row in open_rows],
    )
    newest_certificate = {}
    for certificate in certificates:
        newest_certificate.setdefault(certificate.course_id, certificate)
    assigned, in_progress, completed = [], [], []
    for (
        pk,
        source,
        due_on,
        completed_at,
        percent,
        title,
        url_path,
        language,
        lesson_title,
        lesson_path,
        lesson_live,
        _course_path,
        certificate_template_id,
        round_started_at,
        last_lesson_id,
        course_id,
    ) in rows:
        done = completed_at is not None
        course_url = _relative_url(url_path, root_paths)
        step = next_step(
            steps=steps.get(course_id, []),
            round_started_at=round_started_at,
            last_lesson_id=last_lesson_id,
            completed=done,
            certificate=newest_certificate.get(course_id),
            has_certificate_template=certificate_template_id is not None,
            course_url=course_url,
            url_of=lambda path: _relative_url(path, root_paths),
        )
        item = DashboardItem(
            pk=pk,
            course_title=title,
            course_url=course_url,
            course_language=language,
            is_assigned=source != Enrolment.Source.SELF,
            due_on=due_on,
            overdue=is_overdue(completed_at=completed_at, due_on=due_on, today=today),
            completed_at=completed_at,
            progress_percent=percent,
            resume_title=lesson_title if lesson_live else None,
            resume_url=_relative_url(lesson_path, root_paths) if lesson_live else None,
            next_step=step,
        )
        if done:
            completed.append(item)
        elif item.is_assigned:
            assigned.append(item)
        else:
            in_progress.append(item)
    completed.sort(key=lambda item: item.completed_at, reverse=True)
    return Dashboard(assigned, in_progress, completed, today=today)


FILTERS = ("topic", "target_group", "mandatory", "language", "duration")
DURATIONS = {"short": (0, 30), "medium": (31, 90), "long": (91, 10_000)}


def catalogue_search(*, catalog, params, user) -> dict:
    """Live courses of the catalogue, filtered and searched as the visitor asked."""
    courses = courses_with_steps(CoursePage.objects.child_of(catalog).live())
    query = (params.get("q") or "").strip()[:200]
    topic = (params.get("topic") or "").strip()
    if topic:
        courses = courses.filter(topics__name=topic)
    if params.get("target_group") in CoursePage.TargetGroup.values:
        courses = courses.filter(target_group=params["target_group"])
    if params.get("mandatory") in ("yes", "no"):
        courses = courses.filter(is_mandatory=params["mandatory"] == "yes")
    if params.get("language") in CoursePage.Language.values:
        courses = courses.filter(language=params["language"])
    if params.get("duration") in DURATIONS:
        low, high = DURATIONS[params["duration"]]
        courses = courses.filter(duration_minutes__gte=low, duration_minutes__lte=high)
    courses = courses.order_by("title")
    if query:
        courses = courses_matching(courses, query=query)
    results = list(courses)
    prefetch_related_objects(results, "topics")
    enrolled = set()
    if user.is_authenticated:
        enrolled = set(
            Enrolment.objects.filter(user=user, course__in=[c.pk for c in results]).values_list(
                "course_id", flat=True
            )
        )
    from taggit.models import Tag

    topics = Tag.objects.filter(
        courses_coursetopic_items__content_object__in=courses_with_steps(
            CoursePage.objects.child_of(catalog).live()
        )
    ).distinct()
    return {
        "courses": results,
        "enrolled_ids": enrolled,
        "query": query,
        "filters": {name: params.get(name, "") for name in FILTERS},
        "topics": list(topics.order_by("name").values_list("name", flat=True)),
        "target_groups": CoursePage.TargetGroup.choices,
        "languages": CoursePage.Language.choices,
    }


# "Overdue", defined once: not complete, and the due date has passed (without a due date,
# never). Reports, reminders, the HR digest, "Mein Lernen" and Enrolment.is_overdue use these
# two forms of it: one for queries, one for a row already read.


def started_q() -> Q:
    """A participation has begun in its current round: a lesson opened or a quiz attempt
    started since the round began (`started_at`, cleared by a renewal), or some progress."""
    return Q(started_at__isnull=False) | Q(progress_percent__gt=0)


def overdue_q(today: date) -> Q:
    """The participations overdue on `today`, as a condition on enrolments."""
    return Q(completed_at__isnull=True, due_on__lt=today)


def is_overdue(*, completed_at, due_on, today: date) -> bool:
    """The same rule as `overdue_q`, for one participation's values."""
    return completed_at is None and due_on is not None and due_on < today
