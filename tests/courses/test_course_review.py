"""A course is reviewed and published as one unit: the course with its lessons and quiz.

Trainers submit the course once; its lessons and quizzes are drafts without a review of their
own; one approval publishes them all. A live course without a live lesson or quiz is neither
listed nor open for enrolment. Reviewers see the course and what its approval publishes.
"""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses import messages as msg
from courses.authoring import REVIEW_GROUP, REVIEW_TASK, catalogue_permissions_ensure
from courses.models import CoursePage, LessonPage, QuizPage
from courses.services import enrolment_create
from tests.courses.conftest import add_course, lessons_of, publish
from tests.courses.test_authoring import add_url, course_form, quiz_form
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COURSE = "Datenschutz im Verwaltungsalltag"
SLUG = "datenschutz-im-verwaltungsalltag"
QUESTION = [("true_false", {"prompt": "Ja?", "points": "1", "feedback": "", "correct": "on"})]


@pytest.fixture
def trainer(org):
    return UserFactory(authority=org["rpda"], roles=["trainer"])


@pytest.fixture
def reviewer(org):
    user = UserFactory(authority=org["rpda"], email="pruefung@verwaltung.example")
    user.groups.add(Group.objects.get(name=REVIEW_GROUP))
    return user


@pytest.fixture
def open_catalog(catalog):
    catalogue_permissions_ensure(catalog)
    return catalog


def lesson_form(title, slug, text="Inhalt", **extra):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "body": streamfield([("text", rich_text(f"<p>{text}</p>"))]),
            "required": "on",
            "duration_minutes": 10,
            **extra,
        }
    )


def in_german(text):
    with translation.override("de"):
        return str(text)


def write_course(client, catalog, *, lessons=2, quiz=True):
    """The trainer's steps: a course draft, its lessons and quiz, each saved as in the editor
    (pressing "Submit" on a lesson, too); returns the course."""
    response = client.post(add_url(catalog), course_form())
    assert response.status_code == 302, response.context["form"].errors
    course = CoursePage.objects.get(slug=SLUG)
    for number in range(1, lessons + 1):
        response = client.post(
            add_url(course, LessonPage),
            lesson_form(f"Lektion {number}", f"lektion-{number}", **{"action-submit": "1"}),
        )
        assert response.status_code == 302, response.context["form"].errors
    if quiz:
        response = client.post(add_url(course, QuizPage), quiz_form(QUESTION))
        assert response.status_code == 302, response.context["form"].errors
    return course


def submit(client, course):
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(course.pk,)),
        course_form(**{"action-submit": "1"}),
    )
    assert response.status_code == 302, response.context["form"].errors


def act(client, course, action, comment=""):
    course.refresh_from_db()
    task_state = course.current_workflow_task_state
    return client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(course.pk, action, task_state.pk)),
        {"comment": comment},
    )


def steps_of(course):
    return list(Page.objects.child_of(course).order_by("path"))


def live_titles(course):
    return {page.title: page.live for page in steps_of(course)}


def test_one_submission_and_one_approval_publish_a_course_with_two_lessons_and_a_quiz(
    client, trainer, reviewer, open_catalog
):
    client.force_login(trainer)
    course = write_course(client, open_catalog)
    # The lessons and the quiz wait as drafts, without a review of their own.
    assert live_titles(course) == {
        "Lektion 1": False,
        "Lektion 2": False,
        QuizPage.objects.get().title: False,
    }
    assert not any(WorkflowState.objects.for_instance(step).exists() for step in steps_of(course))

    submit(client, course)
    assert WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS).count() == 1

    client.force_login(reviewer)
    response = act(client, course, "approve", "Passt.")
    assert response.status_code == 302

    course.refresh_from_db()
    assert course.live
    assert set(live_titles(course).values()) == {True}
    assert not WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS).exists()
    # Learners find it and can enrol.
    listing = client.get(open_catalog.url).content.decode()
    assert COURSE in listing
    _enrolment, created = enrolment_create(user=UserFactory(), course=course)
    assert created


