""" "Remind the overdue people now", for an assignment or the coordinator's whole scope.

The people are read from courses' scoped selector; the e-mails go out after the commit, in the
background, each at most once per course and day (lms.notifications.reminders).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request

from courses.assignments.permissions import assignment_policy
from courses.assignments.selectors import overdue_enrolments_visible_to

from .reminders import overdue_reminders_pending
from .tasks import overdue_reminders_send

MESSAGE_NOBODY = _("Everyone overdue here has already been reminded today.")


@require_POST
def remind_overdue(request):
    if not assignment_policy.user_has_permission(request.user, "change"):
        raise PermissionDenied
    assignment = None
    if request.GET.get("assignment"):
        visible = assignment_policy.instances_user_has_permission_for(request.user, "change")
        assignment = get_object_or_404(visible, pk=request.GET["assignment"])
    overdue = overdue_enrolments_visible_to(user=request.user, assignment=assignment)
    pending = overdue_reminders_pending(enrolments=overdue)
    people = len({enrolment.user_id for enrolment in pending})
    if pending:
        ids = [enrolment.pk for enrolment in pending]
        transaction.on_commit(lambda: overdue_reminders_send.delay(ids))
        messages.success(
            request,
            ngettext(
                "%(people)s person with overdue training is being reminded by e-mail.",
                "%(people)s people with overdue training are being reminded by e-mail.",
                people,
            )
            % {"people": number_format(people, force_grouping=True)},
        )
    else:
        messages.info(request, MESSAGE_NOBODY)
    return redirect(get_valid_next_url_from_request(request) or "wagtailadmin_home")
