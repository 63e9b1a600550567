"""Authoring in the Wagtail admin: page structure, trainers' rights, review before publishing,
and no deleting of courses that people have taken."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowState,
)
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.authoring import (
    ERROR_COURSE_HAS_LEARNERS,
    ERROR_LESSON_HAS_LEARNERS,
    ERROR_PAGES_HAVE_LEARNERS,
    REVIEW_GROUP,
    REVIEW_TASK,
    REVIEW_WORKFLOW,
    catalogue_permissions_ensure,
)
from courses.models import CatalogPage, CoursePage, Enrolment, LessonPage
from courses.services import enrolment_create, lesson_open
from home.models import HomePage
from tests.courses.conftest import add_course, lessons_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(org):
    return UserFactory(authority=org["rpda"], roles=["trainer"])


@pytest.fixture
def reviewer(org):
    user = UserFactory(authority=org["rpda"])
    user.groups.add(Group.objects.get(name=REVIEW_GROUP))
    return user


@pytest.fixture
def open_catalog(catalog):
    catalogue_permissions_ensure(catalog)
    return catalog


def course_form(title="Datenschutz im Verwaltungsalltag", **extra):
    return nested_form_data(
        {
            "title": title,
            "slug": "datenschutz-im-verwaltungsalltag",
            "summary": "Was die DSGVO für die tägliche Arbeit bedeutet.",
            "objectives": rich_text("<ul><li>Rechtsgrundlagen kennen</li></ul>"),
            "target_group": "everyone",
            "duration_minutes": 30,
            "topics": "Datenschutz",
            "prerequisites": "",
            "language": "de",
            "self_enrolment": "on",
            "completion_rule": "required",
            "validity_months": "",
            **extra,
        }
    )


def add_url(parent, model=CoursePage):
    return reverse(
        "wagtailadmin_pages:add",
        args=(model._meta.app_label, model._meta.model_name, parent.pk),
    )


def messages_of(response):
    return [str(m.message).strip() for m in get_messages(response.wsgi_request)]


def in_german(message):
    with translation.override("de"):
        return str(message)


# Structure


def test_the_page_tree_is_home_catalogue_course_lesson(catalog):
    home = HomePage.objects.first()
    course = add_course(catalog, lessons=1)
    lesson = lessons_of(course)[0]

    assert CatalogPage.can_create_at(home)
    assert not CoursePage.can_create_at(home)
    assert not LessonPage.can_create_at(home)

    assert CoursePage.can_create_at(catalog)
    assert not CatalogPage.can_create_at(catalog)
    assert not LessonPage.can_create_at(catalog)

    assert LessonPage.can_create_at(course)
    assert not CoursePage.can_create_at(course)

    assert not any(model.can_create_at(lesson) for model in (CatalogPage, CoursePage, LessonPage))
    assert LessonPage.allowed_subpage_models() == []
    assert CatalogPage.allowed_parent_page_models() == [HomePage]
    assert CoursePage.allowed_parent_page_models() == [CatalogPage]
    assert LessonPage.allowed_parent_page_models() == [CoursePage]


# Groups, workflow and permissions


def test_the_migration_creates_the_reviewers_and_the_review_workflow(db):
    reviewers = Group.objects.get(name=REVIEW_GROUP)
    assert reviewers.permissions.filter(codename="access_admin").exists()
    assert Group.objects.get(name="Trainer").permissions.filter(codename="access_admin").exists()

    workflow = Workflow.objects.get(name=REVIEW_WORKFLOW)
    assert workflow.active
    [task] = [t.specific for t in workflow.tasks]
    assert isinstance(task, GroupApprovalTask)
    assert task.name == REVIEW_TASK
    assert list(task.groups.all()) == [reviewers]


def test_catalogue_permissions_are_made_once(catalog):
    catalogue_permissions_ensure(catalog)
    catalogue_permissions_ensure(catalog)

    granted = {
        (p.group.name, p.permission.codename)
        for p in GroupPagePermission.objects.filter(page=catalog)
    }
    assert granted == {
        ("Trainer", "add_page"),
        ("Trainer", "change_page"),
        (REVIEW_GROUP, "add_page"),
        (REVIEW_GROUP, "change_page"),
        (REVIEW_GROUP, "publish_page"),
    }
    assert GroupPagePermission.objects.filter(page=catalog).count() == 5
    assert WorkflowPage.objects.get(page=catalog).workflow.name == REVIEW_WORKFLOW
    assert catalog.get_workflow().name == REVIEW_WORKFLOW


def test_a_catalogue_created_in_the_admin_gets_the_permissions(client, centre_admin):
    home = HomePage.objects.first()
    client.force_login(centre_admin)
    response = client.post(
        add_url(home, CatalogPage),
        nested_form_data(
            {"title": "Kurse", "slug": "kurse", "intro": rich_text(""), "action-publish": "1"}
        ),
    )
    assert response.status_code == 302
    catalog = CatalogPage.objects.get(slug="kurse")
    assert GroupPagePermission.objects.filter(page=catalog).count() == 5
    assert catalog.get_workflow().name == REVIEW_WORKFLOW


# Writing and reviewing a course


def test_a_trainer_writes_a_course_and_submits_it_for_review(client, trainer, open_catalog):
    client.force_login(trainer)
    response = client.post(add_url(open_catalog), course_form(**{"action-submit": "1"}))
    assert response.status_code == 302, response.context["form"].errors

    course = CoursePage.objects.get(slug="datenschutz-im-verwaltungsalltag")
    assert not course.live
    assert course.owner == trainer
    state = WorkflowState.objects.for_instance(course).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == REVIEW_WORKFLOW
    assert state.current_task_state.task.name == REVIEW_TASK


def test_a_trainer_cannot_publish_directly(client, trainer, open_catalog):
    client.force_login(trainer)
    response = client.post(add_url(open_catalog), course_form(**{"action-publish": "1"}))
    assert response.status_code == 302

    # Saved as a draft, not published, and no review started either.
    course = CoursePage.objects.get(slug="datenschutz-im-verwaltungsalltag")
    assert not course.live
    assert course.get_latest_revision() is not None
    assert not WorkflowState.objects.for_instance(course).exists()


def test_a_trainer_cannot_write_outside_the_catalogue(client, trainer, open_catalog):
    client.force_login(trainer)
    home = HomePage.objects.first()
    response = client.post(
        add_url(home, CatalogPage),
        nested_form_data({"title": "Eigener Katalog", "slug": "eigener", "intro": rich_text("")}),
    )
    assert response.status_code in (302, 403)
    assert not CatalogPage.objects.filter(slug="eigener").exists()


def test_a_reviewer_approves_and_the_course_goes_live(client, trainer, reviewer, open_catalog):
    client.force_login(trainer)
    client.post(add_url(open_catalog), course_form(**{"action-submit": "1"}))
    course = CoursePage.objects.get(slug="datenschutz-im-verwaltungsalltag")
    task_state = course.current_workflow_task_state

    # The trainer cannot approve their own submission.
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(course.pk, "approve", task_state.pk)),
        {"comment": ""},
    )
    course.refresh_from_db()
    assert not course.live

    client.force_login(reviewer)
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(course.pk, "approve", task_state.pk)),
        {"comment": "Passt."},
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.live
    assert WorkflowState.objects.for_instance(course).get().status == (
        WorkflowState.STATUS_APPROVED
    )


def test_a_reviewer_can_reject(client, trainer, reviewer, open_catalog):
    client.force_login(trainer)
    client.post(add_url(open_catalog), course_form(**{"action-submit": "1"}))
    course = CoursePage.objects.get(slug="datenschutz-im-verwaltungsalltag")
    task_state = course.current_workflow_task_state

    client.force_login(reviewer)
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(course.pk, "reject", task_state.pk)),
        {"comment": "Bitte Lernziele ergänzen."},
    )
    course.refresh_from_db()
    assert not course.live
    assert WorkflowState.objects.for_instance(course).get().status == (
        WorkflowState.STATUS_NEEDS_CHANGES
    )


# Deleting


@pytest.fixture
def admin_client(client, centre_admin):
    client.force_login(centre_admin)
    return client


def delete(client, page):
    url = reverse("wagtailadmin_pages:delete", args=(page.pk,))
    return client.get(url), client.post(url)


def test_a_course_with_learners_cannot_be_deleted(admin_client, course, org):
    enrolment_create(user=UserFactory(authority=org["rpda"]), course=course)

    shown, posted = delete(admin_client, course)
    assert shown.status_code == 302
    assert posted.status_code == 302
    assert in_german(ERROR_COURSE_HAS_LEARNERS) in messages_of(posted)
    assert CoursePage.objects.filter(pk=course.pk).exists()
    assert Enrolment.objects.filter(course=course).exists()


def test_a_lesson_with_learners_cannot_be_deleted(admin_client, course, org):
    learner = UserFactory(authority=org["rpda"])
    enrolment_create(user=learner, course=course)
    first, _second = lessons_of(course)
    lesson_open(user=learner, lesson=first)

    _shown, posted = delete(admin_client, first)
    assert posted.status_code == 302
    assert in_german(ERROR_LESSON_HAS_LEARNERS) in messages_of(posted)
    assert LessonPage.objects.filter(pk=first.pk).exists()


def test_a_catalogue_whose_courses_have_learners_cannot_be_deleted(
    admin_client, catalog, course, org
):
    enrolment_create(user=UserFactory(authority=org["rpda"]), course=course)

    _shown, posted = delete(admin_client, catalog)
    assert posted.status_code == 302
    assert in_german(ERROR_PAGES_HAVE_LEARNERS) in messages_of(posted)
    assert Page.objects.filter(pk=catalog.pk).exists()


def test_bulk_deleting_a_course_with_learners_is_refused(admin_client, course, org):
    enrolment_create(user=UserFactory(authority=org["rpda"]), course=course)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete"))
    response = admin_client.post(f"{url}?id={course.pk}")
    assert response.status_code == 302
    assert in_german(ERROR_COURSE_HAS_LEARNERS) in messages_of(response)
    assert CoursePage.objects.filter(pk=course.pk).exists()


def test_a_course_nobody_has_taken_can_be_deleted(admin_client, catalog):
    course = add_course(catalog, title="Versehentlich angelegt", lessons=1)
    shown, posted = delete(admin_client, course)
    assert shown.status_code == 200
    assert posted.status_code == 302
    assert not CoursePage.objects.filter(pk=course.pk).exists()


def test_trainers_may_upload_images_and_documents_for_lessons(catalog):
    from courses.authoring import catalogue_permissions_ensure
    from tests.factories import UserFactory

    catalogue_permissions_ensure(catalog)
    trainer = UserFactory(roles=["trainer"])
    assert trainer.has_perm("wagtailimages.add_image") or _collection_perm(trainer, "add_image")
    assert _collection_perm(trainer, "add_document")


def _collection_perm(user, codename):
    from wagtail.models import GroupCollectionPermission

    return GroupCollectionPermission.objects.filter(
        group__user=user, permission__codename=codename
    ).exists()


# Quizzes


def listblock(items):
    return {
        "count": len(items),
        **{i: {"value": item, "deleted": "", "order": i} for i, item in enumerate(items)},
    }


def options(*pairs):
    return listblock(
        [{"text": text, "correct": "on" if right else "", "feedback": ""} for text, right in pairs]
    )


def quiz_form(questions, title="Abschlusstest Datenschutz", **extra):
    return nested_form_data(
        {
            "title": title,
            "slug": "abschlusstest",
            "intro": rich_text("<p>Zehn Minuten.</p>"),
            "questions": streamfield(questions),
            "pass_mark": 70,
            "required": "on",
            "max_attempts": 3,
            "wait_minutes": 0,
            "time_limit_minutes": "",
            "counting": "best",
            "review": "passed",
            "draw_count": "",
            "shuffle_options": "on",
            "questions_per_page": 4,
            **extra,
        }
    )


EVERY_QUESTION_TYPE = [
    (
        "single_choice",
        {
            "prompt": "Wer ist Verantwortlicher nach DSGVO?",
            "points": "2",
            "feedback": "",
            "options": options(("Die Behörde", True), ("Die Sachbearbeiterin", False)),
        },
    ),
    (
        "multiple_choice",
        {
            "prompt": "Welche sind personenbezogene Daten?",
            "points": "2",
            "feedback": "",
            "partial_credit": "on",
            "options": options(("Name", True), ("Steuer-ID", True), ("Aktenplan", False)),
        },
    ),
    (
        "true_false",
        {
            "prompt": "Eine Einwilligung ist immer nötig.",
            "points": "1",
            "feedback": "",
            "correct": "",
            "feedback_true": "",
            "feedback_false": "Richtig, es gibt andere Gründe.",
        },
    ),
    (
        "short_text",
        {
            "prompt": "Abkürzung der Verordnung?",
            "points": "1",
            "feedback": "",
            "accepted_answers": listblock(["DSGVO", "DS-GVO"]),
        },
    ),
    (
        "number",
        {
            "prompt": "Meldefrist bei Datenpannen in Stunden?",
            "points": "1",
            "feedback": "",
            "answer": "72",
            "tolerance": "",
            "unit": "Stunden",
        },
    ),
    (
        "ordering",
        {
            "prompt": "Ordnen Sie die Schritte.",
            "points": "1",
            "feedback": "",
            "partial_credit": "on",
            "items": listblock(["Erkennen", "Bewerten", "Melden"]),
        },
    ),
    (
        "matching",
        {
            "prompt": "Ordnen Sie zu.",
            "points": "1",
            "feedback": "",
            "partial_credit": "on",
            "pairs": listblock(
                [{"left": "Art. 15", "right": "Auskunft"}, {"left": "Art. 17", "right": "Löschung"}]
            ),
        },
    ),
]


def test_a_trainer_builds_a_quiz_with_every_question_type(client, trainer, open_catalog):
    from courses.models import QuizPage

    course = add_course(open_catalog, lessons=1)
    client.force_login(trainer)
    response = client.post(
        add_url(course, QuizPage), quiz_form(EVERY_QUESTION_TYPE, **{"action-submit": "1"})
    )
    assert response.status_code == 302, response.context["form"].errors
    quiz = QuizPage.objects.child_of(course).get()
    assert [block.block_type for block in quiz.questions] == [t for t, _v in EVERY_QUESTION_TYPE]
    # A draft of the course: it has no review of its own and goes live with the course.
    assert not quiz.live
    assert not WorkflowState.objects.for_instance(quiz).exists()

    # The trainer previews it, with and without the answers.
    preview = client.get(f"/admin/pages/{quiz.pk}/view_draft/?mode=answers").content.decode()
    assert "Die Behörde</strong>" in preview and "DS-GVO" in preview


def test_a_single_choice_question_with_two_right_answers_is_refused(client, trainer, open_catalog):
    from courses.models import QuizPage

    course = add_course(open_catalog, lessons=1)
    client.force_login(trainer)
    two_right = [
        (
            "single_choice",
            {
                "prompt": "Welche?",
                "points": "1",
                "feedback": "",
                "options": options(("A", True), ("B", True)),
            },
        )
    ]
    response = client.post(add_url(course, QuizPage), quiz_form(two_right))
    assert response.status_code == 200
    assert not QuizPage.objects.exists()
    assert "Markieren Sie genau eine Antwort als richtig." in response.content.decode()


def test_a_quiz_with_attempts_cannot_be_deleted(admin_client, course, org):
    from courses.authoring import ERROR_QUIZ_HAS_ATTEMPTS
    from courses.models import QuizAttempt, QuizPage
    from courses.quizzes.services import attempt_start
    from tests.courses.conftest import publish

    quiz = publish(
        course.add_child(
            instance=QuizPage(
                title="Test", questions=[("true_false", {"prompt": "Ja?", "points": 1})]
            )
        )
    )
    learner = UserFactory(authority=org["rpda"])
    enrolment_create(user=learner, course=course)
    attempt_start(user=learner, quiz=quiz)

    _shown, posted = delete(admin_client, quiz)
    assert posted.status_code == 302
    assert in_german(ERROR_QUIZ_HAS_ATTEMPTS) in messages_of(posted)
    assert QuizAttempt.objects.filter(quiz=quiz).exists()
