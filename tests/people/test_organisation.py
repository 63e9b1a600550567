import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from lms.people.models import Authority, AuthorityKind, AuthorityMembership, User
from lms.people.services import authority_create, authority_update, user_create, user_move
from tests.factories import UserFactory, ministry

pytestmark = pytest.mark.django_db


def test_email_is_the_login_and_is_stored_in_lower_case():
    user = User.objects.create_user(email="  Max.Muster@Verwaltung.Example ", password="x" * 12)
    assert user.email == "max.muster@verwaltung.example"
    assert User.USERNAME_FIELD == "email"
    assert not hasattr(user, "username")
    assert User.objects.get_by_natural_key("MAX.MUSTER@verwaltung.example") == user


def test_the_same_address_in_other_case_is_refused():
    User.objects.create_user(email="eva@verwaltung.example")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email="EVA@verwaltung.example")


def test_personnel_numbers_are_unique_but_optional():
    UserFactory(personnel_number="")
    UserFactory(personnel_number="")
    UserFactory(personnel_number="P-100")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(personnel_number="P-100")


def test_tree_orders_ministry_authority_and_unit(org):
    innen_tree = Authority.objects.filter(path__startswith=org["innen"].path)
    assert list(innen_tree.values_list("abbreviation", flat=True)) == [
        "HMdI",
        "RPDA",
        "RPDA-I",
        "RPKS",
    ]
    assert org["rpda_unit"].get_parent() == org["rpda"]


@pytest.mark.parametrize(
    ("kind", "parent_key"),
    [
        (AuthorityKind.UNIT, None),  # a unit is never top level
        (AuthorityKind.AUTHORITY, None),
        (AuthorityKind.MINISTRY, "innen"),  # a ministry is never below anything
        (AuthorityKind.AUTHORITY, "rpda_unit"),  # no authority below a unit
    ],
)
def test_nodes_go_only_where_the_tree_allows(org, kind, parent_key):
    parent = org[parent_key] if parent_key else None
    with pytest.raises(ValidationError):
        authority_create(name="Neu", abbreviation="NEU", kind=kind, parent=parent)
    assert not Authority.objects.filter(abbreviation="NEU").exists()


def test_abbreviations_are_unique_regardless_of_case(org):
    with pytest.raises(ValidationError):
        authority_create(name="Doppelt", abbreviation="rpda", kind=AuthorityKind.MINISTRY)


def test_moving_an_authority_takes_its_subtree_along(org):
    authority_update(authority=org["rpda"], parent=org["finanzen"])
    unit = Authority.objects.get(pk=org["rpda_unit"].pk)
    assert unit.path.startswith(Authority.objects.get(pk=org["finanzen"].pk).path)
    assert (
        not Authority.objects.get(pk=org["innen"].pk)
        .get_descendants()
        .filter(abbreviation="RPDA-I")
    )


def test_an_authority_cannot_move_below_itself(org):
    with pytest.raises(ValidationError):
        authority_update(authority=org["rpda"], parent=org["rpda_unit"])


def test_moving_a_person_keeps_their_history(org):
    person = user_create(
        email="wechsel@verwaltung.example",
        first_name="Wera",
        last_name="Wechsel",
        authority=org["rpda"],
    )
    user_move(user=person, authority=org["hzd"])
    person.refresh_from_db()
    assert person.authority == org["hzd"]
    history = list(AuthorityMembership.objects.filter(user=person).order_by("started_at"))
    assert [m.authority.abbreviation for m in history] == ["RPDA", "HZD"]
    assert history[0].ended_at is not None
    assert history[1].ended_at is None


def test_moving_a_person_to_where_they_are_records_nothing(org):
    person = UserFactory(authority=org["rpks"])
    user_move(user=person, authority=org["rpks"])
    assert AuthorityMembership.objects.filter(user=person).count() == 1


def test_a_person_has_at_most_one_current_membership(org):
    person = UserFactory(authority=org["rpks"])
    with pytest.raises(IntegrityError), transaction.atomic():
        AuthorityMembership.objects.create(user=person, authority=org["hzd"])


def test_an_authority_with_people_cannot_be_deleted(org):
    UserFactory(authority=org["rpks"])
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        Authority.objects.get(pk=org["rpks"].pk).delete()


def test_every_person_is_a_learner_and_roles_add_up(org):
    person = UserFactory(authority=org["rpks"], roles=["trainer"])
    assert {r.value for r in person.roles} == {"learner", "trainer"}
    assert person.is_trainer and not person.is_hr and not person.is_centre_admin


def test_a_ministry_is_created_at_top_level():
    node = ministry(name="Ministerium für Tests", abbreviation="MT")
    assert node.depth == 1 and node.kind == AuthorityKind.MINISTRY
