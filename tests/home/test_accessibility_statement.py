"""The accessibility statement (BITV 2.0): editable in Wagtail, linked from every page."""

import pytest
from django.core.exceptions import ValidationError

from home.demo import seed_accessibility_statement
from home.models import AccessibilityStatementPage, HomePage

pytestmark = pytest.mark.django_db


def test_every_page_links_to_the_statement_once_it_is_published(client):
    assert 'id="accessibility-link"' not in client.get("/").content.decode()
    statement = seed_accessibility_statement()
    home = client.get("/").content.decode()
    assert f'href="{statement.url}" id="accessibility-link">Barrierefreiheit</a>' in home


def test_the_statement_names_the_status_the_feedback_contact_and_enforcement(client):
    statement = seed_accessibility_statement()
    html = client.get(statement.url).content.decode()
    assert "Diese Website ist teilweise vereinbar mit der BITV 2.0." in html
    assert 'href="mailto:barrierefreiheit@demo.example"' in html
    assert "Durchsetzungsstelle" in html
    assert '<html lang="de">' in html


def test_unpublishing_the_statement_removes_the_link(client):
    statement = seed_accessibility_statement()
    client.get("/")
    statement.unpublish()
    assert 'id="accessibility-link"' not in client.get("/").content.decode()


def test_there_is_only_one_statement(db):
    seed_accessibility_statement()
    assert seed_accessibility_statement().pk == AccessibilityStatementPage.objects.get().pk
    assert not AccessibilityStatementPage.can_create_at(HomePage.objects.first())


def test_the_feedback_e_mail_must_be_an_address(db):
    page = AccessibilityStatementPage(
        title="Erklärung",
        slug="e",
        prepared_on="2026-01-01",
        feedback_contact="Team",
        feedback_email="keine-adresse",
        enforcement="<p>x</p>",
    )
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "feedback_email" in error.value.message_dict
