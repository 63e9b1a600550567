"""When a learning item is complete, and what follows a completion.

Lessons (courses.services) and quizzes (courses.quizzes.services) both report here after a
step is done; neither needs the other. The item's own rule says where a participation stands
(`LearningItem.item_progress`; a course's is `course_progress`); this module records the
completion once, in the event log, and sends `course_completed`, which issues the certificate
(certificates.receivers).
"""

from django.utils import timezone

from .items import ItemProgress
from .models import CoursePage, Enrolment, ProgressEvent
from .quizzes.selectors import EPOCH, quiz_ids_passed
from .selectors import course_lessons, course_quizzes
from .signals import course_completed


def progress_event_record(*, user, course, kind, lesson=None, at=None, **data) -> None:
    """Append one entry to the event log, with the authority the person belongs to now."""
    ProgressEvent.objects.create(
        user=user,
        course=course,
        lesson=lesson,
        authority_id=user.authority_id,
        kind=kind,
        occurred_at=at or timezone.now(),
        data=data,
    )


def enrolment_mark_started(*, enrolment: Enrolment, at=None) -> None:
    """Record when the participation started in its current round: the first time only, also
    when two requests of the same person race (the UPDATE only touches an unset value)."""
    if enrolment.started_at is not None:
        return
    at = at or timezone.now()
    updated = Enrolment.objects.filter(pk=enrolment.pk, started_at__isnull=True).update(
        started_at=at
    )
    if updated:
        enrolment.started_at = at
    else:
        enrolment.refresh_from_db(fields=["started_at"])


def course_progress(*, course: CoursePage, enrolment: Enrolment) -> ItemProgress:
    """A course's rule: lessons done and quizzes passed in the current round count as steps;
    the course is complete when the rule's lessons are done and every required quiz is passed."""
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
    if course.completion_rule == CoursePage.CompletionRule.ALL:
        needed = {lesson.pk for lesson in lessons}
    else:
        needed = {lesson.pk for lesson in lessons if lesson.required}
    quizzes_needed = {quiz.pk for quiz in quizzes if quiz.required}
    return ItemProgress(
        percent=round(100 * steps_done / total) if total else 0,
        complete=bool(total) and needed <= done and quizzes_needed <= passed,
    )


def enrolment_refresh(*, enrolment: Enrolment, now=None) -> Enrolment:
    """Recompute the percentage and, once the item's rule is met, complete the participation.

    Completion is final: steps added to the course later change the percentage shown while in
    progress, but never take back a completion or its date (docs/decisions/0004). Call inside
    the transaction that recorded the step, with the enrolment locked.
    """
    item = enrolment.course
    progress = item.item_progress(enrolment=enrolment)
    enrolment.progress_percent = progress.percent
    fields = ["progress_percent"]
    if enrolment.completed_at is None and progress.complete:
        enrolment.completed_at = now or timezone.now()
        fields.append("completed_at")
        progress_event_record(
            user=enrolment.user,
            course=item,
            kind=ProgressEvent.Kind.COURSE_COMPLETED,
            at=enrolment.completed_at,
        )
    if enrolment.completed_at is not None:
        enrolment.progress_percent = 100
    enrolment.save(update_fields=fields)
    if "completed_at" in fields:
        # Receivers that start work elsewhere (the certificate) wait for the commit.
        course_completed.send(sender=Enrolment, enrolment=enrolment)
    return enrolment
