"""Mandatory training, reads: who an assignment or rule would reach, and what a coordinator may
see."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from lms.dates import add_months
from lms.people.models import Authority, AuthorityMembership, User
from lms.people.roles import Role
from lms.people.selectors import (
    authorities_visible_to,
    authority_subtree,
    people_visible_to,
    user_roles,
)

from ..models import Assignment, AssignmentChange, AssignmentRule, CoursePage, Enrolment
from ..selectors import overdue_q


def recurrence_lead_days(months: int) -> int:
    """How long before it is due a recurring course starts its new round: the setting, but at
    most half the period, so that a short recurrence does not start again the day it is done."""
    return min(settings.ASSIGNMENT_RECURRENCE_LEAD_DAYS, months * 30 // 2)


def recurrence_due_on(*, completed_at, months: int) -> date:
    """When the next round after this completion is due: `months` after the day completed."""
    return add_months(timezone.localdate(completed_at), months)


def recurrence_starts_before(*, months: int, today: date) -> datetime:
    """Completions before this moment start their new round by `today` (their due date lies
    within the lead time); completions from it on, later."""
    horizon = today + timedelta(days=recurrence_lead_days(months))
    last = add_months(horizon, -months)
    # Several days can share one anniversary: 29 to 31 January + 1 month = 28 February.
    while add_months(last + timedelta(days=1), months) <= horizon:
        last += timedelta(days=1)
    return timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))


def assignment_rule_recurrence_due(*, rule: AssignmentRule, today: date) -> QuerySet[Enrolment]:
    """Completed enrolments in the rule's course whose new round starts by `today`, of active
    people whose current membership lies in the rule's subtree. One query for all of them."""
    in_subtree = AuthorityMembership.objects.filter(
        user=OuterRef("user_id"),
        ended_at__isnull=True,
        authority__path__startswith=rule.authority.path,
    )
    starts_before = recurrence_starts_before(months=rule.recurrence_months, today=today)
    return (
        Enrolment.objects.filter(
            course_id=rule.course_id, completed_at__lt=starts_before, user__is_active=True
        )
        .filter(Exists(in_subtree))
        .select_related("user", "course")
        .order_by("completed_at", "pk")
    )


@dataclass(frozen=True)
class AssignmentPreview:
    """What confirming would do: how many active people it reaches, how many of them already
    have the course (their progress stays, the earlier due date applies), and how many of those
    completed it (nothing changes for them)."""

    people: int
    enrolled: int
    completed: int


@dataclass(frozen=True)
class RulePreview(AssignmentPreview):
    """A rule's reach now; with a recurrence also how many of those who completed the course
    start a new round at once, and when the next one after them does."""

    recurrence_months: int | None = None
    renew_now: int = 0
    next_round_on: date | None = None


def _enrolment_counts(*, course: CoursePage, people: QuerySet[User], starts_before=None) -> dict:
    completed = Q(completed_at__isnull=False)
    counts = {
        "enrolled": Count("pk"),
        "completed": Count("pk", filter=completed),
    }
    if starts_before is not None:
        counts["renew_now"] = Count("pk", filter=Q(completed_at__lt=starts_before))
        counts["next_completed"] = Min("completed_at", filter=Q(completed_at__gte=starts_before))
    return Enrolment.objects.filter(course=course, user__in=people).aggregate(**counts)


def assignment_preview(
    *, course: CoursePage, people=(), authority: Authority | None = None
) -> AssignmentPreview:
    """The effect of an assignment, counted as assignment_create reaches people: the chosen
    people plus everyone in the subtree, active, each once. Reads only; nothing is written."""
    condition = Q(pk__in=[person.pk for person in people])
    if authority is not None:
        condition |= Q(authority__in=authority_subtree(authority=authority))
    reached = User.objects.filter(condition, is_active=True)
    counts = _enrolment_counts(course=course, people=reached)
    return AssignmentPreview(
        people=reached.count(), enrolled=counts["enrolled"], completed=counts["completed"]
    )


