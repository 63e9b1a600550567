"""What approving a workflow does (settings.WAGTAIL_FINISH_WORKFLOW_ACTION).

Wagtail imports this while its models load, so the imports wait for the call.
"""


def workflow_state_finish(workflow_state, user=None) -> None:
    """A course is published with its waiting lessons and quizzes (courses.review); anything
    else as Wagtail publishes it."""
    from wagtail.models import Page
    from wagtail.workflows import publish_workflow_state

    from .models import CoursePage
    from .review import course_publish

    content = workflow_state.content_object
    if isinstance(content, Page) and issubclass(content.specific_class, CoursePage):
        course_publish(course=content, user=user)
    else:
        publish_workflow_state(workflow_state, user=user)
