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


def audit_subject_ids(*, report: str, action, filters: dict) -> list[int]:
    """The people that earlier entries of `report` and `action` with these filter values
    recorded, e.g. the holders of the certificates in one ZIP archive; erased people are gone."""
    lookups = {f"filters__{name}": value for name, value in filters.items()}
    return list(
        AuditEntry.objects.filter(report=report, action=action, subject__isnull=False, **lookups)
        .order_by("subject_id")
        .values_list("subject_id", flat=True)
        .distinct()
    )
