"""Mandatory training in the Wagtail admin: assign a course, and keep standing assignment rules.

The screens work in two steps: the first submit says in words what confirming will do (how many
people, how many of them already have the course, when a recurring course starts again) and
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
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, Table, TitleColumn

from . import messages as msg
from .assignments.selectors import (
    AssignmentPreview,
    RulePreview,
    assignment_preview,
    assignment_rule_preview,
    assignment_rules_visible_to,
    assignments_visible_to,
    recurrence_lead_days,
)
from .assignments.services import (
    assignment_create,
    assignment_rule_create,
    assignment_rule_deactivate,
    assignment_rule_update,
)
from .forms import AssignmentForm, AssignmentRuleEditForm, AssignmentRuleForm, field_label
from .models import Assignment, AssignmentRule
from .models.assignments import recurrence_text

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


RULE_INACTIVE = _(
    "The rule will be inactive: it assigns the course to nobody who joins and starts no new "
    "rounds. What it assigned stays."
)


def _n(number) -> str:
    """A count as people read it in their language: 1.240 in German, 1,240 in English."""
    return number_format(number, force_grouping=True)


def _completed_sentence(preview: AssignmentPreview) -> list[str]:
    if not preview.completed:
        return []
    return [
        ngettext(
            "%(count)s of them has already completed it; the completion stays.",
            "%(count)s of them have already completed it; the completion stays.",
            preview.completed,
        )
        % {"count": _n(preview.completed)}
    ]


def assignment_preview_sentences(preview: AssignmentPreview) -> list[str]:
    """What assigning does, in words: "This assigns the course to 1,240 people (12 of them
    already enrolled)." and how many of those completed it."""
    values = {"count": _n(preview.people), "enrolled": _n(preview.enrolled)}
    if preview.enrolled:
        first = ngettext(
            "This assigns the course to %(count)s person (%(enrolled)s of them already enrolled).",
            "This assigns the course to %(count)s people (%(enrolled)s of them already enrolled).",
            preview.people,
        )
    else:
        first = ngettext(
            "This assigns the course to %(count)s person.",
            "This assigns the course to %(count)s people.",
            preview.people,
        )
    return [first % values, *_completed_sentence(preview)]


def _recurrence_sentences(preview: RulePreview) -> list[str]:
    months = preview.recurrence_months
    if not months:
        return []
    days = recurrence_lead_days(months)
    sentences = [
        ngettext(
            "The course is due again %(months)s month after each completion.",
            "The course is due again %(months)s months after each completion.",
            months,
        )
        % {"months": _n(months)},
        ngettext(
            "The new round starts %(days)s day before.",
            "The new round starts %(days)s days before.",
            days,
        )
        % {"days": _n(days)},
    ]
    if preview.renew_now:
        sentences.append(
            ngettext(
                "For %(count)s person who completed it long enough ago, the new round starts now.",
                "For %(count)s people who completed it long enough ago, the new round starts now.",
                preview.renew_now,
            )
            % {"count": _n(preview.renew_now)}
        )
    if preview.next_round_on:
        sentences.append(
            _("The next new round starts on %(date)s.")
            % {"date": date_format(preview.next_round_on, "SHORT_DATE_FORMAT")}
        )
    return sentences


def rule_preview_sentences(preview: RulePreview, *, applies_now: bool = True) -> list[str]:
    """What saving a rule does, in words: "This rule assigns the course to 1,240 people (12 of
    them already enrolled), and later to everyone who joins.", how many of those completed it,
    and for a recurrence when the new rounds start. `applies_now` is False for a rule that is
    active already and stays so: it reached its people before."""
    values = {"count": _n(preview.people), "enrolled": _n(preview.enrolled)}
    if not applies_now:
        first = ngettext(
            "The rule covers %(count)s person now (%(enrolled)s of them enrolled); "
            "a changed number of days applies to people who join from now on.",
            "The rule covers %(count)s people now (%(enrolled)s of them enrolled); "
            "a changed number of days applies to people who join from now on.",
            preview.people,
        )
    elif preview.enrolled:
        first = ngettext(
            "This rule assigns the course to %(count)s person (%(enrolled)s of them already "
            "enrolled), and later to everyone who joins.",
            "This rule assigns the course to %(count)s people (%(enrolled)s of them already "
            "enrolled), and later to everyone who joins.",
            preview.people,
        )
    else:
        first = ngettext(
            "This rule assigns the course to %(count)s person, and later to everyone who joins.",
            "This rule assigns the course to %(count)s people, and later to everyone who joins.",
            preview.people,
        )
    return [first % values, *_completed_sentence(preview), *_recurrence_sentences(preview)]


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
        effect = assignment_preview(
            course=data["course"], people=people, authority=data["authority"]
        )
        count = effect.people
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
                    % {"course": data["course"].title, "count": _n(count)},
                )
                return redirect("courses_assignments")
        elif step == "preview":
            sentences = assignment_preview_sentences(effect)
            preview = {
                "message": " ".join(sentences),
                "sentences": sentences,
                "effect": effect,
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
        "header_title": _("Assign a course"),
        "header_icon": "clipboard-list",
    }
    return TemplateResponse(request, "courses/admin/assignments.html", context)


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


@coordinators_only
def assignment_rules(request):
    """Create a standing rule (preview, then confirm) and list the rules in the user's scope."""
    posted = request.method == "POST"
    form = AssignmentRuleForm(request.POST if posted else None, user=request.user)
    preview = None
    if posted and form.is_valid():
        data = form.cleaned_data
        step = _step(request)
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
    items, page_range = _page_of(request, assignment_rules_visible_to(user=request.user))
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
    rule = get_object_or_404(assignment_rules_visible_to(user=request.user), pk=rule_id)
    posted = request.method == "POST"
    form = AssignmentRuleEditForm.for_rule(rule, request.POST if posted else None)
    preview = None
    if posted and form.is_valid():
        data = form.cleaned_data
        step = _step(request)
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
                _add_service_error(form, error)
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
