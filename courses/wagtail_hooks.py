from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.models import Page
from wagtail.permissions import register_permission_policy

import lms.converters  # noqa: F401  (registers the `id` path converter)

from .assignments.permissions import assignment_policy, rule_policy
from .assignments.viewsets import AssignmentRuleViewSet, AssignmentViewSet
from .authoring import catalogue_permissions_ensure, page_deletion_refusal
from .models import Assignment, AssignmentRule, CatalogPage, CoursePage, QuizPage
from .models.pages import CourseStepMixin
from .quizzes import admin_views as quiz_admin_views
from .quizzes.permissions import ANALYSE, quiz_analysis_policy
from .review import (
    MESSAGE_STEP_WAITS_FOR_COURSE,
    MESSAGE_STEP_WAITS_FOR_REVIEW,
    AwaitingReviewPanel,
    course_of_step,
)

# Mandatory training (courses.assignments): one permission policy for assignments and rules.

register_permission_policy(Assignment, assignment_policy)
register_permission_policy(AssignmentRule, rule_policy)


@hooks.register("register_admin_viewset")
def register_assignment_viewset():
    return AssignmentViewSet()


@hooks.register("register_admin_viewset")
def register_assignment_rule_viewset():
    return AssignmentRuleViewSet()


class CoordinatorMenuItem(MenuItem):
    def is_shown(self, request):
        return assignment_policy.user_has_permission(request.user, "add")


@hooks.register("register_admin_menu_item")
def register_mandatory_training_menu():
    menu = Menu(
        items=[
            CoordinatorMenuItem(
                _("Assign a course"),
                reverse("courses_assignments:add"),
                name="courses-assign",
                icon_name="clipboard-list",
                order=100,
            ),
            CoordinatorMenuItem(
                _("Assignments"),
                reverse("courses_assignments:index"),
                name="courses-assignments",
                icon_name="list-ul",
                order=150,
            ),
            CoordinatorMenuItem(
                _("Assignment rules"),
                reverse("courses_assignment_rules:index"),
                name="courses-assignment-rules",
                icon_name="tasks",
                order=200,
            ),
        ]
    )
    # Shown when any of its items is, i.e. to HR coordinators and centre admins.
    return SubmenuMenuItem(
        _("Mandatory training"),
        menu,
        name="mandatory-training",
        icon_name="calendar-check",
        order=350,
    )


@hooks.register("construct_homepage_panels")
def overdue_training_panel(request, panels):
    from .assignments.panels import OverdueTrainingPanel

    if assignment_policy.user_has_permission(request.user, "view"):
        panels.append(OverdueTrainingPanel(user=request.user))


# Authoring: a new catalogue gets the trainers' and reviewers' permissions and the review.


@hooks.register("after_create_page")
def catalogue_created(request, page):
    if isinstance(page.specific, CatalogPage):
        catalogue_permissions_ensure(page)


@hooks.register("after_copy_page")
def catalogue_copied(request, page, new_page):
    if isinstance(new_page.specific, CatalogPage):
        catalogue_permissions_ensure(new_page)


# Review: a course is reviewed and published with its lessons and quizzes (courses.review).


@hooks.register("construct_homepage_panels")
def course_review_panel(request, panels):
    panels[:] = [
        AwaitingReviewPanel() if type(panel) is WorkflowObjectsToModeratePanel else panel
        for panel in panels
    ]


def _is_step_class(page_class):
    return page_class is not None and issubclass(page_class, CourseStepMixin)


@hooks.register("construct_page_action_menu")
def steps_are_not_submitted_alone(menu_items, request, context):
    # A new lesson's editor asks its parent, the course, whether to offer the course's review.
    new_step = context.get("view") == "create" and isinstance(
        context.get("parent_page"), CoursePage
    )
    if new_step or _is_step_class(getattr(context.get("page"), "specific_class", None)):
        menu_items[:] = [item for item in menu_items if item.name != "action-submit"]


def _save_as_draft(request):
    if "action-submit" in request.POST:
        post = request.POST.copy()
        del post["action-submit"]
        request.POST = post


