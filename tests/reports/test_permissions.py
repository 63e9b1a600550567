"""The reports' permission policy: HR coordinators and centre admins may view the reports,
nobody may add, change or delete them, and everyone else is turned away by every report."""

import pytest
from django.urls import reverse

from lms.reports.permissions import reports_permission_policy as policy
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REPORTS = ["reports_completion", "reports_course", "reports_compliance"]


@pytest.fixture
def learner(org):
    return UserFactory(authority=org["rpda"])


@pytest.fixture
def trainer(org):
    return UserFactory(authority=org["rpda"], roles=["trainer"])


def test_hr_and_centre_admins_may_view_the_reports(hr_innen, centre_admin):
    assert policy.user_has_permission(hr_innen, "view")
    assert policy.user_has_permission(centre_admin, "view")


def test_learners_trainers_and_visitors_may_not(learner, trainer):
    from django.contrib.auth.models import AnonymousUser

    for user in (learner, trainer, AnonymousUser()):
        assert not policy.user_has_permission(user, "view")


def test_nobody_adds_changes_or_deletes_a_report(hr_innen, centre_admin):
    for action in ("add", "change", "delete"):
        assert not policy.user_has_permission(centre_admin, action)
        assert not policy.user_has_permission(hr_innen, action)


def test_the_people_with_access_are_hr_and_centre_admins(hr_innen, centre_admin, learner, trainer):
    assert set(policy.users_with_permission("view")) == {hr_innen, centre_admin}
    assert not policy.users_with_permission("change").exists()


def test_every_report_turns_away_a_trainer(client, trainer, hr_innen):
    client.force_login(trainer)
    for name in REPORTS:
        assert client.get(reverse(name)).status_code in (302, 403)
    assert client.get(reverse("reports_person", args=[hr_innen.pk])).status_code in (302, 403)
