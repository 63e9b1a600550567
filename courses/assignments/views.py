"""Assignments in the admin: assign a course (preview, then confirm), list them, and on an
assignment's page change its due date, extend it for one person, or withdraw it.

Every view reads its assignment through the area's permission policy, so one outside the
coordinator's scope is not found (404); the services check the scope again before writing.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, Table, TitleColumn

from ..models import Assignment, AssignmentChange, Enrolment
from .common import (
    action_buttons,
    add_service_error,
    coordinators_only,
    page_of,
    person_columns,
    saved_or_refused,
    step_of,
)
from .forms import AssignmentDueForm, AssignmentForm, ExtensionForm, WithdrawForm, field_label
from .permissions import assignment_policy
from .selectors import (
    PICKER_PAGE_SIZE,
    assignment_changes,
    assignment_enrolments,
    assignment_preview,
    people_matching,
)
from .sentences import assignment_preview_sentences, number_text
from .services import (
    assignment_create,
    assignment_due_change,
    assignment_withdraw,
    enrolment_due_extend,
)


def short_date(day):
    return date_format(day, "SHORT_DATE_FORMAT") if day else "–"


def target_of(assignment):
    if assignment.authority_id is None:
        return _("Selected people")
    return str(assignment.authority)


def status_of(assignment):
    return _("Withdrawn") if assignment.is_withdrawn else _("Active")


def visible_assignments(request, action="change"):
    return assignment_policy.instances_user_has_permission_for(request.user, action)


def _assignments_table(items):
    return Table(
        [
            TitleColumn(
                "course",
                label=field_label(Assignment, "course"),
                accessor="course.title",
                get_url=lambda a: reverse("courses_assignments:inspect", args=[a.pk]),
            ),
            Column("target", label=_("Assigned to"), accessor=target_of),
            Column("due_on", label=_("Due date"), accessor=lambda a: short_date(a.due_on)),
            Column("people_count", label=_("People")),
            Column("status", label=_("Status"), accessor=status_of),
            Column("created_by", label=_("Created by"), accessor="created_by"),
            Column(
                "created_at",
                label=_("Created on"),
                accessor=lambda a: short_date(timezone.localtime(a.created_at)),
            ),
        ],
        items,
        caption=_("Assignments"),
    )


def _picker(request, *, source):
    """The people picker's query and page of results, from the form (no JavaScript) or the
    search endpoint."""
    query = (source.get("people_q") or source.get("q") or "").strip()[:200]
    found = None
    if query:
        paginator = Paginator(people_matching(viewer=request.user, query=query), PICKER_PAGE_SIZE)
        found = paginator.get_page(source.get("people_page") or source.get("p"))
    return query, found


@coordinators_only
def assignment_add(request):
    """Assign a course (preview, then confirm); the list of assignments is shown below."""
    posted = request.method == "POST"
    searching = posted and ("search" in request.POST or "people_page" in request.POST)
    query, found = _picker(request, source=request.POST if posted else request.GET)
    picker = {
        "search_url": reverse("courses_assignments:people"),
        "query": query,
        "results": found,
    }
    if searching:
        # Without JavaScript: the same form again, with the search results to tick.
        initial = {name: request.POST.get(name) for name in ("course", "due_on", "authority")}
        initial["people"] = request.POST.getlist("people")
        form = AssignmentForm(initial=initial, user=request.user, **picker)
    else:
        form = AssignmentForm(request.POST if posted else None, user=request.user, **picker)
    preview = None
    if posted and not searching and form.is_valid():
        data = form.cleaned_data
        people = list(data["people"])
        effect = assignment_preview(
            course=data["course"], people=people, authority=data["authority"]
        )
        count = effect.people
        step = step_of(request)
        if step == "confirm":
            try:
                assignment = assignment_create(
                    by=request.user,
                    course=data["course"],
                    due_on=data["due_on"],
                    people=people,
                    authority=data["authority"],
                )
            except (ValidationError, PermissionDenied) as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "“%(course)s” was assigned to %(count)s person.",
                        "“%(course)s” was assigned to %(count)s people.",
                        count,
                    )
                    % {"course": data["course"].title, "count": number_text(count)},
                    buttons=[
                        messages.button(
                            reverse("courses_assignments:inspect", args=[assignment.pk]),
                            _("Show"),
                        )
                    ],
                )
                return redirect("courses_assignments:add")
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
    items, page_range = page_of(request, visible_assignments(request))
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


@coordinators_only
def people_search(request):
    """One page of people in the coordinator's scope matching `q`, as the picker's checkboxes
    (an HTML fragment). Never anyone outside the scope."""
    query, found = _picker(request, source=request.GET)
    return TemplateResponse(
        request,
        "courses/admin/people_picker_results.html",
        {"query": query, "results": found, "name": "people", "chosen": []},
    )


def _people_table(items, *, assignment, can_change):
    today = timezone.localdate()

    def status(enrolment):
        if enrolment.is_complete:
            return _("Completed on %(date)s") % {
                "date": short_date(timezone.localtime(enrolment.completed_at))
            }
        if enrolment.is_overdue(today):
            return _("Overdue")
        return _("Open")

    columns = [
        *person_columns(),
        Column("due_on", label=_("Due date"), accessor=lambda e: short_date(e.due_on)),
        Column("status", label=_("Status"), accessor=status),
    ]
    if can_change:
        columns.append(
            TitleColumn(
                "extend",
                label=_("Actions"),
                accessor=lambda e: "" if e.is_complete else _("Extend"),
                get_url=lambda e: (
                    None
                    if e.is_complete
                    else reverse("courses_assignments:extend", args=[assignment.pk, e.pk])
                ),
            )
        )
    return Table(columns, items, caption=_("People"))


def _changes_table(changes):
    def what(change):
        if change.kind == AssignmentChange.Kind.EXTENDED and change.enrolment_id:
            return _("%(change)s: %(person)s") % {
                "change": change.get_kind_display(),
                "person": change.enrolment.user.get_full_name(),
            }
        return change.get_kind_display()

    return Table(
        [
            Column(
                "changed_at",
                label=_("When"),
                accessor=lambda c: date_format(
                    timezone.localtime(c.changed_at), "SHORT_DATETIME_FORMAT"
                ),
            ),
            Column("changed_by", label=_("Who"), accessor="changed_by"),
            Column("kind", label=_("What changed"), accessor=what),
            Column(
                "dates",
                label=_("Due date"),
                accessor=lambda c: f"{short_date(c.old_due_on)} → {short_date(c.new_due_on)}",
            ),
            Column("reason", label=_("Reason")),
        ],
        changes,
        caption=_("Changes"),
    )


def _assignment_context(request, assignment, **extra):
    return {
        "assignment": assignment,
        "target": target_of(assignment),
        "page_subtitle": assignment.course.title,
        "header_icon": "clipboard-list",
        "index_url": reverse("courses_assignments:index"),
        **extra,
    }


@coordinators_only
def assignment_detail(request, pk):
    """An assignment's page: its people with their status, what was changed, and the actions."""
    assignment = get_object_or_404(visible_assignments(request, "view"), pk=pk)
    can_change = not assignment.is_withdrawn
    items, page_range = page_of(
        request, assignment_enrolments(assignment=assignment, viewer=request.user)
    )
    buttons = action_buttons(request, assignment=assignment) if can_change else []
    context = _assignment_context(
        request,
        assignment,
        status=status_of(assignment),
        can_change=can_change,
        people_table=_people_table(items, assignment=assignment, can_change=can_change),
        items=items,
        elided_page_range=page_range,
        changes_table=_changes_table(assignment_changes(assignment=assignment)),
        extra_buttons=buttons,
        page_title=_("Assignment"),
        header_title=_("Assignment"),
    )
    return TemplateResponse(request, "courses/admin/assignment_detail.html", context)


