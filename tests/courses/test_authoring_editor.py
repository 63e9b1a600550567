"""The trainer's way through the admin: the add form saves a page only when the author saves,
the dashboard leads to the catalogue and to a new course, and the lessons of a course are
listed in course order."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page

from courses.authoring import catalogue_permissions_ensure
from courses.models import CoursePage, LessonPage
from tests.courses.conftest import add_course
from tests.courses.test_authoring import add_url, course_form
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AUTOSAVE = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def trainer(org):
    return UserFactory(authority=org["rpda"], roles=["trainer"])


@pytest.fixture
def open_catalog(catalog):
    catalogue_permissions_ensure(catalog)
    return catalog


def courses_named(slug="datenschutz-im-verwaltungsalltag"):
    return CoursePage.objects.filter(slug=slug)


# The add form


def test_the_add_form_does_not_save_on_its_own(client, trainer, open_catalog):
    client.force_login(trainer)
    response = client.get(add_url(open_catalog))
    assert response.status_code == 200
    form = re.search(r'<form[^>]*id="page-edit-form"[^>]*>', response.text, re.S).group(0)
    assert "w-autosave" not in form
    assert "w-unsaved" in form  # leaving with unsaved changes still asks first


def test_an_abandoned_add_form_leaves_no_draft_behind(client, trainer, open_catalog):
    client.force_login(trainer)
    # What the autosave of an add form posts while the author is typing, before any save.
    response = client.post(add_url(open_catalog), course_form(), **AUTOSAVE)
    assert response.status_code == 400
    assert response.json()["success"] is False
    # The author leaves the form: nothing was created.
    assert not courses_named().exists()
    assert not CoursePage.objects.child_of(open_catalog).exists()


def test_saving_a_draft_after_an_autosave_saves_one_page_without_a_slug_error(
    client, trainer, open_catalog
):
    client.force_login(trainer)
    client.post(add_url(open_catalog), course_form(), **AUTOSAVE)
    # "Save draft" clicked while the autosave was under way: the form still posts to the add URL.
    response = client.post(add_url(open_catalog), course_form())
    assert response.status_code == 302, response.context["form"].errors
    course = courses_named().get()
    assert response.url.startswith(reverse("wagtailadmin_pages:edit", args=(course.pk,)))
    assert course.owner == trainer
    assert not course.live


def test_edits_of_a_saved_page_are_still_autosaved(client, trainer, open_catalog):
    client.force_login(trainer)
    client.post(add_url(open_catalog), course_form())
    course = courses_named().get()
    edit_url = reverse("wagtailadmin_pages:edit", args=(course.pk,))
    response = client.post(
        edit_url,
        course_form(title="Datenschutz kompakt", slug=course.slug),
        **AUTOSAVE,
    )
    assert response.status_code == 200
    assert response.json()["success"] is True
    course = CoursePage.objects.get(pk=course.pk)
    assert course.get_latest_revision_as_object().title == "Datenschutz kompakt"
    assert courses_named().count() == 1


# The dashboard


def test_the_dashboard_leads_a_trainer_to_the_catalogue_and_a_new_course(
    client, trainer, open_catalog
):
    client.force_login(trainer)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    explore = reverse("wagtailadmin_explore", args=(open_catalog.pk,))
    new_course = add_url(open_catalog)
    assert f'href="{explore}"' in response.text
    assert f'href="{new_course}"' in response.text
    assert "Neuer Kurs" in response.text


def test_the_dashboard_shows_no_course_links_to_whom_cannot_write_courses(
    client, hr_innen, open_catalog
):
    client.force_login(hr_innen)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert add_url(open_catalog) not in response.text
    with translation.override("de"):
        assert "Neuer Kurs" not in response.text


# The explorer


def test_the_lessons_of_a_course_are_listed_in_course_order(client, trainer, open_catalog):
    course = add_course(open_catalog, lessons=3)
    # Listed by last change, the first lesson (changed last) would come first, then the third.
    first, _second, third = LessonPage.objects.child_of(course).order_by("path")
    third.save_revision()
    first.save_revision()
    client.force_login(trainer)
    response = client.get(reverse("wagtailadmin_explore", args=(course.pk,)))
    assert response.status_code == 200
    shown = [
        title
        for title in re.findall(r"Lektion \d", response.text)
        if title in {"Lektion 1", "Lektion 2", "Lektion 3"}
    ]
    # Each title may appear more than once (title and link text); keep the first appearance.
    order = list(dict.fromkeys(shown))
    assert order == ["Lektion 1", "Lektion 2", "Lektion 3"]
    assert Page.objects.get(pk=course.pk).get_children().count() == 3
