"""Certificates in the Wagtail admin: templates for centre admins, issued certificates for
centre admins and HR within their scope, revoking and re-issuing for centre admins."""

import io
import os

import pytest
from django.contrib.messages import get_messages
from django.core.files.storage import storages
from django.test import RequestFactory
from django.urls import reverse
from pypdf import PdfReader
from wagtail.admin.menu import admin_menu
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from certificates import admin_messages as admin_msg
from certificates import messages as msg
from certificates.models import PLACEHOLDERS, Certificate, CertificateTemplate
from certificates.models.templates import ERROR_UNKNOWN_PLACEHOLDER
from lms.people.services import user_move
from tests.certificates.conftest import complete
from tests.courses.conftest import add_course
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEMPLATES_LIST = "certificate_templates:list"
ISSUED_INDEX = "issued_certificates:index"


def inspect_url(certificate):
    return reverse("issued_certificates:inspect", args=[certificate.pk])


def stored_file_count():
    root = storages["certificates"].location
    return sum(len(files) for _dirs, _subdirs, files in os.walk(root))


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def messages_of(response):
    return [str(m).strip() for m in get_messages(response.wsgi_request)]


def in_use_message():
    return str(admin_msg.ERROR_TEMPLATE_IN_USE) % {
        "name": "Kompetenzzentrum",
        "courses": "“Informationssicherheit am Arbeitsplatz”",
    }


def template_form_data(**overrides):
    fields = {
        "name": "Fortbildung",
        "issuer": "E-Government-Kompetenz- und Lernzentrum",
        "title_de": "Teilnahmebescheinigung",
        "body_de": "{name} hat am {date} an „{course}“ teilgenommen.",
        "title_en": "Certificate of attendance",
        "body_en": "{name} attended “{course}” on {date}.",
        "logo": "",
        "colour_primary": "#004B87",
        "colour_accent": "#C8102E",
        "signatures": inline_formset(
            [{"image": "", "name": "Dr. Maria Beispiel", "function": "Leiterin"}]
        ),
    }
    fields.update(overrides)
    return nested_form_data(fields)


@pytest.fixture
def admin_client(client, centre_admin):
    client.force_login(centre_admin)
    return client


@pytest.fixture
def hr_client(client, hr_innen):
    client.force_login(hr_innen)
    return client


@pytest.fixture
def issue(django_capture_on_commit_callbacks):
    """Complete the course as `user`; returns the certificate issued for it."""

    def issue(user, course):
        with django_capture_on_commit_callbacks(execute=True):
            enrolment = complete(user, course)
        return Certificate.objects.get(enrolment=enrolment, replaced_by__isnull=True)

    return issue


@pytest.fixture
def rpda_certificate(issue, learner, certified_course):
    return issue(learner, certified_course)


@pytest.fixture
def finance_learner(org):
    return UserFactory(
        email="fritz.finanz@verwaltung.example",
        first_name="Fritz",
        last_name="Finanz",
        authority=org["hzd"],
    )


@pytest.fixture
def finance_certificate(issue, finance_learner, certified_course):
    return issue(finance_learner, certified_course)


@pytest.fixture
def finance_only_course(catalog, certificate_template):
    return add_course(
        catalog,
        title="Haushaltsrecht kompakt",
        lessons=1,
        certificate_template=certificate_template,
    )


# Templates


def test_centre_admin_creates_a_template_with_a_signature(admin_client):
    response = admin_client.post(reverse("certificate_templates:add"), template_form_data())

    assert response.status_code == 302, response.context["form"].errors
    template = CertificateTemplate.objects.get(name="Fortbildung")
    assert template.title_de == "Teilnahmebescheinigung"
    assert [(s.name, s.function) for s in template.signatures.all()] == [
        ("Dr. Maria Beispiel", "Leiterin")
    ]


def test_an_unknown_placeholder_is_refused_with_the_message(admin_client):
    response = admin_client.post(
        reverse("certificate_templates:add"),
        template_form_data(body_de="{name} hat {kurs} abgeschlossen."),
    )

    assert response.status_code == 200
    allowed = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
    expected = str(ERROR_UNKNOWN_PLACEHOLDER % {"name": "kurs", "allowed": allowed})
    assert response.context["form"].errors["body_de"] == [expected]
    assert expected in response.content.decode()
    assert not CertificateTemplate.objects.filter(name="Fortbildung").exists()


