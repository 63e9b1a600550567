"""Pieces the mandatory-training screens share: the access check, paging, the two steps."""

from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column

from .. import messages as msg
from .permissions import can_manage_mandatory_training

PAGE_SIZE = 25

# Other apps add actions to an assignment's page and the overdue panel, e.g. lms.notifications
# "remind the overdue people now". Each hook function takes `request` and `assignment` (None:
# the whole scope) and returns ActionButtons; their forms are posted.
ACTION_BUTTONS_HOOK = "register_mandatory_training_actions"


@dataclass(frozen=True)
class ActionButton:
    label: str
    url: str


def action_buttons(request, *, assignment) -> list[ActionButton]:
    if request is None:
        return []
    return [
        button
        for hook in hooks.get_hooks(ACTION_BUTTONS_HOOK)
        for button in hook(request=request, assignment=assignment)
    ]


def coordinators_only(view):
    """HR coordinators and centre admins only (the area's permission policy decides who)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_manage_mandatory_training(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def add_service_error(form, error):
    """A refusal by the service becomes a form error, never a server error."""
    if isinstance(error, ValidationError):
        form.add_error(None, error)
    else:
        form.add_error(None, error.args[0] if error.args else msg.ERROR_OUT_OF_SCOPE)


def saved_or_refused(request, form, write, *, message, then):
    """Runs the service call `write`. A refusal becomes a form error and None is returned (the
    form is shown again); otherwise `message(result)` is shown and the redirect to `then`."""
    try:
        result = write()
    except (ValidationError, PermissionDenied) as error:
        add_service_error(form, error)
        return None
    messages.success(request, message(result))
    return redirect(then)


def page_of(request, queryset):
    paginator = Paginator(queryset, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("p"))
    return page, paginator.get_elided_page_range(page.number)


def step_of(request):
    """Which step a valid form is in: "confirm", "preview", or None to keep editing."""
    if "confirm" in request.POST:
        return "confirm"
    if "edit" in request.POST:
        return None
    return "preview"


def person_columns():
    """Name, e-mail address and authority of the person of an enrolment."""
    return [
        Column("name", label=_("Name"), accessor=lambda e: e.user.get_full_name()),
        Column("email", label=_("E-mail address"), accessor="user.email"),
        Column(
            "authority",
            label=_("Authority"),
            accessor=lambda e: e.user.authority.abbreviation if e.user.authority_id else "",
        ),
    ]


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
