"""Reads about people and the organisation. Every scoped list starts from these functions."""

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from .models import Authority, HRScope, User
from .roles import ROLE_GROUP_NAMES, Role


def user_roles(*, user) -> frozenset[Role]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    roles = {Role.LEARNER}
    names = user.group_names
    roles.update(role for role, name in ROLE_GROUP_NAMES.items() if name in names)
    if user.is_superuser:
        roles.add(Role.CENTRE_ADMIN)
    return frozenset(roles)


def authority_subtree(*, authority: Authority) -> QuerySet[Authority]:
    """The authority itself and everything below it."""
    path = Authority.objects.values_list("path", flat=True).get(pk=authority.pk)
    return Authority.objects.filter(path__startswith=path)


def _subtrees_of(paths) -> QuerySet[Authority]:
    paths = list(paths)
    if not paths:
        return Authority.objects.none()
    return Authority.objects.filter(reduce(or_, (Q(path__startswith=p) for p in paths)))


def authorities_visible_to(*, user) -> QuerySet[Authority]:
    """The authorities whose people and records this user may see.

    Centre admins see the whole tree, HR coordinators the subtrees of their scopes,
    everyone else none (learners see only their own records, never an authority's).
    """
    roles = user_roles(user=user)
    if Role.CENTRE_ADMIN in roles:
        return Authority.objects.all()
    if Role.HR in roles:
        scope_paths = HRScope.objects.filter(user=user).values_list("authority__path", flat=True)
        return _subtrees_of(scope_paths)
    return Authority.objects.none()


def people_visible_q(*, user, person: str = "") -> Q:
    """The condition "the person is one this user may see", on the person's own fields or, with
    `person` (e.g. "user"), on rows that point at a person: so a list of enrolments or
    certificates is narrowed in one query, without a subquery over people.

    This is where centre admins see everyone, people outside the authority tree included; no
    caller decides that again.
    """
    if Role.CENTRE_ADMIN in user_roles(user=user):
        # A condition every row meets (not an empty Q: OR-ed with another, that would vanish).
        return Q(**{f"{person or 'pk'}__isnull": False})
    prefix = f"{person}__" if person else ""
    return Q(**{f"{prefix}authority__in": authorities_visible_to(user=user)})


def people_visible_to(*, user) -> QuerySet[User]:
    """People this user may see in lists, reports and exports."""
    return User.objects.filter(people_visible_q(user=user))


def authority_can_be_seen_by(*, user, authority: Authority) -> bool:
    return authorities_visible_to(user=user).filter(pk=authority.pk).exists()


def authority_by_abbreviation() -> dict[str, Authority]:
    """All authorities keyed by upper-cased abbreviation, for imports and claim mapping."""
    return {a.abbreviation.upper(): a for a in Authority.objects.all()}


def user_second_factors(*, user) -> dict[str, bool]:
    """Which second factors (allauth MFA) a person has set up: an authenticator app (TOTP) and
    recovery codes, for the account page."""
    from allauth.mfa.models import Authenticator

    types = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    return {
        "totp": Authenticator.Type.TOTP in types,
        "recovery_codes": Authenticator.Type.RECOVERY_CODES in types,
    }
