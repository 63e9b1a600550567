"""Reading the access log: centre admins read all of it, each person the entries about them."""

from django.db.models import QuerySet

from lms.people.roles import Role
from lms.people.selectors import user_roles

from .models import AuditEntry


def can_read_access_log(user) -> bool:
    """Centre admins only: HR coordinators are the ones the log watches."""
    return Role.CENTRE_ADMIN in user_roles(user=user)


def audit_entries_visible_to(*, user) -> QuerySet[AuditEntry]:
    """The entries this user may read in the admin: all for centre admins, none for others."""
    if not can_read_access_log(user):
        return AuditEntry.objects.none()
    return AuditEntry.objects.all()


def audit_entries_about(*, person) -> QuerySet[AuditEntry]:
    """Who looked at this person's learning record: the entries about them, newest first."""
    if person is None or person.pk is None:
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(subject=person).order_by("-occurred_at", "-pk")
