"""Settings › Processing activities: the registry as the data protection officer reads it."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.text import capfirst

from courses.models import QuizAttempt
from lms.personal_data.registry import registry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("privacy_processing_activities")


def _in_admin_language(text):
    # The admin speaks the default language to people who have not chosen another.
    with translation.override(settings.LANGUAGE_CODE):
        return escape(str(text))


def test_centre_admin_sees_quiz_attempts_with_their_retention(client, centre_admin):
    client.force_login(centre_admin)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    declaration = registry.declaration_for(QuizAttempt)
    assert _in_admin_language(capfirst(QuizAttempt._meta.verbose_name_plural)) in page
    with translation.override(settings.LANGUAGE_CODE):
        retention = declaration.retention_text()
    assert str(settings.PRIVACY_RETENTION_DAYS["quiz_attempts"]) in retention
    assert escape(retention) in page
    assert _in_admin_language(declaration.purpose) in page


def test_centre_admin_sees_the_records_grouped_by_category(client, centre_admin):
    client.force_login(centre_admin)
    page = client.get(URL).content.decode()
    headings = [_in_admin_language(category.label) for category, _ in registry.by_category()]
    positions = [page.index(f">{heading}</h2>") for heading in headings]
    assert positions == sorted(positions)


def test_centre_admin_sees_why_models_are_not_listed(client, centre_admin):
    client.force_login(centre_admin)
    page = client.get(URL).content.decode()
    assert "wagtailembeds.Embed" in page


@pytest.mark.parametrize("role", ["hr", "trainer", "learner"])
def test_nobody_but_centre_admins_opens_the_page(client, org, role):
    roles = [] if role == "learner" else [role]
    client.force_login(UserFactory(authority=org["innen"], roles=roles, hr_scopes=[org["innen"]]))
    response = client.get(URL)
    assert response.status_code in (302, 403)
    assert "courses.QuizAttempt" not in response.content.decode()


def test_the_settings_menu_offers_the_page_to_centre_admins_only(client, centre_admin, hr_innen):
    client.force_login(centre_admin)
    assert URL in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(hr_innen)
    assert URL not in client.get(reverse("wagtailadmin_home")).content.decode()
