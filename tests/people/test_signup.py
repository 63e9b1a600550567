import pytest
from allauth.core import context
from allauth.socialaccount.helpers import complete_social_login
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import RequestFactory
from django.utils.translation import override

from lms.people.messages import ERROR_SIGNUP_DOMAIN
from lms.people.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP_URL = "/accounts/signup/"
KEYCLOAK = {
    "openid_connect": {
        "APPS": [
            {
                "provider_id": "keycloak",
                "name": "Landes-Login",
                "client_id": "lms",
                "secret": "geheim",
                "settings": {"server_url": "https://sso.land.example/realms/verwaltung"},
            }
        ]
    }
}


def signup(client, email):
    password = "lange-sichere-passphrase-42"
    return client.post(SIGNUP_URL, {"email": email, "password1": password, "password2": password})


def test_signup_is_closed_by_default(client, settings):
    settings.ACCOUNT_SIGNUP_DOMAINS = []
    response = signup(client, "jemand@hessen.example")
    assert not User.objects.filter(email="jemand@hessen.example").exists()
    assert "account/signup_closed.html" in [t.name for t in response.templates]


def test_signup_works_for_a_listed_domain(client, settings):
    settings.ACCOUNT_SIGNUP_DOMAINS = ["hessen.example"]
    signup(client, "Neue.Kollegin@Hessen.example")
    assert User.objects.filter(email="neue.kollegin@hessen.example").exists()


def test_signup_from_another_domain_is_refused_with_a_message(client, settings):
    settings.ACCOUNT_SIGNUP_DOMAINS = ["hessen.example"]
    response = signup(client, "jemand@gmail.example")
    assert response.status_code == 200
    assert str(ERROR_SIGNUP_DOMAIN) in response.context["form"].errors["email"]
    assert not User.objects.filter(email="jemand@gmail.example").exists()


def test_a_lookalike_domain_is_not_a_listed_domain(client, settings):
    settings.ACCOUNT_SIGNUP_DOMAINS = ["hessen.example"]
    signup(client, "jemand@nothessen.example")
    signup(client, "jemand@hessen.example.evil.example")
    assert not User.objects.exists()


def sso_request():
    request = RequestFactory().get("/accounts/oidc/keycloak/login/callback/")
    SessionMiddleware(lambda r: None).process_request(request)
    MessageMiddleware(lambda r: None).process_request(request)
    request.session.save()
    request.user = AnonymousUser()
    return request


def sso_login(email, claims=None):
    """Run allauth's real completion of an OpenID Connect login with these userinfo claims."""
    from allauth.socialaccount.adapter import get_adapter

    claims = {
        "sub": f"sub-{email}",
        "email": email,
        "email_verified": True,
        "given_name": "Sina",
        "family_name": "Sso",
        **(claims or {}),
    }
    request = sso_request()
    provider = get_adapter().get_provider(request, "keycloak")
    sociallogin = provider.sociallogin_from_response(request, {"userinfo": claims})
    # allauth's middleware puts the request into its context for the adapters; do the same.
    with context.request_context(request):
        return complete_social_login(request, sociallogin)


def test_sso_signup_from_an_unlisted_domain_is_refused(settings):
    settings.SOCIALACCOUNT_PROVIDERS = KEYCLOAK
    settings.ACCOUNT_SIGNUP_DOMAINS = ["hessen.example"]
    with override("en"):
        response = sso_login("fremd@anderswo.example")
    assert not User.objects.filter(email="fremd@anderswo.example").exists()
    assert "sign up is currently closed" in response.content.decode()


def test_sso_signup_is_closed_when_no_domain_is_listed(settings):
    settings.SOCIALACCOUNT_PROVIDERS = KEYCLOAK
    settings.ACCOUNT_SIGNUP_DOMAINS = []
    sso_login("neu@hessen.example")
    assert not User.objects.filter(email="neu@hessen.example").exists()


def test_sso_signup_from_a_listed_domain_creates_the_person_in_their_authority(settings, org):
    settings.SOCIALACCOUNT_PROVIDERS = KEYCLOAK
    settings.ACCOUNT_SIGNUP_DOMAINS = ["hessen.example"]
    settings.OIDC_AUTHORITY_CLAIM = "behoerde"
    sso_login("neu@hessen.example", claims={"behoerde": "rpks"})
    person = User.objects.get(email="neu@hessen.example")
    assert person.authority == org["rpks"]
    assert SocialAccount.objects.filter(user=person, provider="keycloak").exists()


def test_an_imported_person_signs_in_by_sso_even_when_signup_is_closed(settings, org):
    settings.SOCIALACCOUNT_PROVIDERS = KEYCLOAK
    settings.ACCOUNT_SIGNUP_DOMAINS = []
    imported = UserFactory(email="importiert@land.example", authority=org["rpda"])
    response = sso_login("Importiert@land.example")
    assert response.status_code == 302
    assert SocialAccount.objects.get(provider="keycloak").user == imported
    assert User.objects.filter(email__iexact="importiert@land.example").count() == 1


def test_sso_cannot_take_over_a_staff_account_by_its_address(settings, org):
    settings.SOCIALACCOUNT_PROVIDERS = KEYCLOAK
    settings.ACCOUNT_SIGNUP_DOMAINS = []
    admin = UserFactory(email="chefin@land.example", is_superuser=True)
    sso_login("chefin@land.example")
    assert not SocialAccount.objects.filter(user=admin).exists()
