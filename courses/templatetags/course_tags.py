"""Small look-ups on a course outline for the learner-facing templates."""

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy

register = template.Library()


@register.simple_tag
def lesson_nav(outline, lesson):
    """Where a lesson stands in its course: previous and next lesson, position and state.

    Works on the outline already loaded for the request, so it adds no queries. Returns None
    without an outline (an editor's preview), so templates can leave the progress controls out.
    """
    if not outline or not lesson:
        return None
    previous, following = outline.neighbours(lesson)
    ids = [state.lesson.pk for state in outline.lessons]
    state = lesson_state(outline, lesson)
    return {
        "previous": previous,
        "next": following,
        "position": ids.index(lesson.pk) + 1 if lesson.pk in ids else None,
        "total": len(ids),
        "done": bool(state and state.done),
        "opened": bool(state and state.opened),
    }


@register.simple_tag
def lesson_state(outline, lesson):
    """The LessonState of one lesson in the outline, or None if it is not (or no longer) there."""
    if not outline or not lesson:
        return None
    return next((state for state in outline.lessons if state.lesson.pk == lesson.pk), None)


# Cheaper than {% blocktranslate %} inside loops over many courses ("Mein Lernen").
@register.filter
def percent_done(percent):
    return gettext("%(percent)s %% done") % {"percent": percent}


@register.filter
def continue_with(title, language=None):
    """The "Continue with <lesson>" link text; a lesson title in another language than the page's is
    marked with its language, so that screen readers pronounce it right."""
    if (
        language
        and translation.get_supported_language_variant(
            translation.get_language() or settings.LANGUAGE_CODE
        )
        != language
    ):
        title = format_html('<span lang="{}">{}</span>', language, title)
    text = conditional_escape(gettext("Continue with %(lesson)s"))
    return mark_safe(text % {"lesson": conditional_escape(title)})  # noqa: S308 - both escaped


# The card's button for each kind of next step (courses.next_steps), with the course's name
# for screen readers; built here rather than by an include per card, "Mein Lernen" being the
# most requested page.
_STEP_BUTTONS = {
    "start": (gettext_lazy("Begin"), ""),
    "quiz": (gettext_lazy("Go to the final test"), ""),
    "certificate": (gettext_lazy("Certificate"), " (PDF)"),
}
_HIDDEN_COURSE = '<span class="visually-hidden">: {}</span>'


@register.simple_tag
def next_step_link(item):
    """The one next step of a card on "Mein Lernen"; `item` is a DashboardItem."""
    step = item.next_step
    if step is None:
        return ""
    if step.kind in _STEP_BUTTONS:
        label, suffix = _STEP_BUTTONS[step.kind]
        download = " download" if step.kind == "certificate" else ""
        body = format_html(
            '<a class="button" href="{}"' + download + ">{}" + _HIDDEN_COURSE + "{}</a>",
            step.url,
            label,
            item.course_title,
            suffix,
        )
    elif step.kind == "resume":
        body = format_html(
            '<a class="button" href="{}">{}</a>',
            step.url,
            continue_with(step.title, item.course_language),
        )
    elif step.kind == "certificate_pending":
        body = format_html(
            '<span class="certificate-pending" role="status">{}</span>',
            gettext(
                "Your certificate is being issued and will appear here in a few seconds. "
                "Reload the page to see it."
            ),
        )
    elif step.url:
        body = format_html(
            '<a href="{}">{}' + _HIDDEN_COURSE + "</a>",
            step.url,
            gettext("Go to the course"),
            item.course_title,
        )
    else:
        return ""
    return format_html(
        '<p class="next-step" id="next-step-{}" data-step="{}">{}</p>', item.pk, step.kind, body
    )
