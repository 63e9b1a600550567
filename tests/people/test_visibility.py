import pytest

from lms.people.selectors import authorities_visible_to, people_visible_to
from lms.people.services import user_set_roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def abbreviations(queryset):
    return set(queryset.values_list("abbreviation", flat=True))


def test_hr_of_the_interior_sees_its_whole_subtree(org, hr_innen):
    assert abbreviations(authorities_visible_to(user=hr_innen)) == {
        "HMdI",
        "RPDA",
        "RPDA-I",
        "RPKS",
    }


def test_hr_of_finance_sees_no_interior_people(org, hr_finanzen):
    interior_person = UserFactory(authority=org["rpda_unit"])
    finance_person = UserFactory(authority=org["hzd"])
    visible = people_visible_to(user=hr_finanzen)
    assert finance_person in visible
    assert interior_person not in visible
    assert abbreviations(authorities_visible_to(user=hr_finanzen)) == {"HMdF", "HZD"}


def test_hr_scoped_to_one_authority_does_not_see_its_ministry(org):
    hr = UserFactory(authority=org["rpda"], roles=["hr"], hr_scopes=[org["rpda"]])
    assert abbreviations(authorities_visible_to(user=hr)) == {"RPDA", "RPDA-I"}


def test_hr_with_two_scopes_sees_both_subtrees(org):
    hr = UserFactory(authority=org["rpda"], roles=["hr"], hr_scopes=[org["rpks"], org["hzd"]])
    assert abbreviations(authorities_visible_to(user=hr)) == {"RPKS", "HZD"}


def test_centre_admin_sees_everything(org, centre_admin):
    assert authorities_visible_to(user=centre_admin).count() == 6
    stranger = UserFactory()  # not yet placed in the organisation
    assert stranger in people_visible_to(user=centre_admin)


def test_learners_and_trainers_see_no_authority(org):
    learner = UserFactory(authority=org["rpda"])
    trainer = UserFactory(authority=org["rpda"], roles=["trainer"])
    assert not authorities_visible_to(user=learner).exists()
    assert not authorities_visible_to(user=trainer).exists()
    assert not people_visible_to(user=learner).exists()


def test_hr_role_without_scope_sees_nothing(org):
    hr = UserFactory(roles=["hr"])  # no authority, hence no default scope
    assert not authorities_visible_to(user=hr).exists()


def test_removing_the_hr_role_takes_effect_immediately(org, hr_innen):
    user_set_roles(user=hr_innen, roles=[])
    assert not authorities_visible_to(user=hr_innen).exists()


def test_a_deactivated_coordinator_sees_nothing(org, hr_innen):
    hr_innen.is_active = False
    hr_innen.save()
    assert not authorities_visible_to(user=hr_innen).exists()


def test_anonymous_visitors_see_nothing(org):
    from django.contrib.auth.models import AnonymousUser

    assert not authorities_visible_to(user=AnonymousUser()).exists()