def _changeable(request, pk):
    assignment = get_object_or_404(visible_assignments(request), pk=pk)
    if assignment.is_withdrawn:
        messages.error(request, str(_("This assignment has been withdrawn.")))
        return assignment, redirect(_inspect_url(pk))
    return assignment, None


def _inspect_url(pk):
    return reverse("courses_assignments:inspect", args=[pk])


def _open_count(assignment):
    return Enrolment.objects.filter(assignment=assignment, completed_at__isnull=True).count()


def _posted(request):
    return request.POST if request.method == "POST" else None


def _change_screen(request, assignment, form, *, write, message, title, **extra):
    """One change to an assignment: on a valid post the service `write` runs and the
    assignment's page follows; otherwise the form, with what the change does."""
    if request.method == "POST" and form.is_valid():
        done = saved_or_refused(
            request, form, write, message=message, then=_inspect_url(assignment.pk)
        )
        if done:
            return done
    context = _assignment_context(
        request, assignment, form=form, page_title=title, header_title=title, **extra
    )
    return TemplateResponse(request, "courses/admin/assignment_change_form.html", context)


@coordinators_only
def assignment_due_edit(request, pk):
    """A new due date for everyone whose course from this assignment is still open."""
    assignment, refused = _changeable(request, pk)
    if refused:
        return refused
    form = AssignmentDueForm(_posted(request), initial={"due_on": assignment.due_on})
    open_count = _open_count(assignment)
    return _change_screen(
        request,
        assignment,
        form,
        write=lambda: assignment_due_change(
            by=request.user,
            assignment=assignment,
            due_on=form.cleaned_data["due_on"],
            reason=form.cleaned_data["reason"],
        ),
        message=lambda change: (
            ngettext(
                "The due date is now %(date)s, for %(count)s person.",
                "The due date is now %(date)s, for %(count)s people.",
                change.people,
            )
            % {"date": short_date(change.new_due_on), "count": number_text(change.people)}
        ),
        action_url=reverse("courses_assignments:edit", args=[pk]),
        explanation=ngettext(
            "The new date applies to %(count)s person whose course is still open; completed "
            "courses keep their date, and a longer extension for one person stays.",
            "The new date applies to %(count)s people whose course is still open; completed "
            "courses keep their date, and a longer extension for one person stays.",
            open_count,
        )
        % {"count": number_text(open_count)},
        submit_label=_("Change due date"),
        title=_("Change due date"),
    )


