import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"


def sign_in(client, email, password=DEFAULT_PASSWORD, next_url=None):
    url = LOGIN_URL + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": email, "password": password})


def test_wagtail_admin_sends_visitors_to_the_allauth_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)
    assert "next=/admin/" in response["Location"]


def test_the_admin_has_no_login_form_of_its_own(client):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL + "?next=/admin/pages/"


def test_centre_admin_signs_in_by_email_and_reaches_the_wagtail_admin(client, centre_admin):
    response = sign_in(client, "Zentrale@Verwaltung.example", next_url="/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert b"wagtail" in dashboard.content.lower()


def test_a_wrong_password_is_refused_with_a_message(client, org):
    UserFactory(email="anna@verwaltung.example")
    response = sign_in(client, "anna@verwaltung.example", password="falsch-falsch-falsch")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors


def test_a_learner_cannot_enter_the_admin(client, org):
    UserFactory(email="anna@verwaltung.example", authority=org["rpda"])
    sign_in(client, "anna@verwaltung.example")
    response = client.get("/admin/")
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or not response["Location"].startswith("/admin")


def test_an_unverified_address_cannot_sign_in(client, org):
    UserFactory(email="neu@verwaltung.example", verified=False)
    response = sign_in(client, "neu@verwaltung.example")
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")


def test_repeated_failed_logins_are_throttled(client, org):
    UserFactory(email="anna@verwaltung.example")
    for _ in range(5):
        sign_in(client, "anna@verwaltung.example", password="falsch-falsch-falsch")
    # Even the right password is refused while the key is locked.
    response = sign_in(client, "anna@verwaltung.example")
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)


def test_password_reset_is_offered_on_the_login_page(client):
    response = client.get(LOGIN_URL)
    assert reverse("account_reset_password").encode() in response.content


def test_staff_must_set_up_a_second_factor_when_required(client, settings, org):
    settings.MFA_REQUIRED_FOR_STAFF = True
    UserFactory(email="trainerin@verwaltung.example", authority=org["rpda"], roles=["trainer"])
    sign_in(client, "trainerin@verwaltung.example")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_staff_with_a_second_factor_work_normally(client, settings, org):
    settings.MFA_REQUIRED_FOR_STAFF = True
    trainer = UserFactory(email="t@verwaltung.example", authority=org["rpda"], roles=["trainer"])
    Authenticator.objects.create(user=trainer, type=Authenticator.Type.TOTP, data={})
    client.force_login(trainer)
    assert client.get("/admin/").status_code == 200


def test_learners_need_no_second_factor(client, settings, org):
    settings.MFA_REQUIRED_FOR_STAFF = True
    learner = UserFactory(authority=org["rpda"])
    client.force_login(learner)
    assert client.get("/").status_code == 200


def test_a_learner_sets_up_a_second_factor_and_needs_it_to_sign_in(client, org):
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    learner = UserFactory(authority=org["rpda"])
    sign_in(client, learner.email)
    page = client.get(reverse("mfa_activate_totp"), follow=True)
    if page.redirect_chain:  # allauth asks for the password again before security changes
        client.post(page.redirect_chain[-1][0], {"password": DEFAULT_PASSWORD})
        page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    client.post(reverse("mfa_activate_totp"), {"code": code})
    assert Authenticator.objects.filter(user=learner, type=Authenticator.Type.TOTP).exists()

    client.logout()
    response = sign_in(client, learner.email)
    assert "_auth_user_id" not in client.session  # the password alone is not enough now
    assert response["Location"] == reverse("mfa_authenticate")


def test_staff_without_a_second_factor_can_still_switch_the_language(client, settings, org):
    settings.MFA_REQUIRED_FOR_STAFF = True
    trainer = UserFactory(authority=org["rpda"], roles=["trainer"])
    client.force_login(trainer)
    response = client.post("/language/", {"language": "en", "next": "/accounts/2fa/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/"


def test_a_person_without_password_sets_one_by_reset_link_and_signs_in(client, org, mailoutbox):
    import re

    from allauth.account.models import EmailAddress

    from lms.people.services import user_create

    user_create(
        email="erstes.passwort@verwaltung.example",
        first_name="Eva",
        last_name="Erst",
        authority=org["rpda"],
    )
    client.post(reverse("account_reset_password"), {"email": "erstes.passwort@verwaltung.example"})
    assert len(mailoutbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mailoutbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    new_password = "mein-neues-passwort-2026"
    client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"password1": new_password, "password2": new_password},
    )
    assert EmailAddress.objects.get(email="erstes.passwort@verwaltung.example").verified
    client.logout()
    sign_in(client, "erstes.passwort@verwaltung.example", password=new_password)
    assert "_auth_user_id" in client.session


def test_the_first_centre_admin_made_on_the_command_line_signs_in(client, monkeypatch, db):
    from django.core.management import call_command

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "erstes-admin-passwort-1")
    call_command(
        "createsuperuser",
        interactive=False,
        email="Leitung@Land.example",
        first_name="Lea",
        last_name="Leitung",
        verbosity=0,
    )
    sign_in(client, "leitung@land.example", password="erstes-admin-passwort-1", next_url="/admin/")
    assert client.get("/admin/").status_code == 200


def test_reviewers_must_set_up_a_second_factor_too(client, settings, org):
    from django.contrib.auth.models import Group

    from courses.authoring import REVIEW_GROUP

    settings.MFA_REQUIRED_FOR_STAFF = True
    reviewer = UserFactory(authority=org["rpda"])
    reviewer.groups.add(Group.objects.get_or_create(name=REVIEW_GROUP)[0])
    client.force_login(reviewer)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
