"""The template editor previews the form as it is, unsaved: what the PDF would look like after
saving, before anything goes live."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from certificates import admin_messages as msg
from certificates.models import Certificate, CertificateTemplate
from certificates.models.templates import ERROR_UNKNOWN_PLACEHOLDER
from tests.certificates.test_rendering import image_sizes

pytestmark = pytest.mark.django_db

LOGO_SIZE = (321, 123)
SIGNATURE_SIZE = (287, 91)


@pytest.fixture
def admin_client(client, centre_admin):
    client.force_login(centre_admin)
    return client


def pdf_of(response) -> PdfReader:
    assert response.status_code == 200, response.content[:2000]
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def text_of(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def edit_form_data(template, signatures=None, **overrides):
    """The editor's form as the browser sends it for `template`, with `overrides` typed in."""
    if signatures is None:
        signatures = [
            {
                "id": signature.pk,
                "image": signature.image_id or "",
                "name": signature.name,
                "function": signature.function,
            }
            for signature in template.signatures.all()
        ]
    fields = {
        "name": template.name,
        "issuer": template.issuer,
        "title_de": template.title_de,
        "body_de": template.body_de,
        "title_en": template.title_en,
        "body_en": template.body_en,
        "logo": template.logo_id or "",
        "colour_primary": template.colour_primary,
        "colour_accent": template.colour_accent,
        "signatures": inline_formset(signatures, initial=template.signatures.count()),
        **overrides,
    }
    return nested_form_data(fields)


def preview_url(template, language="de"):
    return reverse("certificate_templates:preview_form", args=[template.pk, language])


def test_an_edited_text_is_previewed_before_it_is_saved(admin_client, certificate_template):
    saved_body, saved_version = certificate_template.body_de, certificate_template.version
    data = edit_form_data(
        certificate_template,
        title_de="Teilnahmebestätigung",
        body_de="{name} hat die neue Fortbildung „{course}“ am {date} besucht.",
    )

    reader = pdf_of(admin_client.post(preview_url(certificate_template), data))

    text = text_of(reader)
    assert "Teilnahmebestätigung" in text
    assert "hat die neue Fortbildung" in text and "Erika Mustermann" in text
    certificate_template.refresh_from_db()
    assert certificate_template.body_de == saved_body
    assert certificate_template.version == saved_version
    assert not Certificate.objects.exists()


def test_a_newly_chosen_logo_and_signature_image_are_in_the_preview(
    admin_client, certificate_template
):
    logo = Image.objects.create(
        title="Logo", file=get_test_image_file("logo.png", colour="navy", size=LOGO_SIZE)
    )
    autograph = Image.objects.create(
        title="Unterschrift",
        file=get_test_image_file("unterschrift.png", colour="black", size=SIGNATURE_SIZE),
    )
    [signature] = certificate_template.signatures.all()
    data = edit_form_data(
        certificate_template,
        logo=logo.pk,
        signatures=[
            {"id": signature.pk, "image": autograph.pk, "name": "Jonas Neu", "function": "Leiter"}
        ],
    )

    reader = pdf_of(admin_client.post(preview_url(certificate_template, "en"), data))

    assert {LOGO_SIZE, SIGNATURE_SIZE} <= image_sizes(reader)
    assert "Jonas Neu" in text_of(reader)
    certificate_template.refresh_from_db()
    assert certificate_template.logo_id is None
    assert [s.name for s in certificate_template.signatures.all()] == ["Dr. Maria Beispiel"]


def test_a_new_template_is_previewed_before_it_is_first_saved(admin_client, centre_admin):
    template = CertificateTemplate(
        name="Neu", issuer="Lernzentrum", title_de="Urkunde", body_de="{name}: {course}."
    )
    data = edit_form_data(template, signatures=[])

    reader = pdf_of(
        admin_client.post(reverse("certificate_templates:preview_new", args=["de"]), data)
    )

    assert "Urkunde" in text_of(reader)
    assert not CertificateTemplate.objects.filter(name="Neu").exists()


def test_an_invalid_form_gets_its_mistakes_named_not_an_error_page(
    admin_client, certificate_template
):
    data = edit_form_data(
        certificate_template, body_de="{name} hat {kurs} abgeschlossen.", colour_primary="blau"
    )

    response = admin_client.post(preview_url(certificate_template), data)

    assert response.status_code == 422
    page = response.content.decode()
    with translation.override("de"):
        assert str(msg.PREVIEW_REFUSED) in page
        assert "{kurs}" in page
        assert str(ERROR_UNKNOWN_PLACEHOLDER).split("{")[0] in page
        assert "#RRGGBB" in page
    certificate_template.refresh_from_db()
    assert "{kurs}" not in certificate_template.body_de


def test_the_editor_offers_the_preview_of_the_form_in_both_languages(
    admin_client, certificate_template
):
    edit = admin_client.get(reverse("certificate_templates:edit", args=[certificate_template.pk]))
    add = admin_client.get(reverse("certificate_templates:add"))

    for language in ("de", "en"):
        assert f'formaction="{preview_url(certificate_template, language)}"' in (
            edit.content.decode()
        )
        new = reverse("certificate_templates:preview_new", args=[language])
        assert f'formaction="{new}"' in add.content.decode()
    # Keeps Wagtail's warning about unsaved changes on after a preview.
    assert "certificates/admin/template-preview.js" in edit.content.decode()


def test_hr_cannot_preview_a_form(client, hr_innen, certificate_template):
    client.force_login(hr_innen)
    response = client.post(preview_url(certificate_template), edit_form_data(certificate_template))
    assert response.status_code in (302, 403)
    assert response.get("Content-Type") != "application/pdf"


def test_the_preview_of_a_form_takes_no_get(admin_client, certificate_template):
    assert admin_client.get(preview_url(certificate_template)).status_code == 405
