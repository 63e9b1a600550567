"""Mandatory training, writes: assignments of a course with a due date, and standing rules for a
part of the organisation. Each checks the coordinator's scope before it writes."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lms.people.models import Authority, AuthorityMembership, User
from lms.people.selectors import authorities_visible_to, authority_subtree, people_visible_to

from .. import messages as msg
from ..models import (
    Assignment,
    AssignmentChange,
    AssignmentRule,
    CoursePage,
    Enrolment,
    ProgressEvent,
)
from ..selectors import started_q
from ..services import enrolment_create, enrolment_renew
from .selectors import assignment_rule_recurrence_due, recurrence_due_on


def _check_scope(*, by, people=(), authority=None):
    if (
        authority is not None
        and not authorities_visible_to(user=by).filter(pk=authority.pk).exists()
    ):
        raise PermissionDenied(msg.ERROR_OUT_OF_SCOPE)
    ids = {p.pk for p in people}
    if ids and people_visible_to(user=by).filter(pk__in=ids).count() != len(ids):
        raise PermissionDenied(msg.ERROR_OUT_OF_SCOPE)


@transaction.atomic
def assignment_create(*, by, course: CoursePage, due_on, people=(), authority=None) -> Assignment:
    """Assign a course to selected people or everyone in a subtree, within the assigner's scope."""
    if not people and authority is None:
        raise ValidationError(msg.ERROR_NO_TARGET)
    if due_on < timezone.localdate():
        raise ValidationError(msg.ERROR_DUE_IN_PAST)
    _check_scope(by=by, people=people, authority=authority)
    assignment = Assignment.objects.create(
        course=course, authority=authority, due_on=due_on, created_by=by
    )
    targets = list(people)
    if authority is not None:
        targets += list(
            User.objects.filter(
                authority__in=authority_subtree(authority=authority), is_active=True
            )
        )
    for person in {p.pk: p for p in targets}.values():
        enrolment_create(
            user=person,
            course=course,
            source=Enrolment.Source.ASSIGNED,
            due_on=due_on,
            assignment=assignment,
        )
    return assignment


def _rule_validate(rule: AssignmentRule) -> None:
    """The rule's numbers within their limits (the model's validators), before saving."""
    rule.clean_fields(exclude=["course", "authority", "created_by", "created_at", "active"])


def _rule_apply(*, rule: AssignmentRule, user, joined_at):
    due_on = max(timezone.localdate(joined_at), timezone.localdate()) + timedelta(
        days=rule.due_after_days
    )
    enrolment_create(user=user, course=rule.course, source=Enrolment.Source.RULE, due_on=due_on)


def _rule_apply_to_members(*, rule: AssignmentRule) -> None:
    memberships = AuthorityMembership.objects.filter(
        authority__in=authority_subtree(authority=rule.authority),
        ended_at__isnull=True,
        user__is_active=True,
    ).select_related("user")
    for membership in memberships:
        _rule_apply(rule=rule, user=membership.user, joined_at=membership.started_at)


@transaction.atomic
def assignment_rule_create(
    *,
    by,
    course: CoursePage,
    authority,
    due_after_days: int,
    recurrence_months: int | None = None,
) -> AssignmentRule:
    """A standing rule; it applies now to everyone in the subtree and later to everyone joining.

    With a recurrence, those who completed the course long enough ago start their new round now.
    A rule for the same course and subtree is replaced (and active again).
    """
    _check_scope(by=by, authority=authority)
    _rule_validate(
        AssignmentRule(due_after_days=due_after_days, recurrence_months=recurrence_months)
    )
    rule, _created = AssignmentRule.objects.update_or_create(
        course=course,
        authority=authority,
        defaults={
            "due_after_days": due_after_days,
            "recurrence_months": recurrence_months,
            "active": True,
            "created_by": by,
        },
    )
    _rule_apply_to_members(rule=rule)
    if rule.recurrence_months:
        _rule_recur(rule=rule, today=timezone.localdate())
    return rule


@transaction.atomic
def assignment_rule_update(
    *, by, rule: AssignmentRule, due_after_days: int, recurrence_months: int | None, active: bool
) -> AssignmentRule:
    """Change a rule's days, recurrence or status, within the coordinator's scope.

    New days apply to people who join from now on; due dates already set stay. Made active again,
    the rule applies to everyone in the subtree now, as when it was created. A recurrence
    starts the new round at once for those whose completion is old enough.
    """
    if not authorities_visible_to(user=by).filter(pk=rule.authority_id).exists():
        raise PermissionDenied(msg.ERROR_OUT_OF_SCOPE)
    locked = (
        AssignmentRule.objects.select_for_update()
        .select_related("course", "authority")
        .get(pk=rule.pk)
    )
    reactivated = active and not locked.active
    locked.due_after_days = due_after_days
    locked.recurrence_months = recurrence_months
    locked.active = active
    _rule_validate(locked)
    locked.save(update_fields=["due_after_days", "recurrence_months", "active"])
    if reactivated:
        _rule_apply_to_members(rule=locked)
    if locked.active and locked.recurrence_months:
        _rule_recur(rule=locked, today=timezone.localdate())
    return locked


