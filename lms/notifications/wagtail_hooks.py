from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from courses.assignments.common import ACTION_BUTTONS_HOOK, ActionButton

from . import admin_views


@hooks.register("register_admin_urls")
def register_reminder_urls():
    return [
        path(
            "notifications/remind-overdue/",
            admin_views.remind_overdue,
            name="notifications_remind_overdue",
        )
    ]


@hooks.register(ACTION_BUTTONS_HOOK)
def remind_overdue_button(request, assignment):
    """On an assignment's page, the overdue list and the dashboard panel."""
    params = {"next": request.get_full_path()}
    if assignment is not None:
        params["assignment"] = assignment.pk
    url = f"{reverse('notifications_remind_overdue')}?{urlencode(params)}"
    return [ActionButton(label=str(_("Remind the overdue people now")), url=url)]
