"""The coordinator's start in the admin: how many people in their scope are overdue with
mandatory training, and the list of them."""

from django.middleware.csrf import get_token
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, Table, TitleColumn

from ..models import Assignment
from .common import action_buttons, coordinators_only, page_of, person_columns
from .forms import field_label
from .selectors import overdue_enrolments_visible_to
from .views import short_date


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


@coordinators_only
def overdue_list(request):
    """The people in the coordinator's scope who are overdue, with course and due date."""
    overdue = (
        overdue_enrolments_visible_to(user=request.user)
        .select_related("user", "user__authority", "course", "assignment")
        .order_by("due_on", "user__last_name", "user__first_name", "pk")
    )
    items, page_range = page_of(request, overdue)
    table = Table(
        [
            *person_columns(),
            TitleColumn(
                "course",
                label=field_label(Assignment, "course"),
                accessor="course.title",
                get_url=lambda e: (
                    reverse("courses_assignments:inspect", args=[e.assignment_id])
                    if e.assignment_id
                    else None
                ),
            ),
            Column("due_on", label=_("Due date"), accessor=lambda e: short_date(e.due_on)),
        ],
        items,
        caption=_("Overdue mandatory training"),
    )
    context = {
        "table": table,
        "items": items,
        "elided_page_range": page_range,
        "buttons": action_buttons(request, assignment=None),
        "page_title": _("Overdue mandatory training"),
        "header_title": _("Overdue mandatory training"),
        "header_icon": "warning",
    }
    return TemplateResponse(request, "courses/admin/overdue_list.html", context)
