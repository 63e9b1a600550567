"""Production password hashing (docs/decisions/0012-password-hashing.md); the other tests use a
fast hasher, so these switch to the hashers of lms.settings.base."""

import pytest
from django.contrib.auth.hashers import make_password

from lms.settings import base
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production_hashers(settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS


def test_a_new_password_is_stored_as_argon2id_with_the_chosen_cost(org):
    user = UserFactory(email="anna@verwaltung.example")
    user.set_password("ein langes Passwort 2026")
    user.save()
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert user.check_password("ein langes Passwort 2026")


def test_an_old_pbkdf2_password_still_signs_in_and_is_rehashed(client, org):
    user = UserFactory(email="anna@verwaltung.example")
    user.password = make_password(DEFAULT_PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])

    response = client.post(
        "/accounts/login/", {"login": "anna@verwaltung.example", "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
