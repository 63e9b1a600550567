from django.db.models.signals import pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from lms.people.signals import people_joined_authorities


@receiver(people_joined_authorities)
def apply_assignment_rules(sender, people, joined_at, **kwargs):
    """People imported or moved into a part of the organisation get its mandatory courses."""
    from .services import assignment_rules_apply_to

    assignment_rules_apply_to(people=people, joined_at=joined_at)


def _forget_lessons_of(page):
    from .models import LessonPage, QuizPage
    from .selectors import course_lessons_forget

    kinds = (LessonPage, QuizPage)
    if isinstance(page, kinds) or getattr(page, "specific_class", None) in kinds:
        parent_path = page.path[: -page.steplen]
        from .models import CoursePage

        for course_id in CoursePage.objects.filter(path=parent_path).values_list("pk", flat=True):
            course_lessons_forget(course_id=course_id)


@receiver(page_published)
@receiver(page_unpublished)
def forget_lessons_on_publishing(sender, instance, **kwargs):
    _forget_lessons_of(instance)


@receiver(post_page_move)
def forget_lessons_on_move(sender, instance, parent_page_before, parent_page_after, **kwargs):
    from .selectors import course_lessons_forget

    for parent in (parent_page_before, parent_page_after):
        course_lessons_forget(course_id=parent.pk)


@receiver(pre_delete)
def forget_lessons_on_delete(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        _forget_lessons_of(instance)
