"""Mandatory training in the Wagtail admin: assign a course, and keep standing assignment rules.

Both screens work in two steps: the first submit shows how many people will be affected and
writes nothing; only "Confirm" calls the service. For HR coordinators and centre admins only.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, Table

from . import messages as msg
from .forms import AssignmentForm, AssignmentRuleForm, field_label
from .models import Assignment, AssignmentRule
from .selectors import (
    assignment_preview_count,
    assignment_rule_preview_count,
    assignment_rules_visible_to,
    assignments_visible_to,
)
from .services import assignment_create, assignment_rule_create, assignment_rule_deactivate

PAGE_SIZE = 25


def can_manage_assignments(user) -> bool:
    """HR coordinators and centre admins assign mandatory training."""
    return bool(user.is_authenticated and (user.is_hr or user.is_centre_admin))


def coordinators_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_manage_assignments(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _add_service_error(form, error):
    """A refusal by the service becomes a form error, never a server error."""
    if isinstance(error, ValidationError):
        form.add_error(None, error)
    else:
        form.add_error(None, error.args[0] if error.args else msg.ERROR_OUT_OF_SCOPE)


def _page_of(request, queryset):
    paginator = Paginator(queryset, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("p"))
    return page, paginator.get_elided_page_range(page.number)


def _target(assignment):
    if assignment.authority_id is None:
        return _("Selected people")
    return str(assignment.authority)


def _step(request):
    """Which step a valid form is in: "confirm", "preview", or None to keep editing."""
    if "confirm" in request.POST:
        return "confirm"
    if "edit" in request.POST:
        return None
    return "preview"


class SubmitButtonColumn(Column):
    """A cell with a small POST form, for actions such as deactivating a rule."""

    cell_template_name = "courses/admin/button_cell.html"

    def __init__(self, name, *, url, button_label, shown=None, **kwargs):
        super().__init__(name, **kwargs)
        self.url, self.button_label, self.shown = url, button_label, shown

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        shown = self.shown is None or self.shown(instance)
        context["action_url"] = self.url(instance) if shown else None
        context["button_label"] = self.button_label
        context["csrf_token"] = get_token(parent_context["request"])
        return context


def _assignments_table(items):
    return Table(
        [
            Column("course", label=field_label(Assignment, "course"), accessor="course.title"),
            Column("target", label=_("Assigned to"), accessor=_target),
            Column(
                "due_on",
                label=_("Due date"),
                accessor=lambda a: date_format(a.due_on, "SHORT_DATE_FORMAT"),
            ),
            Column("people_count", label=_("People")),
            Column("created_by", label=_("Created by"), accessor="created_by"),
            Column(
                "created_at",
                label=_("Created on"),
                accessor=lambda a: date_format(
                    timezone.localtime(a.created_at), "SHORT_DATE_FORMAT"
                ),
            ),
        ],
        items,
        caption=_("Assignments"),
    )


@coordinators_only
def assignments(request):
    """Assign a course (preview, then confirm) and list the assignments in the user's scope."""
    posted = request.method == "POST"
    form = AssignmentForm(request.POST if posted else None, user=request.user)
    preview = None
    if posted and form.is_valid():
        data = form.cleaned_data
        people = list(data["people"])
        count = assignment_preview_count(people=people, authority=data["authority"])
        step = _step(request)
        if step == "confirm":
            try:
                assignment_create(
                    by=request.user,
                    course=data["course"],
                    due_on=data["due_on"],
                    people=people,
                    authority=data["authority"],
                )
            except (ValidationError, PermissionDenied) as error:
                _add_service_error(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "“%(course)s” was assigned to %(count)s person.",
                        "“%(course)s” was assigned to %(count)s people.",
                        count,
                    )
                    % {"course": data["course"].title, "count": count},
                )
                return redirect("courses_assignments")
        elif step == "preview":
            preview = {
                "message": ngettext(
                    "This will assign %(count)s person.",
                    "This will assign %(count)s people.",
                    count,
                )
                % {"count": count},
                "count": count,
                "course": data["course"],
                "due_on": data["due_on"],
                "authority": data["authority"],
                "people": people,
            }
    items, page_range = _page_of(request, assignments_visible_to(user=request.user))
    context = {
        "form": form,
        "preview": preview,
        "table": _assignments_table(items),
        "items": items,
        "elided_page_range": page_range,
        "page_title": _("Assign a course"),
        "header_icon": "clipboard-list",
    }
    return TemplateResponse(request, "courses/admin/assignments.html", context)


def _rules_table(items):
    return Table(
        [
            Column("course", label=field_label(AssignmentRule, "course"), accessor="course.title"),
            Column(
                "authority",
                label=field_label(AssignmentRule, "authority"),
                accessor=lambda r: str(r.authority),
            ),
            Column("due_after_days", label=field_label(AssignmentRule, "due_after_days")),
            Column(
                "active",
                label=_("Status"),
                accessor=lambda r: _("Active") if r.active else _("Inactive"),
            ),
            Column("created_by", label=_("Created by"), accessor="created_by"),
            SubmitButtonColumn(
                "deactivate",
                label=_("Actions"),
                url=lambda r: reverse("courses_assignment_rule_deactivate", args=[r.pk]),
                button_label=_("Deactivate"),
                shown=lambda r: r.active,
            ),
        ],
        items,
        caption=_("Assignment rules"),
    )


@coordinators_only
def assignment_rules(request):
    """Create a standing rule (preview, then confirm) and list the rules in the user's scope."""
    posted = request.method == "POST"
    form = AssignmentRuleForm(request.POST if posted else None, user=request.user)
    preview = None
    if posted and form.is_valid():
        data = form.cleaned_data
        count = assignment_rule_preview_count(authority=data["authority"])
        step = _step(request)
        if step == "confirm":
            try:
                assignment_rule_create(
                    by=request.user,
                    course=data["course"],
                    authority=data["authority"],
                    due_after_days=data["due_after_days"],
                )
            except (ValidationError, PermissionDenied) as error:
                _add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("The rule for “%(course)s” in %(authority)s was saved.")
                    % {"course": data["course"].title, "authority": data["authority"]},
                )
                return redirect("courses_assignment_rules")
        elif step == "preview":
            preview = {
                "message": ngettext(
                    "This rule applies now to %(count)s person and later to everyone who joins.",
                    "This rule applies now to %(count)s people and later to everyone who joins.",
                    count,
                )
                % {"count": count},
                "count": count,
                "course": data["course"],
                "authority": data["authority"],
                "due_after_days": data["due_after_days"],
                "replaces": AssignmentRule.objects.filter(
                    course=data["course"], authority=data["authority"]
                ).exists(),
            }
    items, page_range = _page_of(request, assignment_rules_visible_to(user=request.user))
    context = {
        "form": form,
        "preview": preview,
        "table": _rules_table(items),
        "items": items,
        "elided_page_range": page_range,
        "page_title": _("Assignment rules"),
        "header_icon": "tasks",
    }
    return TemplateResponse(request, "courses/admin/assignment_rules.html", context)


@require_POST
@coordinators_only
def assignment_rule_deactivate_view(request, rule_id):
    rule = get_object_or_404(assignment_rules_visible_to(user=request.user), pk=rule_id)
    try:
        assignment_rule_deactivate(by=request.user, rule=rule)
    except PermissionDenied as error:
        messages.error(request, error.args[0] if error.args else msg.ERROR_OUT_OF_SCOPE)
    else:
        messages.success(
            request,
            _("The rule for “%(course)s” in %(authority)s was deactivated.")
            % {"course": rule.course.title, "authority": rule.authority},
        )
    return redirect("courses_assignment_rules")
