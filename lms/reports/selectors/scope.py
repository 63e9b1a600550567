"""Where every report starts: the viewer's authorities and the participations of the people
the viewer may see, and the courses a report may be narrowed to."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from courses.models import CoursePage, Enrolment
from courses.selectors import overdue_q
from lms.people.models import Authority
from lms.people.roles import Role
from lms.people.selectors import authorities_visible_to, people_visible_q, user_roles

from .common import (
    STATUS_COMPLETED,
    STATUS_IN_PROGRESS,
    STATUS_NOT_STARTED,
    STATUS_OVERDUE,
    ReportFilters,
    _started,
)


def is_centre_admin(user) -> bool:
    return Role.CENTRE_ADMIN in user_roles(user=user)


def report_authorities(*, viewer, within: Authority | None = None) -> QuerySet[Authority]:
    """The authorities a report may show the viewer, in tree order; `within` narrows to a subtree
    (an authority outside the scope gives none)."""
    authorities = authorities_visible_to(user=viewer)
    if within is not None:
        path = Authority.objects.filter(pk=within.pk).values_list("path", flat=True).first()
        authorities = authorities.filter(path__startswith=path) if path else authorities.none()
    return authorities.order_by("path")


def participations_in_scope(*, viewer, filters: ReportFilters, today=None) -> QuerySet[Enrolment]:
    """Enrolments of people the viewer may see, narrowed by the filters."""
    today = today or timezone.localdate()
    if filters.authority is not None:
        enrolments = Enrolment.objects.filter(
            user__authority__in=report_authorities(viewer=viewer, within=filters.authority)
        )
    else:
        enrolments = Enrolment.objects.filter(people_visible_q(user=viewer, person="user"))
    if filters.course is not None:
        enrolments = enrolments.filter(course=filters.course)
    if filters.mandatory_only:
        enrolments = enrolments.exclude(source=Enrolment.Source.SELF)
    if filters.due_from is not None:
        enrolments = enrolments.filter(due_on__gte=filters.due_from)
    if filters.due_to is not None:
        enrolments = enrolments.filter(due_on__lte=filters.due_to)
    if filters.status == STATUS_COMPLETED:
        enrolments = enrolments.filter(completed_at__isnull=False)
    elif filters.status == STATUS_OVERDUE:
        enrolments = enrolments.filter(overdue_q(today))
    elif filters.status == STATUS_IN_PROGRESS:
        enrolments = (
            enrolments.filter(completed_at__isnull=True)
            .exclude(overdue_q(today))
            .filter(_started())
        )
    elif filters.status == STATUS_NOT_STARTED:
        enrolments = (
            enrolments.filter(completed_at__isnull=True)
            .exclude(overdue_q(today))
            .exclude(_started())
        )
    return enrolments


def report_courses() -> QuerySet[CoursePage]:
    """Courses a report may be narrowed to: live ones and any with participants.

    EXISTS, not a join: a join with millions of enrolments and DISTINCT would cost the report
    page more than its figures do.
    """
    has_participants = Exists(Enrolment.objects.filter(course=OuterRef("pk")))
    return CoursePage.objects.filter(Q(live=True) | has_participants).order_by("title")
