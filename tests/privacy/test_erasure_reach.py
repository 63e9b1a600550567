"""Erasure reaches everything that holds a person's data: besides the registered tables, nothing
keeps a copy that `person_erase` would miss (docs/privacy.md, "Außerhalb der Datenbank")."""

import pytest
from django.conf import settings
from django.core.cache import cache
from wagtail.search.index import AutocompleteField, Indexed, RelatedFields, SearchField
from wagtail.search.models import IndexEntry

from lms.personal_data.registry import registry
from lms.privacy.erasure import person_erase
from tests.factories import UserFactory


def test_the_search_index_holds_no_personal_field():
    # Pages, images and documents are indexed by their own text; the people who own them are not.
    found = []
    for declaration in registry.declarations:
        if not issubclass(declaration.model, Indexed):
            continue
        personal = set(declaration.holds) | {path.split("__")[0] for path in declaration.person}
        for search_field in declaration.model.get_search_fields():
            is_text = isinstance(search_field, (SearchField, AutocompleteField, RelatedFields))
            if is_text and search_field.field_name in personal:
                found.append(f"{declaration.label}.{search_field.field_name}")
    assert found == [], f"erasure would also have to remove these from the index: {found}"


def test_task_results_are_not_stored():
    # Results of tasks would be copies of what they return; none are kept.
    assert settings.CELERY_RESULT_BACKEND is None


@pytest.mark.django_db
def test_after_erasure_neither_index_nor_cache_hold_the_name(client, org, centre_admin, settings):
    # A local-memory cache of its own, whose stored values this test can read (also on CI's
    # Redis runs, where the default cache is shared).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "erasure-reach",
        }
    }
    person = UserFactory(first_name="Xaveria", last_name="Quendelbrink", authority=org["rpda"])
    client.force_login(person)
    client.get("/")
    client.get("/lernen/")

    assert person_erase(person=person, by=centre_admin)

    assert not IndexEntry.objects.filter(body__icontains="Quendelbrink").exists()
    assert not IndexEntry.objects.filter(title__icontains="Quendelbrink").exists()
    cached = cache._cache  # LocMemCache: key -> pickled value
    assert cached, "the pages cached nothing; the check below would prove nothing"
    assert not any(
        b"Quendelbrink" in value for value in cached.values() if isinstance(value, bytes)
    )
