"""The organisation and people as centre admins edit them in the Wagtail admin."""

import pytest
from django.urls import reverse

from lms.people.models import Authority, AuthorityMembership
from tests.factories import person_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, centre_admin):
    client.force_login(centre_admin)
    return client


def test_centre_admin_lists_the_organisation(admin_client, org):
    response = admin_client.get(reverse("authorities:index"))
    assert response.status_code == 200
    assert "Regierungspräsidium Darmstadt" in response.content.decode()


def test_centre_admin_adds_an_authority_under_a_ministry(admin_client, org):
    response = admin_client.post(
        reverse("authorities:add"),
        {
            "name": "Regierungspräsidium Gießen",
            "abbreviation": "RPGI",
            "kind": "authority",
            "parent": org["innen"].pk,
        },
    )
    assert response.status_code == 302
    node = Authority.objects.get(abbreviation="RPGI")
    assert node.get_parent() == Authority.objects.get(abbreviation="HMdI")


def test_a_unit_at_top_level_is_refused_with_a_message(admin_client, org):
    response = admin_client.post(
        reverse("authorities:add"),
        {"name": "Referat ohne Behörde", "abbreviation": "ROB", "kind": "unit", "parent": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["parent"]
    assert not Authority.objects.filter(abbreviation="ROB").exists()


def test_centre_admin_moves_a_person_and_the_history_stays(admin_client, org):
    from tests.factories import UserFactory

    person = UserFactory(authority=org["rpda"], first_name="Mia", last_name="Umzug")
    response = admin_client.post(
        reverse("wagtailusers_users:edit", args=[person.pk]),
        {
            "email": person.email,
            "first_name": "Mia",
            "last_name": "Umzug",
            "preferred_language": "de",
            "authority": org["hzd"].pk,
            "personnel_number": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    person.refresh_from_db()
    assert person.authority == org["hzd"]
    assert list(
        AuthorityMembership.objects.filter(user=person)
        .order_by("started_at")
        .values_list("authority__abbreviation", flat=True)
    ) == ["RPDA", "HZD"]


def test_hr_coordinators_cannot_edit_the_organisation(client, hr_innen, org):
    client.force_login(hr_innen)
    response = client.get(reverse("authorities:index"))
    assert response.status_code in (302, 403)
    assert "Regierungspräsidium Darmstadt" not in response.content.decode()


def test_hr_coordinators_cannot_open_the_user_admin(client, hr_innen):
    client.force_login(hr_innen)
    response = client.get(reverse("wagtailusers_users:index"))
    assert response.status_code in (302, 403)
    assert hr_innen.email not in response.content.decode()


def test_an_authority_with_people_is_not_deleted_and_the_admin_is_told_why(admin_client, org):
    from tests.factories import UserFactory

    UserFactory(authority=org["rpda_unit"])
    response = admin_client.post(reverse("authorities:delete", args=[org["rpda"].pk]), follow=True)
    assert response.status_code == 200
    assert Authority.objects.filter(abbreviation__in=["RPDA", "RPDA-I"]).count() == 2
    assert any(
        "cannot be deleted" in str(m) or "nicht gelöscht" in str(m)
        for m in response.context["messages"]
    )


def test_an_empty_authority_is_deleted_with_its_units(admin_client, org):
    response = admin_client.post(reverse("authorities:delete", args=[org["rpda"].pk]))
    assert response.status_code == 302
    assert not Authority.objects.filter(abbreviation__in=["RPDA", "RPDA-I"]).exists()


def test_a_person_added_in_the_admin_gets_an_unverified_login_address(admin_client, client, org):
    from allauth.account.models import EmailAddress

    response = admin_client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "Neu.Angelegt@Verwaltung.example",
            "first_name": "Nele",
            "last_name": "Neu",
            "preferred_language": "de",
            "authority": org["rpks"].pk,
            "personnel_number": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    address = EmailAddress.objects.get(email="neu.angelegt@verwaltung.example")
    assert address.primary and not address.verified
    assert address.user.authority == org["rpks"]


def edit_person(admin_client, person, **changes):
    data = person_form_data(person, **changes)
    return admin_client.post(reverse("wagtailusers_users:edit", args=[person.pk]), data)


def test_a_changed_login_address_replaces_the_old_one(admin_client, org):
    from allauth.account.models import EmailAddress
    from django.test import Client

    from tests.factories import DEFAULT_PASSWORD, UserFactory

    person = UserFactory(email="alt@verwaltung.example", authority=org["rpda"])
    response = edit_person(admin_client, person, email="neu@verwaltung.example")
    assert response.status_code == 302
    assert list(EmailAddress.objects.filter(user=person).values_list("email", "verified")) == [
        ("neu@verwaltung.example", False)
    ]
    client = Client()
    client.post(
        "/accounts/login/", {"login": "alt@verwaltung.example", "password": DEFAULT_PASSWORD}
    )
    assert "_auth_user_id" not in client.session


def test_an_address_taken_in_another_case_gets_a_message(admin_client, org):
    from tests.factories import UserFactory

    UserFactory(email="belegt@verwaltung.example")
    person = UserFactory(email="frei@verwaltung.example", authority=org["rpda"])
    response = edit_person(admin_client, person, email="Belegt@Verwaltung.example")
    assert response.status_code == 200
    assert response.context["form"].errors
    person.refresh_from_db()
    assert person.email == "frei@verwaltung.example"


def test_an_abbreviation_taken_in_another_case_gets_a_message(admin_client, org):
    response = admin_client.post(
        reverse("authorities:add"),
        {"name": "Doppelt", "abbreviation": "rpda", "kind": "ministry", "parent": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["abbreviation"]
    assert Authority.objects.filter(abbreviation__iexact="rpda").count() == 1


def test_an_authority_with_units_cannot_become_a_ministry(admin_client, org):
    response = admin_client.post(
        reverse("authorities:edit", args=[org["rpda"].pk]),
        {
            "name": "Regierungspräsidium Darmstadt",
            "abbreviation": "RPDA",
            "kind": "ministry",
            "parent": "",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    rpda = Authority.objects.get(pk=org["rpda"].pk)
    assert rpda.kind == "authority" and rpda.get_parent() == org["innen"]


def test_hr_given_the_role_in_the_admin_coordinates_their_own_authority(admin_client, org):
    from lms.people.selectors import authorities_visible_to
    from tests.factories import UserFactory, role_group

    person = UserFactory(authority=org["rpks"])
    response = edit_person(admin_client, person, groups=[role_group("hr").pk])
    assert response.status_code == 302
    assert list(authorities_visible_to(user=person).values_list("abbreviation", flat=True)) == [
        "RPKS"
    ]
    edit_person(admin_client, person, groups=[], hr_scopes=[org["innen"].pk])
    assert not person.hr_scopes.exists()


def test_hr_cannot_add_authorities_or_people_by_posting(client, hr_innen, org):
    client.force_login(hr_innen)
    client.post(
        reverse("authorities:add"),
        {
            "name": "Eigenes Amt",
            "abbreviation": "EIG",
            "kind": "authority",
            "parent": org["innen"].pk,
        },
    )
    client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "boss@verwaltung.example",
            "first_name": "B",
            "last_name": "B",
            "preferred_language": "de",
            "is_superuser": "on",
        },
    )
    assert not Authority.objects.filter(abbreviation="EIG").exists()
    from lms.people.models import User

    assert not User.objects.filter(email="boss@verwaltung.example").exists()


def test_hr_sees_no_change_history_of_people_elsewhere(admin_client, hr_innen, org):
    from django.test import Client

    from tests.factories import UserFactory

    elsewhere = UserFactory(authority=org["hzd"], last_name="Geheimfinanz")
    edit_person(admin_client, elsewhere, first_name="Gerda")
    client = Client()
    client.force_login(hr_innen)
    response = client.get("/admin/reports/site-history/")
    assert "Geheimfinanz" not in response.content.decode()
