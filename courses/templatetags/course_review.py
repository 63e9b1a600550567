"""What approving a course publishes, for the review screens and e-mails (courses.review)."""

from django import template
from wagtail.models import Page

from courses.models import CoursePage
from courses.review import course_of_step, course_steps_pending

register = template.Library()


@register.simple_tag
def course_review_steps(page):
    """The lessons and quizzes that approving this course publishes; empty for other pages."""
    if isinstance(page, Page) and issubclass(page.specific_class, CoursePage):
        return course_steps_pending(course=page)
    return []


@register.simple_tag
def course_of(page):
    """The course of a lesson or quiz; None for other pages."""
    return course_of_step(page=page) if isinstance(page, Page) else None