@coordinators_only
def enrolment_extend(request, pk, enrolment_id):
    """A later due date for one person, with a reason."""
    assignment, refused = _changeable(request, pk)
    if refused:
        return refused
    enrolment = get_object_or_404(
        assignment_enrolments(assignment=assignment, viewer=request.user), pk=enrolment_id
    )
    person = enrolment.user.get_full_name()
    form = ExtensionForm(_posted(request), initial={"due_on": enrolment.due_on})
    return _change_screen(
        request,
        assignment,
        form,
        write=lambda: enrolment_due_extend(
            by=request.user,
            assignment=assignment,
            enrolment=enrolment,
            due_on=form.cleaned_data["due_on"],
            reason=form.cleaned_data["reason"],
        ),
        message=lambda _change: (
            _("%(person)s now has until %(date)s.")
            % {"person": person, "date": short_date(form.cleaned_data["due_on"])}
        ),
        action_url=reverse("courses_assignments:extend", args=[pk, enrolment.pk]),
        explanation=_("%(person)s, currently due on %(date)s.")
        % {"person": person, "date": short_date(enrolment.due_on)},
        submit_label=_("Extend"),
        title=_("Extend the due date for one person"),
    )


@coordinators_only
def assignment_withdraw_view(request, pk):
    """Withdraw the assignment, after saying what that does to its open courses."""
    assignment, refused = _changeable(request, pk)
    if refused:
        return refused
    form = WithdrawForm(_posted(request))
    open_count = _open_count(assignment)
    return _change_screen(
        request,
        assignment,
        form,
        write=lambda: assignment_withdraw(
            by=request.user, assignment=assignment, reason=form.cleaned_data["reason"]
        ),
        message=lambda change: (
            ngettext(
                "The assignment was withdrawn; the course is no longer mandatory for "
                "%(count)s person.",
                "The assignment was withdrawn; the course is no longer mandatory for "
                "%(count)s people.",
                change.people,
            )
            % {"count": number_text(change.people)}
        ),
        action_url=reverse("courses_assignments:delete", args=[pk]),
        explanation=ngettext(
            "The course stops being mandatory for %(count)s person whose course is still open. "
            "If they have not started it, it is removed; if they have, it stays as their own "
            "course without a due date. Completed courses stay as they are. This cannot be "
            "undone.",
            "The course stops being mandatory for %(count)s people whose course is still open. "
            "If they have not started it, it is removed; if they have, it stays as their own "
            "course without a due date. Completed courses stay as they are. This cannot be "
            "undone.",
            open_count,
        )
        % {"count": number_text(open_count)},
        submit_label=_("Withdraw"),
        destructive=True,
        title=_("Withdraw assignment"),
    )
