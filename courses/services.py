"""Writes about learning: enrolment, progress and completion (mandatory assignments and rules:
courses.assignments.services)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from . import messages as msg
from .models import (
    Assignment,
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
    ProgressEvent,
)
from .quizzes.selectors import EPOCH, quiz_ids_passed
from .selectors import course_has_steps, course_lessons, course_quizzes
from .signals import course_assigned, course_completed


def _event(*, user, course, kind, lesson=None, at=None, **data):
    ProgressEvent.objects.create(
        user=user,
        course=course,
        lesson=lesson,
        authority_id=user.authority_id,
        kind=kind,
        occurred_at=at or timezone.now(),
        data=data,
    )


@transaction.atomic
def enrolment_create(
    *,
    user,
    course: CoursePage,
    source=Enrolment.Source.SELF,
    due_on=None,
    assignment: Assignment | None = None,
) -> tuple[Enrolment, bool]:
    """Enrol a person; returns (enrolment, created). Enrolling again changes nothing,
    except that an assignment makes a self-chosen course mandatory with its due date."""
    if not course.live:
        raise ValidationError(msg.ERROR_NOT_ENROLLED)
    if source == Enrolment.Source.SELF and not course.self_enrolment:
        raise ValidationError(msg.ERROR_SELF_ENROLMENT_CLOSED)
    # Standing rules keep applying, so that nobody who joins meanwhile is missed.
    if source != Enrolment.Source.RULE and not course_has_steps(course=course):
        raise ValidationError(msg.ERROR_COURSE_WITHOUT_STEPS)
    existing = Enrolment.objects.select_for_update().filter(user=user, course=course).first()
    if existing is not None:
        enrolment, created, assigned = existing, False, False
        if source != Enrolment.Source.SELF and not existing.is_complete:
            earlier = existing.due_on is None or (due_on and due_on < existing.due_on)
            if existing.source == Enrolment.Source.SELF or earlier:
                existing.source, existing.assignment = source, assignment
                existing.due_on = due_on if earlier else existing.due_on
                existing.save(update_fields=["source", "assignment", "due_on"])
                _event(
                    user=user,
                    course=course,
                    kind=ProgressEvent.Kind.ASSIGNED,
                    due_on=str(existing.due_on),
                )
                assigned = True
    else:
        try:
            with transaction.atomic():
                enrolment = Enrolment.objects.create(
                    user=user, course=course, source=source, due_on=due_on, assignment=assignment
                )
        except IntegrityError:
            # A concurrent request enrolled the same person first.
            return Enrolment.objects.get(user=user, course=course), False
        created, assigned = True, source != Enrolment.Source.SELF
        kind = ProgressEvent.Kind.ASSIGNED if assigned else ProgressEvent.Kind.ENROLLED
        _event(user=user, course=course, kind=kind, due_on=str(due_on) if due_on else None)
    if assigned:
        # Receivers that tell the person (lms.notifications) wait for the commit.
        course_assigned.send(sender=Enrolment, enrolment=enrolment)
    return enrolment, created


@transaction.atomic
def enrolment_drop(*, user, course: CoursePage) -> None:
    """Leave a self-chosen course. Assigned courses stay; the event log keeps the history."""
    enrolment = Enrolment.objects.select_for_update().filter(user=user, course=course).first()
    if enrolment is None:
        return
    if enrolment.is_assigned:
        raise ValidationError(msg.ERROR_ASSIGNED_CANNOT_DROP)
    if enrolment.is_complete:
        # The completion (and any certificate) is a record that stays.
        raise ValidationError(msg.ERROR_COMPLETED_CANNOT_DROP)
    _event(
        user=user,
        course=course,
        kind=ProgressEvent.Kind.DROPPED,
        percent=enrolment.progress_percent,
    )
    enrolment.delete()


def _enrolment_for(*, user, lesson: LessonPage) -> Enrolment:
    course = lesson.get_parent().specific
    enrolment = Enrolment.objects.filter(user=user, course_id=course.pk).first()
    if enrolment is None or not lesson.live or not course.live:
        raise PermissionDenied(msg.ERROR_NOT_ENROLLED)
    return enrolment


@transaction.atomic
def lesson_open(*, user, lesson: LessonPage, enrolment: Enrolment | None = None) -> LessonProgress:
    """Record that a lesson was opened; the first opening is logged, later ones only resume."""
    enrolment = enrolment or _enrolment_for(user=user, lesson=lesson)
    progress, created = LessonProgress.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    if created:
        _event(
            user=user, course=enrolment.course, lesson=lesson, kind=ProgressEvent.Kind.LESSON_OPENED
        )
    if enrolment.last_lesson_id != lesson.pk:
        Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson)
        enrolment.last_lesson = lesson
    return progress


@transaction.atomic
def lesson_complete(*, user, lesson: LessonPage) -> Enrolment:
    """Mark a lesson done (once), refresh progress, and complete the course if the rule is met."""
    enrolment = _enrolment_for(user=user, lesson=lesson)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    progress, _created = LessonProgress.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    since = enrolment.round_started_at
    if progress.completed_at is None or (since and progress.completed_at < since):
        progress.completed_at = timezone.now()
        progress.save(update_fields=["completed_at"])
        _event(
            user=user,
            course=enrolment.course,
            lesson=lesson,
            kind=ProgressEvent.Kind.LESSON_COMPLETED,
        )
    # "Continue with" points at the lesson after the one just finished; after the last lesson
    # of a course with a quiz, at nothing, so "Mein Lernen" does not offer a finished lesson
    # and the course page leads on to the quiz.
    lessons = course_lessons(course=enrolment.course)
    ids = [item.pk for item in lessons]
    if lesson.pk in ids and ids.index(lesson.pk) + 1 < len(ids):
        enrolment.last_lesson = lessons[ids.index(lesson.pk) + 1]
        enrolment.save(update_fields=["last_lesson"])
    elif lesson.pk in ids and course_quizzes(course=enrolment.course):
        enrolment.last_lesson = None
        enrolment.save(update_fields=["last_lesson"])
    return enrolment_refresh(enrolment=enrolment)


def enrolment_refresh(*, enrolment: Enrolment, now=None) -> Enrolment:
    """Recompute the percentage and, once the completion rule is met, complete the course.

    Lessons done and quizzes passed count as steps. The course is complete when the rule's
    lessons are done and every required quiz is passed. Completion is final: lessons added to
    the course later change the percentage shown while in progress, but never take back a
    completion or its date (docs/decisions/0004).
    """
    course = enrolment.course
    lessons = course_lessons(course=course)
    quizzes = course_quizzes(course=course)
    since = enrolment.round_started_at
    done = set(
        enrolment.lessons.filter(completed_at__gte=since or EPOCH).values_list(
            "lesson_id", flat=True
        )
    )
    passed = quiz_ids_passed(user=enrolment.user, quizzes=quizzes, since=since)
    total = len(lessons) + len(quizzes)
    steps_done = len(done & {lesson.pk for lesson in lessons}) + len(passed)
    enrolment.progress_percent = round(100 * steps_done / total) if total else 0
    fields = ["progress_percent"]
    if enrolment.completed_at is None:
        if course.completion_rule == CoursePage.CompletionRule.ALL:
            needed = {lesson.pk for lesson in lessons}
        else:
            needed = {lesson.pk for lesson in lessons if lesson.required}
        quizzes_needed = {quiz.pk for quiz in quizzes if quiz.required}
        if total and needed <= done and quizzes_needed <= passed:
            enrolment.completed_at = now or timezone.now()
            fields.append("completed_at")
            _event(
                user=enrolment.user,
                course=course,
                kind=ProgressEvent.Kind.COURSE_COMPLETED,
                at=enrolment.completed_at,
            )
    if enrolment.completed_at is not None:
        enrolment.progress_percent = 100
    enrolment.save(update_fields=fields)
    if "completed_at" in fields:
        course_completed.send(sender=Enrolment, enrolment=enrolment)
    return enrolment


@transaction.atomic
def enrolment_renew(*, enrolment: Enrolment, due_on) -> bool:
    """Start a new round of a completed course (re-certification), due on `due_on`.

    The completion stays on record (events, certificate); lessons and quizzes count again from
    now on, and the attempt limit applies afresh. False if the enrolment was not complete
    (already renewed, or never completed).
    """
    from .models import QuizAttempt
    from .quizzes.services import attempt_submit

    now = timezone.now()
    # An attempt left open in the finished round is handed in there, as it stands; the new
    # round starts with none.
    open_attempts = QuizAttempt.objects.filter(
        user_id=enrolment.user_id,
        quiz__in=course_quizzes(course=enrolment.course),
        status=QuizAttempt.Status.OPEN,
    )
    for attempt in open_attempts:
        attempt_submit(attempt=attempt, now=now)
    updated = Enrolment.objects.filter(pk=enrolment.pk, completed_at__isnull=False).update(
        completed_at=None,
        round_started_at=now,
        due_on=due_on,
        progress_percent=0,
        last_lesson=None,
        source=Case(
            When(source=Enrolment.Source.SELF, then=Value(Enrolment.Source.ASSIGNED)),
            default=F("source"),
        ),
    )
    if not updated:
        return False
    enrolment.refresh_from_db()
    _event(
        user=enrolment.user,
        course=enrolment.course,
        kind=ProgressEvent.Kind.ASSIGNED,
        at=now,
        renewal=True,
        due_on=due_on.isoformat(),
    )
    return True
