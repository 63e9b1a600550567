"""Art. 17: a centre admin erases a person's data; learning records stay for the reports."""

import pytest
from django.apps import apps
from django.core import serializers
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from certificates.models import Certificate
from certificates.verification import certificate_by_code, certificate_public
from courses.models import Enrolment, ProgressEvent
from lms.privacy import messages as msg
from lms.privacy.erasure import ERASE_ACTION, person_erase
from lms.reports.selectors import ReportFilters, completion_by_authority

pytestmark = pytest.mark.django_db

SECRETS = ("Annabell", "Zaunkoenig", "annabell.zaunkoenig", "PN-ANNA-1")


def database_text() -> str:
    return "".join(
        serializers.serialize("json", model._default_manager.all())
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    )


def erase(client, person, admin, email, capture):
    client.force_login(admin)
    with translation.override("en"), capture(execute=True):
        return client.post(reverse("privacy_person_erase", args=[person.pk]), {"email": email})


def test_name_and_email_are_gone_from_database_and_storage(
    client, anna, centre_admin, django_capture_on_commit_callbacks
):
    pdf = Certificate.objects.get(user=anna).pdf
    storage, name = pdf.storage, pdf.name
    assert storage.exists(name)
    assert any(secret in database_text() for secret in SECRETS)
    response = erase(client, anna, centre_admin, anna.email, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    text = database_text()
    for secret in SECRETS:
        assert secret not in text, text[max(0, text.find(secret) - 400) : text.find(secret) + 100]
    assert not storage.exists(name)
    anna.refresh_from_db()
    assert (anna.email, anna.is_active, anna.has_usable_password()) == (
        f"deleted-{anna.pk}@invalid",
        False,
        False,
    )


def test_verification_shows_revoked_without_a_name(anna, centre_admin):
    code = Certificate.objects.get(user=anna).code
    person_erase(person=anna, by=centre_admin)
    public = certificate_public(certificate=certificate_by_code(code=code))
    assert public["status"] == Certificate.Status.REVOKED
    assert public["name"] == msg.ERASED_NAME
    assert Certificate.objects.get(code=code).revoked_reason == msg.ERASED_REASON


def test_learning_records_stay_and_report_numbers_are_unchanged(anna, bruno, centre_admin):
    before = completion_by_authority(
        viewer=centre_admin, filters=ReportFilters(mandatory_only=False)
    )
    enrolments = Enrolment.objects.filter(user=anna).count()
    events = ProgressEvent.objects.filter(user=anna).count()
    person_erase(person=anna, by=centre_admin)
    after = completion_by_authority(
        viewer=centre_admin, filters=ReportFilters(mandatory_only=False)
    )
    assert [(r.abbreviation, r.counts) for r in after.rows] == [
        (r.abbreviation, r.counts) for r in before.rows
    ]
    assert after.total == before.total
    assert Enrolment.objects.filter(user=anna).count() == enrolments > 0
    assert ProgressEvent.objects.filter(user=anna).count() == events > 0


def test_the_erasure_is_logged_without_the_name(anna, centre_admin):
    person_erase(person=anna, by=centre_admin)
    entry = ModelLogEntry.objects.get(action=ERASE_ACTION)
    assert entry.user == centre_admin
    assert entry.object_id == str(anna.pk)
    assert "Zaunkoenig" not in entry.label


def test_other_people_keep_their_data(anna, bruno, centre_admin):
    person_erase(person=anna, by=centre_admin)
    bruno.refresh_from_db()
    assert bruno.last_name == "Wiedehopf" and bruno.is_active
    assert Certificate.objects.get(user=bruno).revoked_at is None


def test_erasing_twice_is_harmless(client, anna, centre_admin, django_capture_on_commit_callbacks):
    assert person_erase(person=anna, by=centre_admin) is True
    assert person_erase(person=anna, by=centre_admin) is False
    response = erase(client, anna, centre_admin, "whatever", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    # The message is stored lazily and shown in the admin's language (German by default).
    with translation.override("de"):
        assert [str(m) for m in response.wsgi_request._messages] == [str(msg.ALREADY_ERASED)]
    assert ModelLogEntry.objects.filter(action=ERASE_ACTION).count() == 1


def test_wrong_email_erases_nothing(client, anna, centre_admin, django_capture_on_commit_callbacks):
    response = erase(
        client, anna, centre_admin, "bruno@x.example", django_capture_on_commit_callbacks
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [msg.ERROR_EMAIL_MISMATCH]
    anna.refresh_from_db()
    assert anna.last_name == "Zaunkoenig"


def test_non_admins_cannot_erase(client, anna, bruno, hr_innen, django_capture_on_commit_callbacks):
    for user in (hr_innen, bruno):
        response = erase(client, anna, user, anna.email, django_capture_on_commit_callbacks)
        assert response.status_code in (302, 403)
        with pytest.raises(PermissionDenied):
            person_erase(person=anna, by=user)
    anna.refresh_from_db()
    assert anna.last_name == "Zaunkoenig"


def test_signed_in_sessions_end(client, anna, centre_admin):
    client.force_login(anna)
    assert client.get(reverse("privacy:my_data")).status_code == 200
    person_erase(person=anna, by=centre_admin)
    assert client.get(reverse("privacy:my_data")).status_code == 302
