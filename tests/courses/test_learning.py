"""Enrolment, progress, completion and the event log, through the services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from courses.models import Enrolment, LessonPage, LessonProgress, ProgressEvent
from courses.services import enrolment_create, lesson_complete, lesson_open
from tests.courses.conftest import add_course, lessons_of, publish
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(org):
    return UserFactory(authority=org["rpda"])


def kinds(user):
    return list(ProgressEvent.objects.filter(user=user).values_list("kind", flat=True))


def test_enrolling_twice_keeps_one_enrolment(learner, course):
    first, created = enrolment_create(user=learner, course=course)
    again, created_again = enrolment_create(user=learner, course=course)
    assert created and not created_again
    assert first.pk == again.pk
    assert Enrolment.objects.filter(user=learner).count() == 1


def test_the_database_refuses_a_second_enrolment(learner, course):
    Enrolment.objects.create(user=learner, course=course, source="self")
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(user=learner, course=course, source="self")


def test_self_enrolment_can_be_closed(learner, catalog):
    closed = add_course(catalog, title="Nur auf Zuweisung", self_enrolment=False)
    with pytest.raises(ValidationError):
        enrolment_create(user=learner, course=closed)
    assert not Enrolment.objects.exists()


def test_an_unpublished_course_takes_no_enrolments(learner, course):
    course.unpublish()
    with pytest.raises(ValidationError):
        enrolment_create(user=learner, course=course)


def test_finishing_a_lesson_without_enrolment_is_refused(learner, course):
    with pytest.raises(PermissionDenied):
        lesson_complete(user=learner, lesson=lessons_of(course)[0])
    assert not LessonProgress.objects.exists()


def test_finishing_all_required_lessons_completes_the_course(learner, catalog):
    course = add_course(catalog, lessons=3, optional=(3,))
    enrolment_create(user=learner, course=course)
    first, second, _optional = lessons_of(course)
    enrolment = lesson_complete(user=learner, lesson=first)
    assert enrolment.completed_at is None and enrolment.progress_percent == 33
    enrolment = lesson_complete(user=learner, lesson=second)
    assert enrolment.completed_at is not None
    assert enrolment.progress_percent == 100


def test_the_all_lessons_rule_waits_for_optional_lessons(learner, catalog):
    course = add_course(catalog, lessons=2, optional=(2,), completion_rule="all")
    enrolment_create(user=learner, course=course)
    first, second = lessons_of(course)
    assert lesson_complete(user=learner, lesson=first).completed_at is None
    assert lesson_complete(user=learner, lesson=second).completed_at is not None


def test_finishing_a_lesson_twice_records_it_once(learner, course):
    enrolment_create(user=learner, course=course)
    lesson = lessons_of(course)[0]
    lesson_complete(user=learner, lesson=lesson)
    lesson_complete(user=learner, lesson=lesson)
    assert LessonProgress.objects.filter(lesson=lesson).count() == 1
    assert kinds(learner).count("lesson_completed") == 1


def test_every_change_of_progress_is_in_the_event_log(learner, course):
    enrolment_create(user=learner, course=course)
    first, second = lessons_of(course)
    lesson_open(user=learner, lesson=first)
    lesson_open(user=learner, lesson=first)  # opening again is not a new event
    lesson_complete(user=learner, lesson=first)
    lesson_complete(user=learner, lesson=second)
    assert kinds(learner) == [
        "enrolled",
        "lesson_opened",
        "lesson_completed",
        "lesson_completed",
        "course_completed",
    ]
    event = ProgressEvent.objects.filter(user=learner).first()
    assert event.authority == learner.authority


def test_the_event_log_cannot_be_changed(learner, course):
    enrolment_create(user=learner, course=course)
    event = ProgressEvent.objects.get(user=learner)
    event.kind = "course_completed"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_opening_a_lesson_remembers_where_to_continue(learner, course):
    from courses.selectors import course_outline

    enrolment_create(user=learner, course=course)
    first, second = lessons_of(course)
    lesson_complete(user=learner, lesson=first)
    lesson_open(user=learner, lesson=second)
    outline = course_outline(course=course, user=learner)
    assert outline.resume_lesson == second
    assert [state.done for state in outline.lessons] == [True, False]


def test_a_new_lesson_keeps_completed_people_complete(learner, course):
    enrolment_create(user=learner, course=course)
    for lesson in lessons_of(course):
        lesson_complete(user=learner, lesson=lesson)
    completed_at = Enrolment.objects.get(user=learner).completed_at

    publish(course.add_child(instance=LessonPage(title="Neu", body=[("text", "<p>x</p>")])))
    other = UserFactory()
    enrolment_create(user=other, course=course)
    lesson_complete(user=other, lesson=lessons_of(course)[0])

    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.completed_at == completed_at
    assert enrolment.progress_percent == 100


def test_people_in_progress_see_a_new_lesson_in_their_percentage(learner, course):
    enrolment_create(user=learner, course=course)
    first, _second = lessons_of(course)
    assert lesson_complete(user=learner, lesson=first).progress_percent == 50
    publish(course.add_child(instance=LessonPage(title="Neu", body=[("text", "<p>x</p>")])))
    assert lesson_complete(user=learner, lesson=first).progress_percent == 33


def test_an_unpublished_lesson_cannot_be_finished(learner, course):
    enrolment_create(user=learner, course=course)
    lesson = lessons_of(course)[0]
    lesson.unpublish()
    with pytest.raises(PermissionDenied):
        lesson_complete(user=learner, lesson=LessonPage.objects.get(pk=lesson.pk))


def test_an_assignment_turns_a_self_chosen_course_into_a_mandatory_one(learner, course):
    from datetime import date, timedelta

    enrolment_create(user=learner, course=course)
    due = date.today() + timedelta(days=14)
    enrolment, created = enrolment_create(
        user=learner, course=course, source="assigned", due_on=due
    )
    assert not created
    assert enrolment.source == "assigned" and enrolment.due_on == due


def test_after_finishing_a_lesson_the_dashboard_continues_with_the_next(learner, course):
    from courses.selectors import dashboard_for

    enrolment_create(user=learner, course=course)
    first, second = lessons_of(course)
    lesson_open(user=learner, lesson=first)
    lesson_complete(user=learner, lesson=first)
    [item] = dashboard_for(user=learner).in_progress
    assert item.resume_title == second.title
