"""The course cards of "Mein Lernen", the most requested page of all.

Each card is built here in one call rather than by some twenty template nodes per card: with
30 courses, the template's loops cost as much as everything else on the page together. The
words are the catalogue's (the same msgids the template used), the markup is the one the
stylesheet and the browser journeys know.
"""

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from courses.templatetags.course_tags import next_step_link, percent_done

register = template.Library()


def _short_date(value) -> str:
    # As the |date filter does: an aware moment in the local time zone first.
    return date_format(template_localtime(value), "SHORT_DATE_FORMAT")


def _with_date(message: str, value) -> str:
    """A translated sentence around a date, as {% blocktranslate %} fills it in: the words are
    the catalogue's, the date is escaped."""
    return mark_safe(gettext(message) % {"date": format_html("{}", _short_date(value))})  # noqa: S308


# One format string per kind of card, filled in by one format_html call (which escapes every
# value that is not already safe).
_HEADING = '<h4{lang}><a href="{url}">{title}</a></h4>'
_PROGRESS = (
    '<div class="progress"><progress id="progress-{pk}" max="100" value="{percent}"'
    ' aria-labelledby="progress-{pk}-text">{percent} %</progress>'
    '<span class="progress-text" id="progress-{pk}-text">{percent_text}</span></div>'
)
_CARDS = {
    "assigned": '<li class="dashboard-item{overdue}">'
    + _HEADING
    + "{due}"
    + _PROGRESS
    + "{step}</li>",
    "in_progress": '<li class="dashboard-item">' + _HEADING + _PROGRESS + "{step}</li>",
    "completed": '<li class="dashboard-item">'
    + _HEADING
    + '<p class="completed-date">{completed}</p>{step}</li>',
}


def _due(item):
    if not item.due_on:
        return ""
    if item.overdue:
        return format_html(
            '<p class="due-date is-overdue"><span class="badge badge-overdue">{}</span> {}</p>',
            gettext("Overdue"),
            _with_date("Was due by %(date)s", item.due_on),
        )
    return format_html('<p class="due-date">{}</p>', _with_date("Due by %(date)s", item.due_on))


@register.simple_tag(takes_context=True)
def dashboard_card(context, item, section):
    """One card (`item` a DashboardItem) of a section: "assigned", "in_progress", "completed"."""
    values = {
        "lang": (
            format_html(' lang="{}"', item.course_language)
            if item.course_language != context.get("LANGUAGE_CODE")
            else ""
        ),
        "url": item.course_url,
        "title": item.course_title,
        "step": next_step_link(item),
    }
    if section == "completed":
        values["completed"] = _with_date("Completed on %(date)s", item.completed_at)
    else:
        values.update(
            pk=item.pk,
            percent=item.progress_percent,
            percent_text=percent_done(item.progress_percent),
        )
    if section == "assigned":
        values.update(overdue=" is-overdue" if item.overdue else "", due=_due(item))
    return format_html(_CARDS[section], **values)