def test_the_editor_of_a_new_lesson_offers_no_review_of_its_own(client, trainer, open_catalog):
    client.force_login(trainer)
    course = write_course(client, open_catalog, lessons=0, quiz=False)
    page = client.get(add_url(course, LessonPage)).content.decode()
    assert 'name="action-submit"' not in page
    course_editor = client.get(reverse("wagtailadmin_pages:edit", args=(course.pk,)))
    assert 'name="action-submit"' in course_editor.content.decode()


def test_saving_a_lesson_tells_the_trainer_it_waits_for_the_course(client, trainer, open_catalog):
    client.force_login(trainer)
    course = write_course(client, open_catalog, lessons=0, quiz=False)
    response = client.post(
        add_url(course, LessonPage), lesson_form("Lektion 1", "lektion-1"), follow=True
    )
    assert "Lektion 1" in response.content.decode()
    assert f"Es wird veröffentlicht, wenn der Kurs „{COURSE}“" in response.content.decode()


def test_a_new_lesson_of_a_live_course_waits_for_the_next_approval(
    client, trainer, reviewer, catalog
):
    course = add_course(catalog, title=COURSE, slug=SLUG, lessons=1)
    catalogue_permissions_ensure(catalog)
    client.force_login(trainer)
    client.post(add_url(course, LessonPage), lesson_form("Lektion 2", "lektion-2"))
    assert live_titles(course) == {"Lektion 1": True, "Lektion 2": False}

    submit(client, course)
    client.force_login(reviewer)
    act(client, course, "approve")
    assert live_titles(course) == {"Lektion 1": True, "Lektion 2": True}


def test_an_edited_live_lesson_stays_as_it_was_until_the_course_is_approved(
    client, trainer, reviewer, catalog
):
    course = add_course(catalog, title=COURSE, slug=SLUG, lessons=1)
    catalogue_permissions_ensure(catalog)
    [lesson] = lessons_of(course)
    client.force_login(trainer)
    client.post(
        reverse("wagtailadmin_pages:edit", args=(lesson.pk,)),
        lesson_form("Lektion 1", lesson.slug, text="Neu geschrieben", **{"action-submit": "1"}),
    )
    lesson.refresh_from_db()
    assert lesson.live and lesson.has_unpublished_changes
    assert "Neu geschrieben" not in str(lesson.body)
    assert not WorkflowState.objects.for_instance(lesson).exists()

    submit(client, course)
    client.force_login(reviewer)
    act(client, course, "approve")
    lesson.refresh_from_db()
    assert "Neu geschrieben" in str(lesson.body)
    assert not lesson.has_unpublished_changes


def test_rejecting_the_course_publishes_none_of_its_steps(client, trainer, reviewer, open_catalog):
    client.force_login(trainer)
    course = write_course(client, open_catalog)
    submit(client, course)
    client.force_login(reviewer)
    act(client, course, "reject", "Bitte Lernziele ergänzen.")

    course.refresh_from_db()
    assert not course.live
    assert set(live_titles(course).values()) == {False}

    # Changed and sent again, one approval still publishes everything.
    client.force_login(trainer)
    submit(client, course)
    client.force_login(reviewer)
    act(client, course, "approve")
    assert set(live_titles(course).values()) == {True}


def test_a_lesson_unpublished_from_a_live_course_stays_off_at_the_next_approval(
    client, trainer, reviewer, catalog
):
    course = add_course(catalog, title=COURSE, slug=SLUG, lessons=2)
    catalogue_permissions_ensure(catalog)
    first, _second = lessons_of(course)
    first.unpublish()

    client.force_login(trainer)
    submit(client, course)
    client.force_login(reviewer)
    act(client, course, "approve")
    assert live_titles(course) == {"Lektion 1": False, "Lektion 2": True}


