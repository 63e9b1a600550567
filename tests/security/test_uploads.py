"""Uploads in the Wagtail admin: documents only in office and text formats, images only in
raster formats, both of a bounded size; downloads that the browser does not run; the people
import takes CSV files only and never unpacks a workbook or archive."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils.html import escape
from openpyxl import Workbook
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection

from lms.people import messages as people_messages
from lms.people.imports import RowError
from lms.people.models import User

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


def test_an_image_of_too_many_pixels_is_refused_before_it_is_decoded(admin_client, settings):
    # 1-bit pixels of one colour: a few kilobytes that would decode to far more.
    buffer = io.BytesIO()
    PILImage.new("1", (8000, 6000), 1).save(buffer, format="PNG")
    assert len(buffer.getvalue()) < 100_000
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS < 8000 * 6000
    response = upload_image(admin_client, "flaeche.png", buffer.getvalue())
    assert response.status_code == 200
    assert error_codes(response) == ["file_too_many_pixels"]
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


# The people import: CSV only


def import_people(client, name, content):
    return client.post(
        reverse("people_import"),
        {"file": SimpleUploadedFile(name, content, content_type="application/octet-stream")},
    )


def xlsx_workbook():
    workbook = Workbook()
    workbook.active.append(["E-Mail", "Vorname", "Nachname", "Behörde"])
    workbook.active.append(["anna.berg@verwaltung.example", "Anna", "Berg", "RPDA"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bomb():
    """A small archive that unpacks to 64 MB of zeros, under the name of an XLSX sheet."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as entry,
    ):
        for _ in range(64):
            entry.write(bytes(1024 * 1024))
    return buffer.getvalue()


def zip_of_many_entries(count=20_000):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(count):
            archive.writestr(f"xl/{number}.xml", b"")
    return buffer.getvalue()


def zip_slip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../etc/cron.d/lms", b"* * * * * root id")
        archive.writestr("/var/lib/lms/absolut.csv", b"E-Mail;Vorname;Nachname;Beh\xc3\xb6rde")
    return buffer.getvalue()


def old_excel():
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096)


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("personen.xlsx", xlsx_workbook),
        ("personen.xlsx", zip_bomb),
        ("personen.xlsx", zip_of_many_entries),
        ("personen.zip", zip_slip),
        ("personen.xls", old_excel),
        ("personen.csv", zip_bomb),
    ],
    ids=["workbook", "unpacks-to-64-mb", "20000-entries", "paths-outside", "old-excel", "renamed"],
)
def test_a_workbook_or_archive_is_refused_with_a_message(admin_client, org, name, make):
    content = make()
    assert len(content) < 5 * 1024 * 1024  # under the size limit: the type alone refuses it
    response = import_people(admin_client, name, content)
    assert response.status_code == 200
    assert response.context["errors"] == [
        RowError(0, str(people_messages.IMPORT_ERROR_SPREADSHEET))
    ]
    assert escape(str(people_messages.IMPORT_ERROR_SPREADSHEET)) in response.content.decode()
    assert not User.objects.filter(email="anna.berg@verwaltung.example").exists()


def test_the_import_command_refuses_a_workbook_with_the_message(org, tmp_path, capsys):
    path = tmp_path / "personen.xlsx"
    path.write_bytes(xlsx_workbook())
    with pytest.raises(CommandError):
        call_command("import_users", str(path))
    assert str(people_messages.IMPORT_ERROR_SPREADSHEET) in capsys.readouterr().err


def test_an_import_file_over_the_limit_is_refused_before_it_is_read(admin_client, settings):
    settings.LMS_IMPORT_MAX_BYTES = 1024
    response = import_people(admin_client, "personen.csv", b"E-Mail;" + b"x" * 2048)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
