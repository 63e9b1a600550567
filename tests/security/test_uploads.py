"""Uploads in the Wagtail admin: documents only in office and text formats, images only in
raster formats, both of a bounded size; downloads that the browser does not run."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection

pytestmark = pytest.mark.django_db


def upload_document(client, name, content, content_type="application/octet-stream"):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": name,
            "file": SimpleUploadedFile(name, content, content_type=content_type),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def upload_image(client, name, content, content_type="image/png"):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": name,
            "file": SimpleUploadedFile(name, content, content_type=content_type),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def error_codes(response, field="file"):
    return [error.code for error in response.context["form"].errors.as_data().get(field, [])]


def png(size=(8, 8)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, "white").save(buffer, format="PNG")
    return buffer.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


# Documents


def test_a_pdf_document_is_accepted(admin_client):
    response = upload_document(admin_client, "handreichung.pdf", b"%PDF-1.4 Inhalt")
    assert response.status_code == 302
    assert Document.objects.get().filename == "handreichung.pdf"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("seite.html", b"<html><script>alert(1)</script></html>"),
        ("grafik.svg", SVG),
        ("archiv.zip", b"PK\x03\x04"),
    ],
)
def test_documents_that_a_browser_may_run_are_refused(admin_client, name, content):
    response = upload_document(admin_client, name, content)
    assert response.status_code == 200
    # Wagtail's model validation passes the message on without its code.
    [message] = response.context["form"].errors["file"]
    assert name.rsplit(".", 1)[1] in message
    assert not Document.objects.exists()


def test_an_oversized_document_is_refused_with_a_message(admin_client, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    response = upload_document(admin_client, "gross.pdf", b"%PDF-1.4 " + b"0" * 2048)
    assert response.status_code == 200
    # Wagtail adds a second, confusing error (an empty extension) after the size error.
    assert error_codes(response)[0] == "file_too_large"
    assert response.context["form"].errors["file"][0] in response.content.decode()
    assert not Document.objects.exists()


def test_the_document_limits_are_configured():
    from django.conf import settings

    assert settings.WAGTAILDOCS_MAX_UPLOAD_SIZE == 20 * 1024 * 1024
    assert "svg" not in settings.WAGTAILDOCS_EXTENSIONS
    assert "html" not in settings.WAGTAILDOCS_EXTENSIONS


# Images


def test_an_svg_image_is_refused(admin_client):
    response = upload_image(admin_client, "grafik.svg", SVG, content_type="image/svg+xml")
    assert response.status_code == 200
    assert error_codes(response)
    assert not Image.objects.exists()


def test_an_image_over_ten_megabytes_is_refused_with_a_message(admin_client):
    # A real PNG, padded past the limit: browsers and Pillow ignore bytes after the image.
    content = png() + b"\0" * (10 * 1024 * 1024)
    response = upload_image(admin_client, "riesig.png", content)
    assert response.status_code == 200
    assert error_codes(response) == ["file_too_large"]
    message = response.context["form"].errors["file"][0]
    assert message in response.content.decode()
    assert not Image.objects.exists()


def test_a_small_png_image_is_accepted(admin_client):
    response = upload_image(admin_client, "schaubild.png", png())
    assert response.status_code == 302
    assert Image.objects.get().title == "schaubild.png"


# Downloads


def document(name, content=b"Inhalt"):
    return Document.objects.create(title=name, file=ContentFile(content, name=name))


def test_office_documents_are_downloaded_not_opened(client):
    response = client.get(document("liste.docx").url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_text_document_is_downloaded_not_shown(client):
    response = client.get(document("hinweise.txt", b"<script>alert(1)</script>").url)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_a_pdf_opens_in_the_browser_without_running_anything(client):
    response = client.get(document("handreichung.pdf", b"%PDF-1.4 Inhalt").url)
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Security-Policy"] == "default-src 'none'"