def assignment_rules_apply_to(*, people, joined_at) -> None:
    """Apply every active rule covering their new authority to people who just joined it.

    `people` holds (user, authority) pairs. A rule covers its node and everything below it: the
    rule's path is a prefix of the person's authority path. A handful of queries for a whole
    import, plus the enrolments made.
    """
    rules = list(
        AssignmentRule.objects.filter(active=True, course__live=True).select_related(
            "course", "authority"
        )
    )
    if not rules:
        return
    # Paths read afresh: the caller's authority objects may predate a move in the tree.
    paths = dict(
        Authority.objects.filter(pk__in={a.pk for _u, a in people}).values_list("pk", "path")
    )
    for user, authority in people:
        path = paths[authority.pk]
        for rule in rules:
            if path.startswith(rule.authority.path):
                _rule_apply(rule=rule, user=user, joined_at=joined_at)


@transaction.atomic
def assignment_rule_deactivate(*, by, rule: AssignmentRule) -> AssignmentRule:
    """Stop a rule applying to people who join later; enrolments it made stay as they are."""
    if not authorities_visible_to(user=by).filter(pk=rule.authority_id).exists():
        raise PermissionDenied(msg.ERROR_OUT_OF_SCOPE)
    AssignmentRule.objects.filter(pk=rule.pk).update(active=False)
    rule.active = False
    return rule


def _rule_recur(*, rule: AssignmentRule, today) -> int:
    renewed = 0
    for enrolment in assignment_rule_recurrence_due(rule=rule, today=today):
        due_on = recurrence_due_on(
            completed_at=enrolment.completed_at, months=rule.recurrence_months
        )
        # A completion found late (the rule is new, or the job did not run) is due from today.
        if enrolment_renew(enrolment=enrolment, due_on=max(due_on, today)):
            renewed += 1
    return renewed


def assignment_rules_recur(*, today=None) -> int:
    """Start the new round of recurring mandatory training: for each active rule with a
    recurrence, people in its subtree whose completion is `recurrence_months` old, less the lead
    time (settings.ASSIGNMENT_RECURRENCE_LEAD_DAYS), are due again on that anniversary.

    Safe to run at any time and twice: a renewed enrolment is incomplete and not found again.
    Certificate renewal (certificates_renew_expiring) renews the same enrolments by their
    expiry; whichever runs first starts the round, the other then finds it incomplete.
    Overlapping rules for one course renew a person once, by the first rule that finds them.
    Returns how many enrolments were renewed.
    """
    today = today or timezone.localdate()
    rules = AssignmentRule.objects.filter(
        active=True, recurrence_months__isnull=False, course__live=True
    ).select_related("course", "authority")
    return sum(_rule_recur(rule=rule, today=today) for rule in rules.order_by("pk"))


# Changing an assignment after it was made: each change is recorded (AssignmentChange) and, per
# person reached, in the event log.


def _check_assignment_scope(*, by, assignment: Assignment) -> Assignment:
    """The assignment, locked, if `by` may change it; withdrawn ones stay as they are."""
    from .selectors import assignments_visible_to

    if not assignments_visible_to(user=by).filter(pk=assignment.pk).exists():
        raise PermissionDenied(msg.ERROR_OUT_OF_SCOPE)
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.is_withdrawn:
        raise ValidationError(msg.ERROR_ASSIGNMENT_WITHDRAWN)
    return locked


def _event_of(enrolment, *, kind, now, **data) -> ProgressEvent:
    return ProgressEvent(
        user_id=enrolment.user_id,
        course_id=enrolment.course_id,
        authority_id=enrolment.user.authority_id,
        kind=kind,
        occurred_at=now,
        data={key: str(value) if value else None for key, value in data.items()},
    )


def _events(enrolments, *, kind, now, **data) -> None:
    ProgressEvent.objects.bulk_create(
        _event_of(enrolment, kind=kind, now=now, **data) for enrolment in enrolments
    )


def _open_enrolments(assignment: Assignment):
    return (
        Enrolment.objects.select_for_update()
        .filter(assignment=assignment, completed_at__isnull=True)
        .select_related("user")
        .order_by("pk")
    )


