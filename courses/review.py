"""Reviewing a course as one unit: the course with its lessons and quizzes.

Trainers submit the course to the workflow "Kursfreigabe"; its lessons and quizzes have no review
of their own (courses.models.CourseStepMixin) and are saved as drafts. Approving the course
publishes the course and, in the same transaction, every step waiting for it. Reviewers see
which steps these are on the dashboard, in the course editor and in the e-mail that asks for
the review. See docs/decisions/0017.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.models import Page

from .models import CoursePage, LessonPage, QuizPage

STEP_NEW = _("new")
STEP_CHANGED = _("changed")
STEP_BACK = _("published again")

MESSAGE_STEP_WAITS_FOR_COURSE = _(
    "“%(step)s” is saved as a draft of the course “%(course)s”. It goes live when the course "
    "is approved: submit the course for review."
)
MESSAGE_STEP_WAITS_FOR_REVIEW = _(
    "“%(step)s” is saved as a draft of the course “%(course)s”, which is in review: approving "
    "the course publishes it."
)


@dataclass(frozen=True)
class PendingStep:
    """A lesson or quiz that approving its course publishes, and why."""

    page: Page
    change: str

    @property
    def kind(self):
        return self.page.specific_class._meta.verbose_name


def _change_of(step: Page, *, course_live: bool):
    """Why approving the course would publish this step, or None if it would not.

    A new step and a live step with a draft go live. A step unpublished on its own while the
    course stayed live stays off until it is changed again; when the whole course was offline,
    its steps come back with it.
    """
    revision = step.latest_revision
    if revision is None:
        return None
    if step.live:
        return STEP_CHANGED if step.has_unpublished_changes else None
    if step.first_published_at is None:
        return STEP_NEW
    edited = step.last_published_at is None or revision.created_at > step.last_published_at
    return STEP_BACK if edited or not course_live else None


def course_steps_pending(*, course: Page) -> list[PendingStep]:
    """The course's lessons and quizzes, in their order, that approving the course publishes."""
    steps = (
        Page.objects.child_of(course)
        .type(LessonPage, QuizPage)
        .select_related("latest_revision")
        .order_by("path")
    )
    pending = []
    for step in steps:
        change = _change_of(step, course_live=course.live)
        if change is not None:
            pending.append(PendingStep(page=step, change=change))
    return pending


def course_of_step(*, page: Page) -> CoursePage | None:
    """The course a lesson or quiz belongs to; None for any other page."""
    page_class = page.specific_class
    if page_class is None or not issubclass(page_class, (LessonPage, QuizPage)):
        return None
    return CoursePage.objects.filter(path=page.path[: -page.steplen]).first()


@transaction.atomic
def course_publish(*, course: CoursePage, user=None) -> list[PendingStep]:
    """Publish the course's latest revision and the latest revisions of its waiting steps."""
    course = CoursePage.objects.select_for_update().get(pk=course.pk)
    pending = course_steps_pending(course=course)
    course.get_latest_revision().publish(user=user)
    for step in pending:
        step.page.latest_revision.publish(user=user)
    return pending


class AwaitingReviewPanel(WorkflowObjectsToModeratePanel):
    """The dashboard's "Awaiting your review", naming for each item its course and, for a
    course, the lessons and quizzes that approving it publishes."""

    template_name = "courses/admin/awaiting_review.html"

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        for state in context["states"]:
            obj = state["obj"]
            if not isinstance(obj, Page):
                continue
            if isinstance(obj.specific_deferred, CoursePage):
                state["course_steps"] = course_steps_pending(course=obj)
            else:
                state["course"] = course_of_step(page=obj)
        return context
