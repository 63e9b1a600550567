"""A person's learning record: courses, quiz attempts and certificates."""

from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper
from django.shortcuts import get_object_or_404
from django.utils import timezone

from certificates.models import Certificate
from courses.models import CoursePage, Enrolment, QuizAttempt
from lms.people.models import User
from lms.people.selectors import people_visible_to

from .common import _started
from .participations import participation_status


@dataclass
class PersonRecord:
    person: User
    enrolments: list
    attempts: list
    certificates: list


def person_in_scope(*, viewer, person_id: int) -> User:
    """The person, if the viewer may see them; 404 otherwise (no hint that they exist)."""
    return get_object_or_404(
        people_visible_to(user=viewer).select_related("authority"), pk=person_id
    )


def person_record(*, viewer, person_id: int, today=None) -> PersonRecord:
    today = today or timezone.localdate()
    person = person_in_scope(viewer=viewer, person_id=person_id)
    enrolments = list(
        Enrolment.objects.filter(user=person)
        .annotate(started=ExpressionWrapper(_started(), output_field=BooleanField()))
        .select_related("course")
        .order_by("course__title", "pk")
    )
    for enrolment in enrolments:
        enrolment.report_status = participation_status(enrolment, today)
    attempts = list(
        QuizAttempt.objects.filter(user=person)
        .exclude(status=QuizAttempt.Status.OPEN)
        .select_related("quiz")
        .order_by("quiz__title", "number")
    )
    _attach_courses(attempts)
    attempts.sort(key=lambda a: (a.course.title if a.course else "", a.quiz.title, a.number))
    certificates = list(
        Certificate.objects.filter(user=person)
        .select_related("course", "replaced_by")
        .order_by("-completed_at", "-pk")
    )
    return PersonRecord(person, enrolments, attempts, certificates)


def _attach_courses(attempts: list) -> None:
    """Set `attempt.course`: the course the quiz belongs to (its nearest course ancestor), for
    all attempts in one query; quizzes of the same title in several courses stay apart."""
    step = CoursePage.steplen
    prefixes = {
        attempt.quiz.path[:end]
        for attempt in attempts
        for end in range(step, len(attempt.quiz.path), step)
    }
    courses = {page.path: page for page in CoursePage.objects.filter(path__in=prefixes)}
    for attempt in attempts:
        path = attempt.quiz.path
        attempt.course = next(
            (
                courses[path[:end]]
                for end in range(len(path) - step, 0, -step)
                if path[:end] in courses
            ),
            None,
        )
