"""Reads for mandatory training: who an assignment or rule would reach, and what a coordinator
may see of existing assignments and rules."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from lms.people.models import Authority, AuthorityMembership, User
from lms.people.roles import Role
from lms.people.selectors import (
    authorities_visible_to,
    authority_subtree,
    people_visible_to,
    user_roles,
)

from .models import Assignment, AssignmentRule, Enrolment


def assignment_preview_count(*, people=(), authority: Authority | None = None) -> int:
    """How many distinct active people an assignment would reach: the chosen people plus
    everyone in the subtree. Reads only; nothing is written."""
    condition = Q(pk__in=[person.pk for person in people])
    if authority is not None:
        condition |= Q(authority__in=authority_subtree(authority=authority))
    return User.objects.filter(condition, is_active=True).count()


def assignment_rule_preview_count(*, authority: Authority) -> int:
    """How many active people a rule for this subtree applies to now (their current
    membership lies in it), as assignment_rule_create will enrol them."""
    members = AuthorityMembership.objects.filter(
        authority__in=authority_subtree(authority=authority), ended_at__isnull=True
    ).values("user_id")
    return User.objects.filter(pk__in=members, is_active=True).count()


def assignments_visible_to(*, user) -> QuerySet[Assignment]:
    """Assignments this user may see, newest first, each with `people_count`.

    Centre admins see all. HR coordinators see those for a part of the organisation in
    their scope, those for selected people when every one of them is in their scope, and
    those they made themselves.
    """
    assignments = Assignment.objects.all()
    if Role.CENTRE_ADMIN not in user_roles(user=user):
        people = people_visible_to(user=user)
        inside = Enrolment.objects.filter(assignment=OuterRef("pk"), user__in=people)
        outside = Enrolment.objects.filter(assignment=OuterRef("pk")).exclude(user__in=people)
        assignments = assignments.filter(
            Q(authority__in=authorities_visible_to(user=user))
            | Q(authority__isnull=True) & Q(Exists(inside)) & ~Q(Exists(outside))
            | Q(created_by=user)
        )
    return (
        assignments.select_related("course", "authority", "created_by")
        .annotate(people_count=Count("enrolments"))
        .order_by("-created_at", "-pk")
    )


def assignment_rules_visible_to(*, user) -> QuerySet[AssignmentRule]:
    """Rules for the parts of the organisation this user may see, active ones first."""
    rules = AssignmentRule.objects.all()
    if Role.CENTRE_ADMIN not in user_roles(user=user):
        rules = rules.filter(authority__in=authorities_visible_to(user=user))
    return rules.select_related("course", "authority", "created_by").order_by(
        "-active", "-created_at", "-pk"
    )
