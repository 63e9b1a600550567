"""Authoring courses: who may edit the catalogue, the review before publishing, and which pages
must not be deleted because learning records refer to them."""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from lms.people.roles import ROLE_GROUP_NAMES, Role

from .media import course_media_collection
from .models import (
    Assignment,
    AssignmentRule,
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
    ProgressEvent,
    QuizAttempt,
    QuizPage,
)

# Stable names, also created by migration 0002_review_workflow_and_permissions.
REVIEW_GROUP = "Kursprüfung"
REVIEW_WORKFLOW = "Kursfreigabe"
REVIEW_TASK = "Prüfung durch Kursprüfung"

# Page permissions on the catalogue, inherited by every course and lesson below it. Trainers
# write and submit for review; reviewers approve, which publishes.
CATALOGUE_PERMISSIONS = {
    ROLE_GROUP_NAMES[Role.TRAINER]: ("add", "change"),
    REVIEW_GROUP: ("add", "change", "publish"),
}

ERROR_COURSE_HAS_LEARNERS = _(
    "This course has learners and cannot be deleted. Unpublish it instead."
)
ERROR_LESSON_HAS_LEARNERS = _(
    "This lesson has learners and cannot be deleted. Unpublish it instead."
)
ERROR_QUIZ_HAS_ATTEMPTS = _(
    "This quiz has attempts by learners and cannot be deleted. Unpublish it instead."
)
ERROR_COURSE_IS_ASSIGNED = _(
    "This course is assigned as mandatory training and cannot be deleted. Unpublish it instead."
)
ERROR_PAGES_HAVE_LEARNERS = _(
    "Courses below this page have learners or are assigned as mandatory training, so it "
    "cannot be deleted. Unpublish it instead."
)


def _group(name) -> Group:
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return group


def review_workflow() -> Workflow:
    """The workflow "Kursfreigabe"; made again (with its task) if it was removed."""
    workflow = Workflow.objects.filter(name=REVIEW_WORKFLOW).first()
    if workflow is not None:
        return workflow
    task = GroupApprovalTask.objects.filter(name=REVIEW_TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=REVIEW_TASK)
        task.groups.set([_group(REVIEW_GROUP)])
    workflow = Workflow.objects.create(name=REVIEW_WORKFLOW)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


@transaction.atomic
def catalogue_permissions_ensure(catalog_page: Page) -> None:
    """Let trainers and reviewers work on this catalogue and route its pages through review.

    Idempotent: running it again adds nothing twice. A workflow an administrator already chose
    for the catalogue is kept.
    """
    page_type = ContentType.objects.get_for_model(Page)
    for group_name, permission_types in CATALOGUE_PERMISSIONS.items():
        group = _group(group_name)
        for permission_type in permission_types:
            permission = Permission.objects.get(
                content_type=page_type, codename=f"{permission_type}_page"
            )
            GroupPagePermission.objects.get_or_create(
                group=group, page_id=catalog_page.pk, permission=permission
            )
    WorkflowPage.objects.get_or_create(
        page_id=catalog_page.pk, defaults={"workflow": review_workflow()}
    )
    _media_permissions_ensure()


# Lessons show images and offer documents: authors upload and choose them.
MEDIA_PERMISSIONS = {
    "wagtailimages": ("add_image", "change_image", "choose_image"),
    "wagtaildocs": ("add_document", "change_document", "choose_document"),
}


def _media_permissions_ensure() -> None:
    # Images on "Kursmedien": on the root collection, the permissions would reach the
    # certificates' signature images too (courses.media).
    collections = {
        "wagtailimages": course_media_collection(),
        "wagtaildocs": Collection.get_first_root_node(),
    }
    for group_name in CATALOGUE_PERMISSIONS:
        group = _group(group_name)
        for app_label, codenames in MEDIA_PERMISSIONS.items():
            for codename in codenames:
                permission = Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=collections[app_label], permission=permission
                )


def page_deletion_refusal(*, page: Page) -> str | None:
    """Why this page (with the pages below it) must not be deleted, or None if it may be.

    Learning records and assignments keep courses and lessons (docs/decisions/0004): a course
    that has been taken is unpublished, never deleted.
    """
    ids = Page.objects.filter(path__startswith=page.path).values("pk")
    has_learners = (
        Enrolment.objects.filter(course_id__in=ids).exists()
        or LessonProgress.objects.filter(lesson_id__in=ids).exists()
        or ProgressEvent.objects.filter(Q(course_id__in=ids) | Q(lesson_id__in=ids)).exists()
        or QuizAttempt.objects.filter(quiz_id__in=ids).exists()
    )
    is_assigned = not has_learners and (
        Assignment.objects.filter(course_id__in=ids).exists()
        or AssignmentRule.objects.filter(course_id__in=ids).exists()
    )
    if not (has_learners or is_assigned):
        return None
    page_class = page.specific_class
    if page_class is not None and issubclass(page_class, LessonPage):
        return ERROR_LESSON_HAS_LEARNERS
    if page_class is not None and issubclass(page_class, QuizPage):
        return ERROR_QUIZ_HAS_ATTEMPTS
    if page_class is not None and issubclass(page_class, CoursePage):
        return ERROR_COURSE_HAS_LEARNERS if has_learners else ERROR_COURSE_IS_ASSIGNED
    return ERROR_PAGES_HAVE_LEARNERS