@hooks.register("before_create_page")
def new_steps_are_drafts(request, parent_page, page_class):
    # Wagtail would submit a new page to its parent's workflow; a step waits for its course.
    if _is_step_class(page_class):
        _save_as_draft(request)


@hooks.register("before_edit_page")
def steps_are_drafts(request, page):
    if _is_step_class(page.specific_class):
        _save_as_draft(request)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def step_waits_for_its_course(request, page):
    course = course_of_step(page=page)
    if course is None or not page.has_unpublished_changes:
        return
    text = (
        MESSAGE_STEP_WAITS_FOR_REVIEW
        if course.workflow_in_progress
        else MESSAGE_STEP_WAITS_FOR_COURSE
    )
    messages.info(
        request,
        text % {"step": page.get_admin_display_title(), "course": course.title},
        buttons=[
            messages.button(reverse("wagtailadmin_pages:edit", args=(course.pk,)), _("Edit course"))
        ],
    )


# Courses and lessons that people have taken are unpublished, not deleted.


def _refuse(request, reason, page):
    messages.error(request, reason)
    next_url = get_valid_next_url_from_request(request)
    if next_url:
        return redirect(next_url)
    parent = page.get_parent()
    return redirect("wagtailadmin_explore", parent.pk if parent else page.pk)


@hooks.register("before_delete_page")
def refuse_deleting_taken_courses(request, page):
    reason = page_deletion_refusal(page=page)
    if reason:
        return _refuse(request, reason, page)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_taken_courses(request, action_type, objects, action_class_instance):
    if action_type != "delete":
        return None
    for obj in objects:
        reason = isinstance(obj, Page) and page_deletion_refusal(page=obj)
        if reason:
            return _refuse(request, reason, obj)
    return None


# Quiz analysis (Reports › Quiz analysis), for the people who may edit the quiz.


@hooks.register("register_admin_urls")
def register_quiz_analysis_urls():
    return [
        path(
            "courses/quiz-analysis/",
            quiz_admin_views.QuizAnalysisIndexView.as_view(),
            name="courses_quiz_analysis_index",
        ),
        path(
            "courses/quiz-analysis/<id:quiz_id>/",
            quiz_admin_views.QuizAnalysisView.as_view(),
            name="courses_quiz_analysis",
        ),
    ]


class QuizAnalysisMenuItem(MenuItem):
    def is_shown(self, request):
        return quiz_analysis_policy.user_has_permission(request.user, ANALYSE)


@hooks.register("register_reports_menu_item")
def register_quiz_analysis_menu_item():
    return QuizAnalysisMenuItem(
        _("Quiz analysis"),
        reverse("courses_quiz_analysis_index"),
        name="quiz-analysis",
        icon_name="table",
        order=1300,
    )


class QuizAnalysisButton(PageMenuItem):
    label = _("Quiz analysis")
    icon_name = "table"
    url_name = "courses_quiz_analysis"

    def is_shown(self, user):
        page_class = self.page.specific_class
        return (
            page_class is not None
            and issubclass(page_class, QuizPage)
            and quiz_analysis_policy.user_has_permission_for_instance(user, ANALYSE, self.page)
        )


@hooks.register("register_page_header_buttons")
def quiz_analysis_header_button(page, user, view_name, next_url=None):
    yield QuizAnalysisButton(page=page, priority=66)


@hooks.register("register_page_listing_more_buttons")
def quiz_analysis_listing_button(page, user, next_url=None):
    yield QuizAnalysisButton(page=page, priority=55)


# The page editor and the trainer's dashboard.


@hooks.register("register_admin_viewset")
def register_page_editing():
    from .page_editing import page_viewsets

    return page_viewsets()


@hooks.register("construct_homepage_panels")
def course_authoring_panel(request, panels):
    from .dashboard import CourseAuthoringPanel, catalogues_writable_by

    catalogues = catalogues_writable_by(user=request.user)
    if catalogues:
        panels.append(CourseAuthoringPanel(catalogues=catalogues))