def test_a_course_unpublished_with_its_lessons_comes_back_with_them(
    client, trainer, reviewer, catalog
):
    course = add_course(catalog, title=COURSE, slug=SLUG, lessons=2)
    catalogue_permissions_ensure(catalog)
    UnpublishPageAction(course, user=reviewer, include_descendants=True).execute()
    assert set(live_titles(course).values()) == {False}

    client.force_login(trainer)
    submit(client, course)
    client.force_login(reviewer)
    act(client, course, "approve")
    course.refresh_from_db()
    assert course.live
    assert set(live_titles(course).values()) == {True}


# A live course without a live lesson or quiz


@pytest.fixture
def empty_course(catalog):
    return add_course(catalog, title=COURSE, slug=SLUG, lessons=0)


def test_an_approved_course_without_steps_is_not_listed(client, catalog, empty_course):
    listing = client.get(catalog.url).content.decode()
    assert COURSE not in listing
    # Nor is it offered for mandatory training.
    from courses.assignments.forms import AssignmentForm

    form = AssignmentForm(user=UserFactory(is_superuser=True))
    assert empty_course not in form.fields["course"].queryset


def test_an_approved_course_without_steps_is_not_enrollable(client, org, empty_course):
    learner = UserFactory(authority=org["rpda"])
    with pytest.raises(ValidationError) as refused:
        enrolment_create(user=learner, course=empty_course)
    assert refused.value.messages == [msg.ERROR_COURSE_WITHOUT_STEPS]

    client.force_login(learner)
    page = client.get(empty_course.url).content.decode()
    assert 'id="enrol-form"' not in page
    assert in_german(msg.ERROR_COURSE_WITHOUT_STEPS) in page

    response = client.post(reverse("courses:enrol", args=(empty_course.pk,)), follow=True)
    assert in_german(msg.ERROR_COURSE_WITHOUT_STEPS) in response.content.decode()
    assert not learner.enrolments.exists()


def test_a_course_with_only_a_quiz_is_enrollable(org, empty_course):
    publish(empty_course.add_child(instance=QuizPage(title="Test", questions=QUESTION)))
    _enrolment, created = enrolment_create(
        user=UserFactory(authority=org["rpda"]), course=empty_course
    )
    assert created


# What reviewers see


def test_the_reviewers_inbox_names_the_course_and_the_steps_its_approval_publishes(
    client, trainer, reviewer, open_catalog
):
    client.force_login(trainer)
    course = write_course(client, open_catalog)
    submit(client, course)

    client.force_login(reviewer)
    inbox = client.get(reverse("wagtailadmin_home")).content.decode()
    assert COURSE in inbox
    assert "Die Freigabe des Kurses veröffentlicht auch:" in inbox
    assert "Lektion „Lektion 1“ (neu)" in inbox
    assert "Lektion „Lektion 2“ (neu)" in inbox
    assert "Test „Abschlusstest Datenschutz“ (neu)" in inbox


def test_a_lesson_still_in_a_review_of_its_own_is_shown_with_its_course(
    client, trainer, reviewer, catalog
):
    """Reviews started before courses were reviewed as one unit."""
    course = add_course(catalog, title=COURSE, slug=SLUG, lessons=1)
    catalogue_permissions_ensure(catalog)
    [lesson] = lessons_of(course)
    lesson.save_revision(user=trainer)
    course.get_workflow().start(lesson, trainer)

    client.force_login(reviewer)
    inbox = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Lektion 1" in inbox
    assert f"Kurs: {COURSE}" in inbox


def test_the_review_email_names_the_steps(client, trainer, reviewer, open_catalog):
    client.force_login(trainer)
    course = write_course(client, open_catalog, lessons=1, quiz=False)
    mail.outbox.clear()
    submit(client, course)

    [message] = [m for m in mail.outbox if reviewer.email in m.to]
    assert REVIEW_TASK in message.body
    assert COURSE in message.body
    assert "Lektion „Lektion 1“ (neu)" in message.body
