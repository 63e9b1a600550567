from django.db.models.signals import pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from lms.people.signals import people_joined_authorities
from lms.queueing import queue_after_commit


@receiver(people_joined_authorities)
def apply_assignment_rules(sender, people, joined_at, **kwargs):
    """People imported or moved into a part of the organisation get its mandatory courses."""
    from .assignments.services import assignment_rules_apply_to

    assignment_rules_apply_to(people=people, joined_at=joined_at)


def _forget_lessons_of(page):
    from .models import CoursePage, LessonPage, QuizPage
    from .selectors import course_lessons_forget

    if isinstance(page, CoursePage) or getattr(page, "specific_class", None) is CoursePage:
        # A new slug or place changes the addresses of the course's lessons.
        course_lessons_forget(course_id=page.pk)
        return
    kinds = (LessonPage, QuizPage)
    if isinstance(page, kinds) or getattr(page, "specific_class", None) in kinds:
        parent_path = page.path[: -page.steplen]
        for course_id in CoursePage.objects.filter(path=parent_path).values_list("pk", flat=True):
            course_lessons_forget(course_id=course_id)


@receiver(page_published)
@receiver(page_unpublished)
def forget_lessons_on_publishing(sender, instance, **kwargs):
    _forget_lessons_of(instance)


@receiver(page_published)
@receiver(page_unpublished)
def refresh_search_text_on_publishing(sender, instance, **kwargs):
    """The catalogue searches what is live: a course's own fields, its lessons and topics."""
    from .search import course_search_text_refresh

    course_search_text_refresh(page=instance)


@receiver(post_page_move)
def forget_lessons_on_move(sender, instance, parent_page_before, parent_page_after, **kwargs):
    from .search import course_search_text_update
    from .selectors import course_lessons_forget

    _forget_lessons_of(instance)
    for parent in (parent_page_before, parent_page_after):
        course_lessons_forget(course_id=parent.pk)
        course_search_text_update(course_id=parent.pk)  # does nothing unless it is a course


@receiver(pre_delete)
def forget_lessons_on_delete(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        _forget_lessons_of(instance)
        _refresh_search_text_after_delete(instance)


def _refresh_search_text_after_delete(page):
    """Once a lesson is gone, its course's search text no longer holds its words."""
    from .models import CoursePage, LessonPage
    from .search import course_search_text_update

    if not (isinstance(page, LessonPage) or getattr(page, "specific_class", None) is LessonPage):
        return
    parent_path = page.path[: -page.steplen]
    for course_id in CoursePage.objects.filter(path=parent_path).values_list("pk", flat=True):
        # After commit: while the deletion runs, the lesson (or the whole course) still exists.
        queue_after_commit(course_search_text_update, course_id=course_id)
