"""Roles cannot be stretched: a role taken away is gone on the next request of a session that is
already signed in, staff below the centre admins grant no roles, and HR assigns training only
within the scope it holds."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certificates.models import CertificateArchive
from courses.models import Assignment, AssignmentRule, Enrolment
from lms.people.roles import Role
from lms.people.selectors import user_roles
from tests.certificates.conftest import _private_files_in_tmp  # noqa: F401  (fixture)
from tests.courses.conftest import add_course
from tests.factories import UserFactory, person_form_data, role_group
from tests.security.walk import turned_away

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre_admin_edits(centre_admin):
    """Change a person in the admin, as the centre admin does, from a browser of their own."""
    browser = Client()
    browser.force_login(centre_admin)

    def edit(person, **changes):
        response = browser.post(
            reverse("wagtailusers_users:edit", args=[person.pk]),
            person_form_data(person, **changes),
        )
        assert response.status_code == 302, response.context["form"].errors
        return response

    return edit


@pytest.fixture
def trainer(org):
    return UserFactory(authority=org["rpda"], roles=[Role.TRAINER])


@pytest.fixture
def interior_person(org):
    return UserFactory(authority=org["rpda"], last_name="Innenperson")


# --- A role taken away applies on the next request -------------------------------------------


def test_a_trainer_whose_role_is_removed_loses_the_admin_on_the_next_request(
    client, trainer, centre_admin_edits
):
    client.force_login(trainer)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    centre_admin_edits(trainer, groups=[])
    response = client.get(reverse("wagtailadmin_home"))
    assert turned_away(response), response.status_code
    assert "_auth_user_id" in client.session  # still signed in, only without the role


def test_an_hr_coordinator_whose_role_is_removed_loses_the_reports_on_the_next_request(
    client, hr_innen, interior_person, centre_admin_edits
):
    client.force_login(hr_innen)
    record = reverse("reports_person", args=[interior_person.pk])
    assert client.get(reverse("reports_completion")).status_code == 200
    assert client.get(record).status_code == 200
    centre_admin_edits(hr_innen, groups=[], hr_scopes=[])
    assert turned_away(client.get(reverse("reports_completion")))
    response = client.get(record)
    assert turned_away(response)
    assert "Innenperson" not in response.content.decode()


def test_an_hr_coordinator_whose_scope_shrinks_loses_the_people_outside_on_the_next_request(
    client, hr_innen, interior_person, org, centre_admin_edits
):
    client.force_login(hr_innen)
    record = reverse("reports_person", args=[interior_person.pk])
    assert client.get(record).status_code == 200
    centre_admin_edits(hr_innen, hr_scopes=[org["rpks"].pk])
    response = client.get(record)
    assert response.status_code == 404
    assert "Innenperson" not in response.content.decode()


def test_an_archive_asked_for_before_the_scope_shrank_is_no_longer_handed_out(
    client, hr_innen, org, catalog, centre_admin_edits
):
    archive = CertificateArchive.objects.create(
        requested_by=hr_innen,
        authority=org["rpda"],
        course=add_course(catalog, title="Archivkurs", lessons=1),
        status=CertificateArchive.Status.READY,
    )
    archive.file.save("zertifikate.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
    client.force_login(hr_innen)
    url = reverse("certificate_archives:download", args=[archive.pk])
    assert client.get(url).status_code == 200
    centre_admin_edits(hr_innen, hr_scopes=[org["rpks"].pk])
    assert client.get(url).status_code == 404


def test_a_deactivated_coordinator_counts_as_signed_out_on_the_next_request(
    client, hr_innen, centre_admin_edits
):
    client.force_login(hr_innen)
    assert client.get(reverse("reports_completion")).status_code == 200
    centre_admin_edits(hr_innen, is_active="")
    assert turned_away(client.get(reverse("reports_completion")))
    response = client.get(reverse("privacy:my_data"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- Staff below the centre admins grant no roles --------------------------------------------


@pytest.fixture(params=["trainer", "hr_innen"])
def staff(request):
    """A trainer and an HR coordinator: both work in the admin, neither may grant roles."""
    return request.getfixturevalue(request.param)


def test_a_trainer_or_hr_cannot_open_the_role_and_group_screens(client, staff):
    client.force_login(staff)
    group = role_group(Role.TRAINER)
    for url in (
        reverse("wagtailusers_groups:index"),
        reverse("wagtailusers_groups:add"),
        reverse("wagtailusers_groups:edit", args=[group.pk]),
        reverse("wagtailusers_users:index"),
        reverse("wagtailusers_users:add"),
        reverse("wagtailusers_users:edit", args=[staff.pk]),
    ):
        assert turned_away(client.get(url)), url


def test_a_trainer_or_hr_cannot_give_a_group_more_permissions(client, staff):
    client.force_login(staff)
    group = role_group(Role.TRAINER)
    before = set(group.permissions.values_list("pk", flat=True))
    every_permission = list(Permission.objects.values_list("pk", flat=True))
    client.post(
        reverse("wagtailusers_groups:edit", args=[group.pk]),
        {"name": group.name, "permissions": every_permission},
    )
    client.post(
        reverse("wagtailusers_groups:add"),
        {"name": "Alles", "permissions": every_permission},
    )
    assert set(group.permissions.values_list("pk", flat=True)) == before
    assert not Group.objects.filter(name="Alles").exists()


def test_a_trainer_or_hr_cannot_give_themselves_a_role(client, staff, org):
    client.force_login(staff)
    roles_before = user_roles(user=staff)
    every_group = list(Group.objects.values_list("pk", flat=True))
    client.post(
        reverse("wagtailusers_users:edit", args=[staff.pk]),
        person_form_data(staff, groups=every_group, is_superuser="on", hr_scopes=[org["innen"].pk]),
    )
    bulk = reverse("wagtail_bulk_action", args=["people", "user", "assign_role"])
    for group in every_group:
        client.post(f"{bulk}?id={staff.pk}", {"role": group})
    client.post(
        reverse("wagtailadmin_account"),
        {
            "name_email-first_name": staff.first_name,
            "name_email-last_name": staff.last_name,
            "name_email-email": staff.email,
            "name_email-is_superuser": "on",
            "name_email-groups": every_group,
            "is_superuser": "on",
            "groups": every_group,
        },
    )
    staff.refresh_from_db()
    staff.__dict__.pop("group_names", None)
    assert user_roles(user=staff) == roles_before
    assert not staff.is_superuser
    assert set(staff.hr_scopes.values_list("authority__abbreviation", flat=True)) <= {"HMdI"}


# --- HR assigns training within its scope only -----------------------------------------------


@pytest.fixture
def pflichtkurs(catalog):
    return add_course(catalog, title="Pflichtkurs Korruptionsprävention", lessons=1)


def assign(client, course, **target):
    data = {
        "course": course.pk,
        "due_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "authority": "",
        "confirm": "1",
        **target,
    }
    return client.post(reverse("courses_assignments:add"), data)


def test_hr_cannot_assign_a_course_to_an_authority_outside_their_scope(
    client, hr_innen, pflichtkurs, org
):
    UserFactory(authority=org["hzd"])
    client.force_login(hr_innen)
    response = assign(client, pflichtkurs, authority=org["hzd"].pk)
    assert response.status_code == 200 and response.context["form"].errors
    assert not Assignment.objects.exists() and not Enrolment.objects.exists()


def test_hr_cannot_assign_a_course_to_a_person_outside_their_scope(
    client, hr_innen, pflichtkurs, org
):
    outside = UserFactory(authority=org["hzd"])
    inside = UserFactory(authority=org["rpda"])
    client.force_login(hr_innen)
    response = assign(client, pflichtkurs, people=[inside.pk, outside.pk])
    assert response.status_code == 200 and response.context["form"].errors
    assert not Assignment.objects.exists() and not Enrolment.objects.exists()


def test_hr_of_one_authority_cannot_assign_to_the_ministry_above_it(client, pflichtkurs, org):
    hr_rpda = UserFactory(authority=org["rpda"], roles=[Role.HR], hr_scopes=[org["rpda"]])
    UserFactory(authority=org["rpks"])
    client.force_login(hr_rpda)
    response = assign(client, pflichtkurs, authority=org["innen"].pk)
    assert response.status_code == 200 and response.context["form"].errors
    assert not Assignment.objects.exists() and not Enrolment.objects.exists()


def test_hr_cannot_make_an_assignment_rule_outside_their_scope(client, hr_innen, pflichtkurs, org):
    UserFactory(authority=org["hzd"])
    client.force_login(hr_innen)
    response = client.post(
        reverse("courses_assignment_rules:add"),
        {
            "course": pflichtkurs.pk,
            "authority": org["hzd"].pk,
            "due_after_days": "30",
            "recurrence_months": "",
            "confirm": "1",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not AssignmentRule.objects.exists() and not Enrolment.objects.exists()


def test_hr_within_scope_does_assign(client, hr_innen, pflichtkurs, org):
    """The refusals above are about scope: the same form inside it assigns."""
    inside = UserFactory(authority=org["rpda"])
    client.force_login(hr_innen)
    response = assign(client, pflichtkurs, authority=org["rpda"].pk)
    assert response.status_code == 302
    assert Enrolment.objects.filter(user=inside, course=pflichtkurs).exists()