@transaction.atomic
def assignment_due_change(*, by, assignment: Assignment, due_on, reason="") -> AssignmentChange:
    """Give an assignment a new due date. It applies to the open enrolments that came from it;
    completed ones keep their date, and a person's extension that reaches further stays."""
    assignment = _check_assignment_scope(by=by, assignment=assignment)
    if due_on < timezone.localdate():
        raise ValidationError(msg.ERROR_DUE_IN_PAST)
    if due_on == assignment.due_on:
        raise ValidationError(msg.ERROR_DUE_UNCHANGED)
    now = timezone.now()
    # Everyone on the assignment's date (or none) moves; an extension only if it is shorter.
    moving = list(
        _open_enrolments(assignment)
        .filter(Q(due_on=assignment.due_on) | Q(due_on__lt=due_on) | Q(due_on__isnull=True))
        .exclude(due_on=due_on)
    )
    Enrolment.objects.filter(pk__in=[e.pk for e in moving]).update(due_on=due_on)
    ProgressEvent.objects.bulk_create(
        _event_of(
            enrolment,
            kind=ProgressEvent.Kind.DUE_CHANGED,
            now=now,
            due_on=due_on,
            old_due_on=enrolment.due_on,
        )
        for enrolment in moving
    )
    change = AssignmentChange.objects.create(
        assignment=assignment,
        kind=AssignmentChange.Kind.DUE_CHANGED,
        old_due_on=assignment.due_on,
        new_due_on=due_on,
        reason=reason.strip(),
        people=len(moving),
        changed_by=by,
        changed_at=now,
    )
    assignment.due_on = due_on
    assignment.save(update_fields=["due_on"])
    return change


@transaction.atomic
def enrolment_due_extend(
    *, by, assignment: Assignment, enrolment: Enrolment, due_on, reason: str
) -> AssignmentChange:
    """A later due date for one person's open enrolment from this assignment, with a reason."""
    assignment = _check_assignment_scope(by=by, assignment=assignment)
    if not people_visible_to(user=by).filter(pk=enrolment.user_id).exists():
        raise PermissionDenied(msg.ERROR_OUT_OF_SCOPE)
    enrolment = Enrolment.objects.select_for_update().select_related("user").get(pk=enrolment.pk)
    if enrolment.assignment_id != assignment.pk:
        raise ValidationError(msg.ERROR_NOT_IN_ASSIGNMENT)
    if enrolment.is_complete:
        raise ValidationError(msg.ERROR_ENROLMENT_COMPLETED)
    if not (reason or "").strip():
        raise ValidationError(msg.ERROR_REASON_REQUIRED)
    if due_on < timezone.localdate():
        raise ValidationError(msg.ERROR_DUE_IN_PAST)
    if enrolment.due_on is not None and due_on <= enrolment.due_on:
        raise ValidationError(msg.ERROR_EXTENSION_NOT_LATER)
    now = timezone.now()
    old = enrolment.due_on
    enrolment.due_on = due_on
    enrolment.save(update_fields=["due_on"])
    _events(
        [enrolment],
        kind=ProgressEvent.Kind.DUE_CHANGED,
        now=now,
        due_on=due_on,
        old_due_on=old,
        extension=True,
    )
    return AssignmentChange.objects.create(
        assignment=assignment,
        kind=AssignmentChange.Kind.EXTENDED,
        enrolment=enrolment,
        old_due_on=old,
        new_due_on=due_on,
        reason=reason.strip(),
        people=1,
        changed_by=by,
        changed_at=now,
    )


def _begun_q() -> Q:
    """The person did something in the course: started the current round, or completed an
    earlier one (a renewal round)."""
    return started_q() | Q(round_started_at__isnull=False)


@transaction.atomic
def assignment_withdraw(*, by, assignment: Assignment, reason="") -> AssignmentChange:
    """Withdraw an assignment (docs/decisions/0023-assignment-changes.md).

    Its open enrolments stop being mandatory: one the person has not started is removed (as if
    never assigned); one they started stays as their own, self-chosen course without a due date,
    so their progress is kept. Completed enrolments stay as they are: a completion is a record.
    """
    assignment = _check_assignment_scope(by=by, assignment=assignment)
    now = timezone.now()
    open_enrolments = _open_enrolments(assignment)
    dropped = list(open_enrolments.exclude(_begun_q()))
    kept = list(open_enrolments.filter(_begun_q()))
    _events(dropped, kind=ProgressEvent.Kind.DROPPED, now=now, withdrawn=True)
    _events(kept, kind=ProgressEvent.Kind.UNASSIGNED, now=now, old_due_on=None)
    Enrolment.objects.filter(pk__in=[e.pk for e in dropped]).delete()
    Enrolment.objects.filter(pk__in=[e.pk for e in kept]).update(
        source=Enrolment.Source.SELF, due_on=None, assignment=None
    )
    assignment.withdrawn_at = now
    assignment.save(update_fields=["withdrawn_at"])
    return AssignmentChange.objects.create(
        assignment=assignment,
        kind=AssignmentChange.Kind.WITHDRAWN,
        old_due_on=assignment.due_on,
        reason=(reason or "").strip(),
        people=len(dropped) + len(kept),
        changed_by=by,
        changed_at=now,
    )
