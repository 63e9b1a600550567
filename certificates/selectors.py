"""Reads about certificates: who may see which, and a person's own."""

from django.db.models import Q, QuerySet

from lms.people.selectors import people_visible_to, user_roles
from lms.people.roles import Role

from .models import Certificate


def _with_status(queryset: QuerySet[Certificate]) -> QuerySet[Certificate]:
    # `status()` reads the successor; fetch it in the same query.
    return queryset.select_related("replaced_by")


def certificates_of(*, user) -> list[Certificate]:
    """A learner's certificates, newest first, for "Mein Lernen". One query."""
    if not user.is_authenticated:
        return []
    return list(
        _with_status(Certificate.objects.filter(user=user))
        .select_related("course")
        .only(
            "pk",
            "code",
            "course_id",
            "course__title",
            "course__url_path",
            "completed_at",
            "valid_until",
            "issued_at",
            "sha256",
            "revoked_at",
            "content",
            "replaced_by__pk",
            "replaced_by__sha256",
        )
    )


def certificates_visible_to(*, user) -> QuerySet[Certificate]:
    """The certificates someone may open or download: centre admins all, HR those of the people
    in their scope, everyone else their own. The one answer every view and archive uses."""
    if not user.is_authenticated or not user.is_active:
        return Certificate.objects.none()
    roles = user_roles(user=user)
    if Role.CENTRE_ADMIN in roles:
        return _with_status(Certificate.objects.all())
    if Role.HR in roles:
        in_scope = Q(user__in=people_visible_to(user=user).values("pk"))
        return _with_status(Certificate.objects.filter(in_scope | Q(user=user)))
    return _with_status(Certificate.objects.filter(user=user))
