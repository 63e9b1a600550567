"""Writes about people and the organisation."""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry

from .models import (
    ALLOWED_PARENT_KINDS,
    Authority,
    AuthorityKind,
    AuthorityMembership,
    HRScope,
    User,
)
from .roles import ROLE_GROUP_NAMES, Role
from .signals import people_joined_authorities

ERROR_PARENT_KIND = _("A %(kind)s cannot be placed there: allowed above it is %(allowed)s.")
ERROR_MOVE_INTO_OWN_SUBTREE = _("An organisational unit cannot be moved below itself.")
ERROR_ABBREVIATION_TAKEN = _("The abbreviation %(abbreviation)s is already in use.")
ERROR_CHILDREN_KIND = _(
    "It cannot become a %(kind)s: the units below it need a different kind above them."
)


def _allowed_parent_label(kind):
    labels = []
    for parent_kind in ALLOWED_PARENT_KINDS[kind]:
        labels.append(
            str(_("nothing (top level)")) if parent_kind is None else str(parent_kind.label)
        )
    return ", ".join(labels)


def authority_validate_position(*, kind, parent: Authority | None, node: Authority | None = None):
    parent_kind = parent.kind if parent else None
    if parent_kind not in ALLOWED_PARENT_KINDS[kind]:
        raise ValidationError(
            ERROR_PARENT_KIND,
            params={"kind": kind.label, "allowed": _allowed_parent_label(kind)},
            code="parent_kind",
        )
    if node is None or not node.pk:
        return
    if parent is not None and parent.path.startswith(node.path):
        raise ValidationError(ERROR_MOVE_INTO_OWN_SUBTREE, code="own_subtree")
    stored = Authority.objects.get(pk=node.pk)
    child_kinds = set(stored.get_children().values_list("kind", flat=True))
    if any(kind not in ALLOWED_PARENT_KINDS[AuthorityKind(c)] for c in child_kinds):
        raise ValidationError(ERROR_CHILDREN_KIND, params={"kind": kind.label}, code="child_kind")


@transaction.atomic
def authority_create(*, name, abbreviation, kind, parent: Authority | None = None) -> Authority:
    kind = AuthorityKind(kind)
    authority_validate_position(kind=kind, parent=parent)
    if Authority.objects.filter(abbreviation__iexact=abbreviation).exists():
        raise ValidationError(ERROR_ABBREVIATION_TAKEN, params={"abbreviation": abbreviation})
    node = Authority(name=name, abbreviation=abbreviation, kind=kind)
    if parent is None:
        return Authority.add_root(instance=node)
    # Re-read the parent: treebeard needs its current child count.
    return Authority.objects.get(pk=parent.pk).add_child(instance=node)


@transaction.atomic
def authority_update(*, authority: Authority, parent: Authority | None, **fields) -> Authority:
    # Tree paths change when nodes move; work on the stored state, not on what the caller holds.
    authority = Authority.objects.select_for_update().get(pk=authority.pk)
    parent = Authority.objects.get(pk=parent.pk) if parent is not None else None
    for name, value in fields.items():
        setattr(authority, name, value)
    kind = AuthorityKind(authority.kind)
    authority_validate_position(kind=kind, parent=parent, node=authority)
    if (
        Authority.objects.filter(abbreviation__iexact=authority.abbreviation)
        .exclude(pk=authority.pk)
        .exists()
    ):
        raise ValidationError(
            ERROR_ABBREVIATION_TAKEN, params={"abbreviation": authority.abbreviation}
        )
    authority.save()
    current_parent = authority.get_parent(update=True)
    if (current_parent and current_parent.pk) != (parent and parent.pk):
        if parent is None:
            authority.move(Authority.get_last_root_node(), pos="last-sibling")
        else:
            authority.move(parent, pos="last-child")
        authority.refresh_from_db()
    return authority


@transaction.atomic
def user_move(*, user: User, authority: Authority | None) -> User:
    """Move a person to another authority; their earlier memberships stay on record."""
    now = timezone.now()
    locked = User.objects.select_for_update().get(pk=user.pk)
    open_membership = locked.memberships.filter(ended_at__isnull=True).first()
    current = open_membership.authority_id if open_membership else None
    if current == (authority.pk if authority else None):
        return user
    locked.memberships.filter(ended_at__isnull=True).update(ended_at=now)
    if authority is not None:
        AuthorityMembership.objects.create(user=locked, authority=authority, started_at=now)
    User.objects.filter(pk=user.pk).update(authority=authority)
    user.authority = authority
    if authority is not None:
        people_joined_authorities.send(User, people=[(user, authority)], joined_at=now)
    return user


@transaction.atomic
def user_create(
    *,
    email,
    first_name,
    last_name,
    authority: Authority | None = None,
    personnel_number="",
    preferred_language="de",
    password=None,
) -> User:
    user = User.objects.create_user(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        personnel_number=personnel_number,
        preferred_language=preferred_language,
    )
    if authority is not None:
        user_move(user=user, authority=authority)
    user_email_address_sync(user=user)
    return user