def assignment_rule_preview(
    *,
    authority: Authority,
    course: CoursePage,
    recurrence_months: int | None = None,
    today: date | None = None,
) -> RulePreview:
    """The effect of a rule now, counted as assignment_rule_create reaches people: active people
    whose current membership lies in the subtree. Reads only; nothing is written."""
    members = AuthorityMembership.objects.filter(
        authority__in=authority_subtree(authority=authority), ended_at__isnull=True
    ).values("user_id")
    reached = User.objects.filter(pk__in=members, is_active=True)
    starts_before = None
    if recurrence_months:
        today = today or timezone.localdate()
        starts_before = recurrence_starts_before(months=recurrence_months, today=today)
    counts = _enrolment_counts(course=course, people=reached, starts_before=starts_before)
    next_round_on = None
    if counts.get("next_completed") is not None:
        due_on = recurrence_due_on(completed_at=counts["next_completed"], months=recurrence_months)
        next_round_on = due_on - timedelta(days=recurrence_lead_days(recurrence_months))
    return RulePreview(
        people=reached.count(),
        enrolled=counts["enrolled"],
        completed=counts["completed"],
        recurrence_months=recurrence_months or None,
        renew_now=counts.get("renew_now", 0),
        next_round_on=next_round_on,
    )


def assignments_visible_to(*, user) -> QuerySet[Assignment]:
    """Assignments this user may see, newest first, each with `people_count`.

    Centre admins see all. HR coordinators see those for a part of the organisation in
    their scope and those for selected people when every one of them is in their scope
    (judged by today's scope, also for assignments they made themselves).
    """
    assignments = Assignment.objects.all()
    if Role.CENTRE_ADMIN not in user_roles(user=user):
        people = people_visible_to(user=user)
        inside = Enrolment.objects.filter(assignment=OuterRef("pk"), user__in=people)
        outside = Enrolment.objects.filter(assignment=OuterRef("pk")).exclude(user__in=people)
        # Their own assignments of people who were all enrolled already have no enrolments
        # to judge by; they stay visible to their author, but only within today's scope.
        assignments = assignments.filter(
            Q(authority__in=authorities_visible_to(user=user))
            | Q(authority__isnull=True)
            & ~Q(Exists(outside))
            & (Q(Exists(inside)) | Q(created_by=user))
        )
    return (
        assignments.select_related("course", "authority", "created_by")
        .annotate(people_count=Count("enrolments"))
        .order_by("-created_at", "-pk")
    )


def assignment_rules_visible_to(*, user) -> QuerySet[AssignmentRule]:
    """Rules for the parts of the organisation this user may see, active ones first."""
    rules = AssignmentRule.objects.filter(authority__in=authorities_visible_to(user=user))
    return rules.select_related("course", "authority", "created_by").order_by(
        "-active", "-created_at", "-pk"
    )


# An assignment's page: its people, its changes, and who is overdue.


def assignment_enrolments(*, assignment: Assignment, viewer) -> QuerySet[Enrolment]:
    """The enrolments that came from the assignment, of people the viewer may see, by name."""
    return (
        Enrolment.objects.filter(assignment=assignment)
        .filter(user__in=people_visible_to(user=viewer))
        .select_related("user", "user__authority")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def assignment_changes(*, assignment: Assignment) -> QuerySet[AssignmentChange]:
    """What was changed about the assignment since it was made, newest first."""
    return assignment.changes.select_related("changed_by", "enrolment__user").order_by(
        "-changed_at", "-pk"
    )


def overdue_enrolments_visible_to(*, user, assignment: Assignment | None = None, today=None):
    """Open mandatory enrolments past their due date (courses.selectors.overdue_q) of active
    people the user may see, in live courses; of one assignment if given."""
    enrolments = (
        Enrolment.objects.filter(
            overdue_q(today or timezone.localdate()), user__is_active=True, course__live=True
        )
        .exclude(source=Enrolment.Source.SELF)
        .filter(user__in=people_visible_to(user=user))
    )
    if assignment is not None:
        enrolments = enrolments.filter(assignment=assignment)
    return enrolments


# The people picker: a search on the server, within the coordinator's scope.

PICKER_PAGE_SIZE = 20
PICKER_QUERY_MAX = 100


def people_matching(*, viewer, query: str) -> QuerySet[User]:
    """Active people the viewer may see whose name, e-mail address or personnel number contains
    each word of `query`, by name. Empty for an empty query: a list of 5,000 helps nobody."""
    words = (query or "").split()[:5]
    if not words:
        return User.objects.none()
    people = people_visible_to(user=viewer).filter(is_active=True)
    for word in words:
        word = word[:PICKER_QUERY_MAX]
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(personnel_number__iexact=word)
        )
    return people.select_related("authority").order_by("last_name", "first_name", "pk")