@pytest.mark.parametrize(
    ("language", "title", "body"),
    [
        ("de", "Zertifikat", "hat am"),
        ("en", "Certificate", "successfully completed the course"),
    ],
)
def test_the_preview_is_a_pdf_with_sample_data_and_stores_nothing(
    admin_client, certificate_template, rpda_certificate, language, title, body
):
    certificates_before, files_before = Certificate.objects.count(), stored_file_count()

    response = admin_client.get(
        reverse("certificate_templates:preview_pdf", args=[certificate_template.pk, language])
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Erika Mustermann" in text
    assert title in text and body in " ".join(text.split())
    assert Certificate.objects.count() == certificates_before
    assert stored_file_count() == files_before


def test_the_list_of_templates_offers_the_pdf_previews(admin_client, certificate_template):
    # The editor previews its form instead (tests/certificates/test_template_preview.py).
    preview_de = reverse("certificate_templates:preview_pdf", args=[certificate_template.pk, "de"])
    preview_en = reverse("certificate_templates:preview_pdf", args=[certificate_template.pk, "en"])

    listing = admin_client.get(reverse(TEMPLATES_LIST))

    assert listing.status_code == 200
    assert preview_de in listing.content.decode()
    assert preview_en in listing.content.decode()


def test_hr_cannot_see_or_preview_templates(hr_client, certificate_template):
    for url in (
        reverse(TEMPLATES_LIST),
        reverse("certificate_templates:edit", args=[certificate_template.pk]),
        reverse("certificate_templates:preview_pdf", args=[certificate_template.pk, "de"]),
    ):
        response = hr_client.get(url)
        assert response.status_code in (302, 403)
        assert "Kompetenzzentrum" not in response.content.decode()


def test_deleting_a_template_that_a_course_uses_is_refused_with_a_message(
    admin_client, certificate_template, certified_course
):
    url = reverse("certificate_templates:delete", args=[certificate_template.pk])

    response = admin_client.post(url)

    assert response.status_code == 302
    assert CertificateTemplate.objects.filter(pk=certificate_template.pk).exists()
    assert messages_of(response) == [in_use_message()]


def test_bulk_deleting_a_template_that_a_course_uses_is_refused(
    admin_client, certificate_template, certified_course
):
    url = reverse("wagtail_bulk_action", args=["certificates", "certificatetemplate", "delete"])

    response = admin_client.post(f"{url}?id={certificate_template.pk}")

    assert response.status_code == 302
    assert CertificateTemplate.objects.filter(pk=certificate_template.pk).exists()
    assert messages_of(response) == [in_use_message()]


def test_a_template_no_course_uses_can_be_deleted(admin_client, certificate_template):
    response = admin_client.post(
        reverse("certificate_templates:delete", args=[certificate_template.pk])
    )

    assert response.status_code == 302
    assert not CertificateTemplate.objects.exists()


# Issued certificates: who sees what


def test_hr_of_the_interior_lists_certificates_of_rpda_but_not_of_finance(
    hr_client, rpda_certificate, finance_certificate
):
    response = hr_client.get(reverse(ISSUED_INDEX))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Anna Lernt" in content and rpda_certificate.code_display in content
    assert "Fritz Finanz" not in content and finance_certificate.code_display not in content


def test_the_listing_shows_authority_course_dates_and_status_in_words(
    admin_client, rpda_certificate
):
    response = admin_client.get(reverse(ISSUED_INDEX))

    content = response.content.decode()
    assert "Regierungspräsidium Darmstadt" in content
    assert "Informationssicherheit am Arbeitsplatz" in content
    assert str(Certificate.Status.VALID.label) in content


def test_hr_gets_not_found_for_a_certificate_outside_their_scope(
    hr_client, rpda_certificate, finance_certificate
):
    assert hr_client.get(inspect_url(rpda_certificate)).status_code == 200
    response = hr_client.get(inspect_url(finance_certificate))
    assert response.status_code == 404
    assert "Fritz" not in response.content.decode()


def test_hr_filters_offer_only_their_authorities_and_courses(
    hr_client, issue, org, rpda_certificate, finance_learner, finance_only_course
):
    issue(finance_learner, finance_only_course)

    response = hr_client.get(reverse(ISSUED_INDEX))

    form = response.context["filters"].form
    authorities = {a.abbreviation for a in form.fields["authority"].queryset}
    assert authorities == {"HMdI", "RPDA", "RPDA-I", "RPKS"}
    assert [c.title for c in form.fields["course"].queryset] == [
        "Informationssicherheit am Arbeitsplatz"
    ]
    assert "Haushaltsrecht" not in response.content.decode()


def test_hr_cannot_filter_their_way_into_another_authority(
    hr_client, org, rpda_certificate, finance_certificate
):
    response = hr_client.get(reverse(ISSUED_INDEX), {"authority": org["hzd"].pk})

    assert finance_certificate.code_display not in response.content.decode()


def test_filtering_by_authority_includes_its_units(
    admin_client, issue, org, certified_course, rpda_certificate
):
    unit_person = UserFactory(first_name="Uwe", last_name="Unterbau", authority=org["rpda_unit"])
    kassel_person = UserFactory(first_name="Karla", last_name="Kassel", authority=org["rpks"])
    issue(unit_person, certified_course)
    issue(kassel_person, certified_course)

    response = admin_client.get(reverse(ISSUED_INDEX), {"authority": org["rpda"].pk})

    content = response.content.decode()
    assert "Anna Lernt" in content and "Uwe Unterbau" in content
    assert "Karla Kassel" not in content


def test_filtering_by_status_finds_revoked_certificates(
    admin_client, centre_admin, rpda_certificate, finance_certificate
):
    from certificates.services import certificate_revoke

    certificate_revoke(certificate=finance_certificate, by=centre_admin, reason="Täuschung")

    revoked = admin_client.get(reverse(ISSUED_INDEX), {"status": "revoked"}).content.decode()
    valid = admin_client.get(reverse(ISSUED_INDEX), {"status": "valid"}).content.decode()

    assert "Fritz Finanz" in revoked and "Anna Lernt" not in revoked
    assert "Anna Lernt" in valid and "Fritz Finanz" not in valid


def test_search_finds_a_certificate_by_name_or_typed_code(
    admin_client, rpda_certificate, finance_certificate
):
    by_name = admin_client.get(reverse(ISSUED_INDEX), {"q": "Anna Lernt"}).content.decode()
    typed = rpda_certificate.code_display.lower()
    by_code = admin_client.get(reverse(ISSUED_INDEX), {"q": typed}).content.decode()

    for content in (by_name, by_code):
        assert rpda_certificate.code_display in content
        assert finance_certificate.code_display not in content


def test_the_detail_links_the_download_and_the_verification(hr_client, rpda_certificate):
    response = hr_client.get(inspect_url(rpda_certificate))

    content = response.content.decode()
    assert reverse("certificates:download", args=[rpda_certificate.pk]) in content
    assert f"/verify/{rpda_certificate.code_display}/" in content
    # HR may look, not act.
    assert reverse("issued_certificates:revoke", args=[rpda_certificate.pk]) not in content
    assert reverse("issued_certificates:reissue", args=[rpda_certificate.pk]) not in content


def test_trainers_get_no_certificate_screens(client, rpda_certificate):
    trainer = UserFactory(roles=["trainer"])
    client.force_login(trainer)

    for url in (
        reverse(ISSUED_INDEX),
        inspect_url(rpda_certificate),
        reverse("certificate_archives:index"),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert "Anna" not in response.content.decode()


def test_learners_get_no_certificate_screens(client, learner, rpda_certificate):
    client.force_login(learner)

    for url in (reverse(ISSUED_INDEX), inspect_url(rpda_certificate)):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert rpda_certificate.code_display not in response.content.decode()


def certificates_menu(user):
    """The names in the Certificates submenu as `user` sees it; None without the menu."""
    request = RequestFactory().get("/admin/")
    request.user = user
    for item in admin_menu.menu_items_for_request(request):
        if item.name == "certificates":
            return [sub.name for sub in item.menu.menu_items_for_request(request)]
    return None


def test_hr_finds_certificates_and_archives_in_the_menu_but_no_templates(hr_innen):
    assert certificates_menu(hr_innen) == ["issued-certificates", "certificate-archives"]


def test_centre_admins_also_find_the_templates_in_the_menu(centre_admin):
    assert certificates_menu(centre_admin) == [
        "issued-certificates",
        "certificate-archives",
        "certificate-templates",
    ]


def test_trainers_find_no_certificates_menu():
    trainer = UserFactory(roles=["trainer"])
    assert certificates_menu(trainer) is None


# Revoking and re-issuing


def test_hr_cannot_revoke(hr_client, rpda_certificate):
    url = reverse("issued_certificates:revoke", args=[rpda_certificate.pk])

    response = hr_client.post(url, {"reason": "Versehentlich ausgestellt"})

    assert response.status_code in (302, 403)
    rpda_certificate.refresh_from_db()
    assert rpda_certificate.revoked_at is None


def test_hr_cannot_reissue(hr_client, rpda_certificate):
    response = hr_client.post(reverse("issued_certificates:reissue", args=[rpda_certificate.pk]))

    assert response.status_code in (302, 403)
    assert Certificate.objects.count() == 1


def test_centre_admin_revokes_with_a_reason(admin_client, centre_admin, rpda_certificate):
    url = reverse("issued_certificates:revoke", args=[rpda_certificate.pk])
    assert admin_client.get(url).status_code == 200  # asks, changes nothing
    rpda_certificate.refresh_from_db()
    assert rpda_certificate.revoked_at is None

    response = admin_client.post(url, {"reason": "Prüfung nicht selbst abgelegt"})

    assert response.status_code == 302
    assert response["Location"] == inspect_url(rpda_certificate)
    rpda_certificate.refresh_from_db()
    assert rpda_certificate.status() == Certificate.Status.REVOKED
    assert rpda_certificate.revoked_reason == "Prüfung nicht selbst abgelegt"
    assert rpda_certificate.revoked_by == centre_admin
    assert messages_of(response) == [msg.MESSAGE_REVOKED % {"code": rpda_certificate.code_display}]


def test_revoking_without_a_reason_shows_the_message(admin_client, rpda_certificate):
    url = reverse("issued_certificates:revoke", args=[rpda_certificate.pk])

    response = admin_client.post(url, {"reason": "   "})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == [str(msg.ERROR_REASON_REQUIRED)]
    assert str(msg.ERROR_REASON_REQUIRED) in response.content.decode()
    rpda_certificate.refresh_from_db()
    assert rpda_certificate.revoked_at is None


def test_reissuing_after_a_name_correction_supersedes_the_old_certificate(
    admin_client, learner, rpda_certificate
):
    learner.last_name = "Lernt-Berichtigt"
    learner.save()
    url = reverse("issued_certificates:reissue", args=[rpda_certificate.pk])
    assert "Anna Lernt-Berichtigt" in admin_client.get(url).content.decode()

    response = admin_client.post(url)

    new = Certificate.objects.get(replaces=rpda_certificate)
    assert response.status_code == 302
    assert response["Location"] == inspect_url(new)
    rpda_certificate.refresh_from_db()
    assert rpda_certificate.status() == Certificate.Status.SUPERSEDED
    assert new.status() == Certificate.Status.VALID
    assert new.content["fields"]["name"] == "Anna Lernt-Berichtigt"
    assert "Anna Lernt-Berichtigt" in pdf_text(new.pdf.open("rb").read())
    assert messages_of(response) == [
        msg.MESSAGE_REISSUED % {"code": new.code_display, "old": rpda_certificate.code_display}
    ]


def test_the_detail_shows_the_history_both_ways(admin_client, learner, rpda_certificate):
    learner.first_name = "Anne"
    learner.save()
    admin_client.post(reverse("issued_certificates:reissue", args=[rpda_certificate.pk]))
    new = Certificate.objects.get(replaces=rpda_certificate)

    old_page = admin_client.get(inspect_url(rpda_certificate)).content.decode()
    new_page = admin_client.get(inspect_url(new)).content.decode()

    assert inspect_url(new) in old_page and new.code_display in old_page
    assert inspect_url(rpda_certificate) in new_page
    assert str(Certificate.Status.SUPERSEDED.label) in old_page


def test_hr_still_sees_a_certificate_after_the_person_moved_into_scope(
    hr_client, org, finance_learner, finance_certificate
):
    user_move(user=finance_learner, authority=org["rpks"])

    assert hr_client.get(inspect_url(finance_certificate)).status_code == 200
