import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from tests.factories import UserFactory, authority_under, ministry


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # No test writes into var/: two runs side by side (.ci/run) must not share files.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "certificates": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": "/nicht-oeffentlich/"},
        },
    }


@pytest.fixture(autouse=True)
def _default_language():
    # A request leaves its language active in the thread (as Django's LocaleMiddleware does;
    # a streamed export is rendered after the middleware returns): each test starts in German.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters live in the cache; one test's failed logins must not block the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def org(db):
    """A small organisation: two ministries with authorities and a unit."""
    innen = ministry(name="Ministerium des Innern", abbreviation="HMdI")
    rpda = authority_under(innen, name="Regierungspräsidium Darmstadt", abbreviation="RPDA")
    rpda_unit = authority_under(rpda, name="Abteilung I – Zentrale Dienste", abbreviation="RPDA-I")
    rpks = authority_under(innen, name="Regierungspräsidium Kassel", abbreviation="RPKS")
    finanzen = ministry(name="Ministerium der Finanzen", abbreviation="HMdF")
    hzd = authority_under(finanzen, name="Zentrale für Datenverarbeitung", abbreviation="HZD")
    return {
        "innen": innen,
        "rpda": rpda,
        "rpda_unit": rpda_unit,
        "rpks": rpks,
        "finanzen": finanzen,
        "hzd": hzd,
    }


@pytest.fixture
def centre_admin(db):
    return UserFactory(email="zentrale@verwaltung.example", is_superuser=True)


@pytest.fixture
def hr_innen(org):
    return UserFactory(
        email="hr.innen@verwaltung.example",
        authority=org["innen"],
        roles=["hr"],
        hr_scopes=[org["innen"]],
    )


@pytest.fixture
def hr_finanzen(org):
    return UserFactory(
        email="hr.finanzen@verwaltung.example",
        authority=org["finanzen"],
        roles=["hr"],
        hr_scopes=[org["finanzen"]],
    )


@pytest.fixture(scope="module")
def demo_seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, seeded once for a whole test module (seeding renders certificates and takes
    seconds) inside a transaction that is rolled back after the module; each test's own
    transaction is a savepoint within it, so tests still leave nothing behind."""
    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    files = tmp_path_factory.mktemp("demo")
    storages = {
        **settings_module().STORAGES,
        "certificates": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": files / "private"},
        },
    }
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=files / "media", STORAGES=storages),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo")
            cache.clear()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            cache.clear()


def settings_module():
    from django.conf import settings

    return settings
