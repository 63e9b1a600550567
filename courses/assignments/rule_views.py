"""Standing assignment rules in the admin: list, create, edit and deactivate, each with a preview
in words before anything is saved. Rules outside the coordinator's scope do not exist for them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, Table, TitleColumn

from .. import messages as msg
from ..models import AssignmentRule
from ..models.assignments import recurrence_text
from .common import SubmitButtonColumn, add_service_error, coordinators_only, page_of, step_of
from .forms import AssignmentRuleEditForm, AssignmentRuleForm, field_label
from .permissions import rule_policy
from .selectors import assignment_rule_preview
from .sentences import RULE_INACTIVE, rule_preview_sentences
from .services import assignment_rule_create, assignment_rule_deactivate, assignment_rule_update


def _rules_table(items):
    return Table(
        [
            TitleColumn(
                "course",
                label=field_label(AssignmentRule, "course"),
                accessor="course.title",
                get_url=lambda r: reverse("courses_assignment_rule_edit", args=[r.pk]),
            ),
            Column(
                "authority",
                label=field_label(AssignmentRule, "authority"),
                accessor=lambda r: str(r.authority),
            ),
            Column("due_after_days", label=field_label(AssignmentRule, "due_after_days")),
            Column(
                "recurrence",
                label=_("Recurrence"),
                accessor=lambda r: r.recurrence_display(),
            ),
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


def _rule_preview(*, course, authority, recurrence_months, applies_now=True, active=True):
    effect = assignment_rule_preview(
        authority=authority,
        course=course,
        recurrence_months=recurrence_months if active else None,
    )
    if active:
        sentences = rule_preview_sentences(effect, applies_now=applies_now)
    else:
        sentences = [str(RULE_INACTIVE)]
    return {
        "message": " ".join(sentences),
        "sentences": sentences,
        "effect": effect,
        "count": effect.people,
        "recurrence": recurrence_text(recurrence_months),
    }


def _rules_of(request):
    return rule_policy.instances_user_has_permission_for(request.user, "change")


@coordinators_only
def assignment_rules(request):
    """Create a standing rule (preview, then confirm) and list the rules in the user's scope."""
    posted = request.method == "POST"
    form = AssignmentRuleForm(request.POST if posted else None, user=request.user)
    preview = None
    if posted and form.is_valid():
        data = form.cleaned_data
        step = step_of(request)
        if step == "confirm":
            try:
                assignment_rule_create(
                    by=request.user,
                    course=data["course"],
                    authority=data["authority"],
                    due_after_days=data["due_after_days"],
                    recurrence_months=data["recurrence_months"],
                )
            except (ValidationError, PermissionDenied) as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("The rule for “%(course)s” in %(authority)s was saved.")
                    % {"course": data["course"].title, "authority": data["authority"]},
                )
                return redirect("courses_assignment_rules")
        elif step == "preview":
            preview = {
                **_rule_preview(
                    course=data["course"],
                    authority=data["authority"],
                    recurrence_months=data["recurrence_months"],
                ),
                "course": data["course"],
                "authority": data["authority"],
                "due_after_days": data["due_after_days"],
                "replaces": AssignmentRule.objects.filter(
                    course=data["course"], authority=data["authority"]
                ).exists(),
            }
    items, page_range = page_of(request, _rules_of(request))
    context = {
        "form": form,
        "preview": preview,
        "table": _rules_table(items),
        "items": items,
        "elided_page_range": page_range,
        "page_title": _("Assignment rules"),
        "header_title": _("Assignment rules"),
        "header_icon": "tasks",
    }
    return TemplateResponse(request, "courses/admin/assignment_rules.html", context)


@coordinators_only
def assignment_rule_edit(request, rule_id):
    """Change a rule's days, recurrence or status (preview, then confirm); rules outside the
    user's scope do not exist for them."""
    rule = get_object_or_404(_rules_of(request), pk=rule_id)
    posted = request.method == "POST"
    form = AssignmentRuleEditForm.for_rule(rule, request.POST if posted else None)
    preview = None
    if posted and form.is_valid():
        data = form.cleaned_data
        step = step_of(request)
        if step == "confirm":
            try:
                assignment_rule_update(
                    by=request.user,
                    rule=rule,
                    due_after_days=data["due_after_days"],
                    recurrence_months=data["recurrence_months"],
                    active=data["active"],
                )
            except (ValidationError, PermissionDenied) as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("The rule for “%(course)s” in %(authority)s was saved.")
                    % {"course": rule.course.title, "authority": rule.authority},
                )
                return redirect("courses_assignment_rules")
        elif step == "preview":
            preview = {
                **_rule_preview(
                    course=rule.course,
                    authority=rule.authority,
                    recurrence_months=data["recurrence_months"],
                    applies_now=not rule.active,
                    active=data["active"],
                ),
                "due_after_days": data["due_after_days"],
                "active": data["active"],
            }
    context = {
        "form": form,
        "preview": preview,
        "rule": rule,
        "labels": {
            "course": field_label(AssignmentRule, "course"),
            "authority": field_label(AssignmentRule, "authority"),
        },
        "page_title": _("Edit assignment rule"),
        "header_title": _("Edit assignment rule"),
        "page_subtitle": rule.course.title,
        "header_icon": "tasks",
    }
    return TemplateResponse(request, "courses/admin/assignment_rule_edit.html", context)


@require_POST
@coordinators_only
def assignment_rule_deactivate_view(request, rule_id):
    rule = get_object_or_404(_rules_of(request), pk=rule_id)
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
