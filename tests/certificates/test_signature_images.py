"""Signature images of certificate templates: centre admins choose them, nobody else sees them;
trainers keep uploading and choosing the images of their lessons."""

import importlib
import io

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, GroupCollectionPermission
from wagtail.test.utils.form_data import inline_formset

from certificates.demo import seed_certificate_templates
from certificates.models import CertificateSignature, CertificateTemplate
from courses.authoring import catalogue_permissions_ensure
from tests.certificates.test_admin import template_form_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHOOSER = "wagtailimages_chooser:choose"
SIGNATURE_TITLE = "Unterschrift Dr. Maria Beispiel"


@pytest.fixture
def trainer(org, catalog):
    catalogue_permissions_ensure(catalog)
    return UserFactory(authority=org["rpda"], roles=["trainer"])


def image(title, collection=None):
    return Image.objects.create(
        title=title,
        file=get_test_image_file(),
        collection=collection or Collection.get_first_root_node(),
    )


def png_upload(name):
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def chooser_titles(client, user):
    client.force_login(user)
    response = client.get(reverse(CHOOSER))
    assert response.status_code == 200
    return response.text


@pytest.fixture
def signed_template(client, centre_admin):
    """A template that a centre admin saved in the admin, with a signature uploaded to the
    collection the upload form offers first."""
    signature = image(SIGNATURE_TITLE)
    client.force_login(centre_admin)
    data = template_form_data(
        signatures=inline_formset(
            [{"image": signature.pk, "name": "Dr. Maria Beispiel", "function": "Leiterin"}]
        )
    )
    response = client.post(reverse("certificate_templates:add"), data)
    assert response.status_code == 302
    client.logout()
    return CertificateTemplate.objects.get(name="Fortbildung")


def test_a_trainers_image_chooser_does_not_list_signatures(client, trainer, signed_template):
    assert SIGNATURE_TITLE not in chooser_titles(client, trainer)


def test_a_trainer_cannot_open_a_signature_image(client, trainer, signed_template):
    signature = signed_template.signatures.get().image
    client.force_login(trainer)
    response = client.get(reverse("wagtailimages:edit", args=(signature.pk,)))
    assert response.status_code in (302, 403)
    listing = client.get(reverse("wagtailimages:index"))
    assert SIGNATURE_TITLE not in listing.text


def test_a_centre_admin_chooses_signatures(client, centre_admin, signed_template):
    assert SIGNATURE_TITLE in chooser_titles(client, centre_admin)
    client.force_login(centre_admin)
    edit = reverse("certificate_templates:edit", args=(signed_template.pk,))
    assert client.get(edit).status_code == 200


def test_hr_sees_no_signatures_and_still_the_certificates(client, hr_innen, signed_template):
    assert SIGNATURE_TITLE not in chooser_titles(client, hr_innen)
    assert client.get(reverse("issued_certificates:index")).status_code == 200


def test_trainers_still_choose_and_upload_lesson_images(client, trainer, signed_template):
    client.force_login(trainer)
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "Schaubild E-Akte", "file": png_upload("schaubild.png")},
    )
    assert response.status_code == 302, response.context["form"].errors
    uploaded = Image.objects.get(title="Schaubild E-Akte")
    assert uploaded.collection.name == "Kursmedien"
    assert "Schaubild E-Akte" in chooser_titles(client, trainer)


def test_no_group_has_image_permissions_on_the_root_or_the_signatures(trainer):
    reaching = GroupCollectionPermission.objects.filter(
        permission__content_type__app_label="wagtailimages",
        collection__name__in=["Root", "Unterschriften"],
    )
    assert not reaching.exists()


def test_the_demo_keeps_signatures_from_trainers(client, trainer):
    seed_certificate_templates()
    signatures = Image.objects.filter(
        pk__in=CertificateSignature.objects.values("image_id")
    ).order_by("title")
    assert signatures.count() == 3
    assert {image.collection.name for image in signatures} == {"Unterschriften"}
    shown = chooser_titles(client, trainer)
    assert not [image.title for image in signatures if image.title in shown]


def test_existing_signatures_and_root_permissions_move_on_migrating(client, trainer):
    """What the migration does to a database of before: signatures and trainers' image
    permissions in the root collection."""
    root = Collection.get_first_root_node()
    signature = image("Unterschrift alt")
    lesson_image = image("Schaubild alt")
    template = CertificateTemplate.objects.create(
        name="Alt", issuer="Zentrum", body_de="{name} hat {course} abgeschlossen."
    )
    CertificateSignature.objects.create(
        template=template, image=signature, name="Alt", function="Leitung"
    )
    trainers = Group.objects.get(name="Trainer")
    for grant in GroupCollectionPermission.objects.filter(group=trainers):
        GroupCollectionPermission.objects.get_or_create(
            group=trainers, collection=root, permission=grant.permission
        )
    assert "Unterschrift alt" in chooser_titles(client, trainer)

    migration = importlib.import_module("certificates.migrations.0004_signature_collection")
    migration.forwards(apps, None)

    signature.refresh_from_db()
    lesson_image.refresh_from_db()
    assert signature.collection.name == "Unterschriften"
    assert lesson_image.collection.name == "Kursmedien"
    shown = chooser_titles(client, trainer)
    assert "Unterschrift alt" not in shown
    assert "Schaubild alt" in shown
    assert not GroupCollectionPermission.objects.filter(
        collection=root, permission__content_type__app_label="wagtailimages"
    ).exists()
    assert not any(Collection.find_problems())
