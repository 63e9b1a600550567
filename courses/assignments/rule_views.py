"""Standing assignment rules in the admin: create, edit and deactivate, each with a preview in
words before anything is saved; the list is the viewset's (viewsets.py). Rules outside the
coordinator's scope do not exist for them."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from .. import messages as msg
from ..models import AssignmentRule
from ..models.assignments import recurrence_text
from .common import coordinators_only, saved_or_refused, step_of
from .forms import AssignmentRuleEditForm, AssignmentRuleForm, field_label
from .permissions import rule_policy
from .selectors import assignment_rule_preview
from .sentences import RULE_INACTIVE, rule_preview_sentences
from .services import assignment_rule_create, assignment_rule_deactivate, assignment_rule_update


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


def _saved(course, authority):
    return _("The rule for “%(course)s” in %(authority)s was saved.") % {
        "course": course.title,
        "authority": authority,
    }


def rules_of(request):
    return rule_policy.instances_user_has_permission_for(request.user, "change")


def _rule_screen(request, form, *, save, saved, preview, template, title, **extra):
    """The two steps of a rule: a valid post shows `preview(data)`; confirmed, `save(data)`
    runs and the list follows with the message `saved(data)`."""
    shown = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        step = step_of(request)
        if step == "confirm":
            done = saved_or_refused(
                request,
                form,
                lambda: save(data),
                message=lambda _rule: saved(data),
                then="courses_assignment_rules:index",
            )
            if done:
                return done
        elif step == "preview":
            shown = preview(data)
    context = {
        "form": form,
        "preview": shown,
        "page_title": title,
        "header_title": title,
        "header_icon": "tasks",
        **extra,
    }
    return TemplateResponse(request, template, context)


@coordinators_only
def assignment_rule_add(request):
    """Create a standing rule: preview, then confirm."""
    posted = request.method == "POST"
    form = AssignmentRuleForm(request.POST if posted else None, user=request.user)
    return _rule_screen(
        request,
        form,
        save=lambda data: assignment_rule_create(
            by=request.user,
            course=data["course"],
            authority=data["authority"],
            due_after_days=data["due_after_days"],
            recurrence_months=data["recurrence_months"],
        ),
        saved=lambda data: _saved(data["course"], data["authority"]),
        preview=lambda data: {
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
        },
        template="courses/admin/assignment_rule_add.html",
        title=_("New assignment rule"),
    )


@coordinators_only
def assignment_rule_edit(request, pk):
    """Change a rule's days, recurrence or status (preview, then confirm); rules outside the
    user's scope do not exist for them."""
    rule = get_object_or_404(rules_of(request), pk=pk)
    posted = request.method == "POST"
    form = AssignmentRuleEditForm.for_rule(rule, request.POST if posted else None)
    return _rule_screen(
        request,
        form,
        save=lambda data: assignment_rule_update(
            by=request.user,
            rule=rule,
            due_after_days=data["due_after_days"],
            recurrence_months=data["recurrence_months"],
            active=data["active"],
        ),
        saved=lambda data: _saved(rule.course, rule.authority),
        preview=lambda data: {
            **_rule_preview(
                course=rule.course,
                authority=rule.authority,
                recurrence_months=data["recurrence_months"],
                applies_now=not rule.active,
                active=data["active"],
            ),
            "due_after_days": data["due_after_days"],
            "active": data["active"],
        },
        template="courses/admin/assignment_rule_edit.html",
        title=_("Edit assignment rule"),
        rule=rule,
        labels={
            "course": field_label(AssignmentRule, "course"),
            "authority": field_label(AssignmentRule, "authority"),
        },
        page_subtitle=rule.course.title,
    )


@require_POST
@coordinators_only
def assignment_rule_deactivate_view(request, pk):
    rule = get_object_or_404(rules_of(request), pk=pk)
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
    return redirect("courses_assignment_rules:index")
