"""Writes about learning: enrolment, progress and completion (mandatory assignments and rules:
courses.assignments.services)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from . import messages as msg
from .completion import enrolment_mark_started, enrolment_refresh, progress_event_record
from .models import (
    Assignment,
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
    ProgressEvent,
    QuizAttempt,
)
from .quizzes.services import attempt_submit
from .selectors import course_has_steps, course_lessons, course_quizzes
from .signals import course_assigned


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
                progress_event_record(
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
        progress_event_record(
            user=user, course=course, kind=kind, due_on=str(due_on) if due_on else None
        )
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
    progress_event_record(
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
        progress_event_record(
            user=user, course=enrolment.course, lesson=lesson, kind=ProgressEvent.Kind.LESSON_OPENED
        )
    enrolment_mark_started(enrolment=enrolment)
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
    enrolment_mark_started(enrolment=enrolment)
    since = enrolment.round_started_at
    if progress.completed_at is None or (since and progress.completed_at < since):
        progress.completed_at = timezone.now()
        progress.save(update_fields=["completed_at"])
        progress_event_record(
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


@transaction.atomic
def enrolment_renew(*, enrolment: Enrolment, due_on) -> bool:
    """Start a new round of a completed course (re-certification), due on `due_on`.

    The completion stays on record (events, certificate); lessons and quizzes count again from
    now on, and the attempt limit applies afresh. False if the enrolment was not complete
    (already renewed, or never completed).
    """
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
        started_at=None,
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
    progress_event_record(
        user=enrolment.user,
        course=enrolment.course,
        kind=ProgressEvent.Kind.ASSIGNED,
        at=now,
        renewal=True,
        due_on=due_on.isoformat(),
    )
    return True
