"""Writes for mandatory training that the admin screens need beyond courses.services."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from lms.people.selectors import authorities_visible_to

from . import messages as msg
from .models import AssignmentRule


@transaction.atomic
def assignment_rule_deactivate(*, by, rule: AssignmentRule) -> AssignmentRule:
    """Stop a rule applying to people who join later; enrolments it made stay as they are."""
    if not authorities_visible_to(user=by).filter(pk=rule.authority_id).exists():
        raise PermissionDenied(msg.ERROR_OUT_OF_SCOPE)
    AssignmentRule.objects.filter(pk=rule.pk).update(active=False)
    rule.active = False
    return rule