@transaction.atomic
def users_create_many(*, people: list[dict]) -> list[User]:
    """Create many people at once, each with a membership and an unverified login address.

    Each dict holds email, first_name, last_name, authority and optionally personnel_number.
    The same outcome as user_create per person, in a handful of queries; no passwords are set
    (people choose one through the reset link).
    """
    from allauth.account.models import EmailAddress

    now = timezone.now()
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                email=User.objects.normalize_email(p["email"]),
                first_name=p["first_name"],
                last_name=p["last_name"],
                authority=p.get("authority"),
                personnel_number=p.get("personnel_number", ""),
                password=unusable,
                date_joined=now,
            )
            for p in people
        ],
        batch_size=500,
    )
    AuthorityMembership.objects.bulk_create(
        [
            AuthorityMembership(user=u, authority_id=u.authority_id, started_at=now)
            for u in users
            if u.authority_id
        ],
        batch_size=500,
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=False, primary=True) for u in users],
        batch_size=500,
    )
    joined = [(user, user.authority) for user in users if user.authority_id]
    if joined:
        people_joined_authorities.send(User, people=joined, joined_at=now)
    return users


def user_email_address_sync(*, user: User, verified=False) -> None:
    """Keep allauth's address book in step with the login address (it signs in from there).

    A changed login address replaces the old one, which must stop working for sign-in and
    password reset. A new address starts unverified; verification happens by mail or by
    setting a password through the reset link.
    """
    from allauth.account.models import EmailAddress

    addresses = EmailAddress.objects.filter(user=user)
    current = addresses.filter(email__iexact=user.email).first()
    if current is None:
        addresses.filter(primary=True).delete()
        EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    elif not current.primary:
        addresses.filter(primary=True).update(primary=False)
        current.primary = True
        current.save(update_fields=["primary"])


@transaction.atomic
def user_set_roles(
    *, user: User, roles, hr_scopes: list[Authority] | None = None, additive=False
) -> User:
    """Give a person exactly these roles (or add them, with additive=True).

    HR scopes are replaced when given; an HR coordinator without an explicit scope is
    responsible for the subtree of their own authority.
    """
    roles = {Role(r) for r in roles}
    groups = {
        role: Group.objects.get_or_create(name=name)[0] for role, name in ROLE_GROUP_NAMES.items()
    }
    for role, group in groups.items():
        if role in roles:
            user.groups.add(group)
        elif not additive:
            user.groups.remove(group)
    if Role.CENTRE_ADMIN in roles:
        user.is_superuser = True
    elif not additive:
        user.is_superuser = False
    user.save(update_fields=["is_superuser"])
    if Role.HR in roles:
        if hr_scopes is not None or not user.hr_scopes.exists():
            user_hr_scopes_set(user=user, scopes=hr_scopes or [])
    elif not additive:
        user.hr_scopes.all().delete()
    user.__dict__.pop("roles", None)
    user.__dict__.pop("group_names", None)
    return user


@transaction.atomic
def user_hr_scopes_set(*, user: User, scopes: list[Authority]) -> None:
    """Set the subtrees an HR coordinator is responsible for.

    Without any, it is the subtree of their own authority; people who are not HR hold none.
    """
    if not user.groups.filter(name=ROLE_GROUP_NAMES[Role.HR]).exists():
        scopes = []
    elif not scopes and user.authority_id:
        scopes = [user.authority]
    user.hr_scopes.exclude(authority__in=scopes).delete()
    for authority in scopes:
        HRScope.objects.get_or_create(user=user, authority=authority)


def user_set_language(*, user: User, language: str) -> User:
    User.objects.filter(pk=user.pk).update(preferred_language=language)
    user.preferred_language = language
    return user


ERROR_AUTHORITY_HAS_PEOPLE = _(
    "%(authority)s cannot be deleted: people belong or belonged to it or to a unit below it. "
    "Move them first; their history is kept."
)


@transaction.atomic
def authority_delete(*, authority: Authority) -> None:
    """Delete a node and its subtree, unless anyone ever belonged to it."""
    subtree = Authority.objects.filter(
        path__startswith=Authority.objects.values_list("path", flat=True).get(pk=authority.pk)
    )
    if (
        User.objects.filter(authority__in=subtree).exists()
        or AuthorityMembership.objects.filter(authority__in=subtree).exists()
    ):
        raise ValidationError(ERROR_AUTHORITY_HAS_PEOPLE, params={"authority": authority})
    Authority.objects.get(pk=authority.pk).delete()


@transaction.atomic
def person_anonymise(*, person: User, name: str, email: str) -> User:
    """Erasure of a person (lms.privacy.erasure): the account stays, for the learning records
    the reports count, but names nobody, cannot sign in and holds no role or HR scope.

    Wagtail's history of changes to the account names it in its label: that becomes `name` too.
    """
    person.first_name = name
    person.last_name = ""
    person.email = email
    person.personnel_number = ""
    person.is_active = False
    person.is_superuser = False
    person.is_staff = False
    person.set_unusable_password()
    person.save()
    person.groups.clear()
    person.user_permissions.clear()
    person.hr_scopes.all().delete()
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(person.pk)
    ).update(label=name)
    return person
