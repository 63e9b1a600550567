"""The coordinator's start in the admin: how many people in their scope are overdue with
mandatory training, with the way to the list of them."""

from django.middleware.csrf import get_token
from django.urls import reverse
from wagtail.admin.ui.components import Component

from .common import action_buttons
from .selectors import overdue_enrolments_visible_to


class OverdueTrainingPanel(Component):
    name = "overdue_training"
    template_name = "courses/admin/overdue_panel.html"
    order = 80

    def __init__(self, *, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        overdue = overdue_enrolments_visible_to(user=self.user)
        request = (parent_context or {}).get("request")
        return {
            "csrf_token": get_token(request) if request else "",
            "buttons": action_buttons(request, assignment=None),
            "enrolments": overdue.count(),
            "people": overdue.values("user_id").distinct().count(),
            "list_url": reverse("courses_assignments:overdue"),
        }
