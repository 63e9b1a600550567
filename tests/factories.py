import factory
from django.contrib.auth.models import Group

from lms.people.models import Authority, AuthorityKind, User
from lms.people.roles import ROLE_GROUP_NAMES, Role
from lms.people.services import authority_create, user_move, user_set_roles

DEFAULT_PASSWORD = "correct-horse-battery-9"


class AuthorityFactory(factory.Factory):
    """Builds nodes through the service so the tree stays consistent."""

    class Meta:
        model = Authority

    name = factory.Sequence(lambda n: f"Behörde {n}")
    abbreviation = factory.Sequence(lambda n: f"B{n}")
    kind = AuthorityKind.MINISTRY
    parent = None

    @classmethod
    def _create(cls, model_class, *, parent=None, **kwargs):
        if parent is not None and "kind" not in kwargs:
            kwargs["kind"] = AuthorityKind.AUTHORITY
        return authority_create(parent=parent, **kwargs)

    @classmethod
    def _build(cls, model_class, *, parent=None, **kwargs):
        return model_class(**kwargs)


def ministry(**kwargs):
    return AuthorityFactory(kind=AuthorityKind.MINISTRY, **kwargs)


def authority_under(parent, **kwargs):
    kind = AuthorityKind.UNIT if parent.kind != AuthorityKind.MINISTRY else AuthorityKind.AUTHORITY
    return AuthorityFactory(parent=parent, kind=kwargs.pop("kind", kind), **kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@verwaltung.example")
    first_name = factory.Sequence(lambda n: f"Vorname{n}")
    last_name = factory.Sequence(lambda n: f"Nachname{n}")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @classmethod
    def _create(cls, model_class, *args, authority=None, roles=(), hr_scopes=None, **kwargs):
        user = super()._create(model_class, *args, **kwargs)
        if authority is not None:
            user_move(user=user, authority=authority)
        if roles:
            user_set_roles(user=user, roles=roles, hr_scopes=hr_scopes)
        return user

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """Record the person's address with allauth, verified unless verified=False is passed."""
        if create:
            from allauth.account.models import EmailAddress

            obj.save()
            EmailAddress.objects.update_or_create(
                user=obj,
                email=obj.email,
                defaults={"verified": extracted is not False, "primary": True},
            )


def role_group(role: Role) -> Group:
    return Group.objects.get(name=ROLE_GROUP_NAMES[role])


def person_form_data(person, **changes):
    """The admin's person form as a browser sends it back for this person, with changes."""
    return {
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "preferred_language": "de",
        "authority": person.authority_id or "",
        "personnel_number": person.personnel_number,
        "is_active": "on",
        "groups": list(person.groups.values_list("pk", flat=True)),
        "hr_scopes": list(person.hr_scopes.values_list("authority_id", flat=True)),
        **changes,
    }
