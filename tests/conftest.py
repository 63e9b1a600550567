import pytest
from django.core.cache import cache

from tests.factories import UserFactory, authority_under, ministry


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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
