"""Checking a certificate by its PDF file through the public /verify/ form, in Chromium.

A demo learner downloads their certificate from *Mein Lernen*; a visitor who is not signed in
uploads it through the page's own form and is told in German that it is the original; the same
file with one byte changed is reported as not matching. Chromium sends the form's Origin from
the page's Referrer-Policy: under `no-referrer` it was "null" and the check ended in a 403.
"""

import re

from playwright.sync_api import expect

from .certificate import pdf_text

ORIGINAL = "Diese Datei ist das Original des Zertifikats {code}."
NOT_MATCHING = "Diese Datei stimmt mit keinem hier ausgestellten Zertifikat überein."


def _demo_certificate():
    """A valid demo certificate of a learner (no second factor needed to sign in): its holder's
    e-mail, its download path and its code as printed."""
    from django.urls import reverse
    from django.utils import timezone

    from certificates.models import Certificate

    certificate = (
        Certificate.objects.filter(
            sha256__gt="",
            revoked_at__isnull=True,
            replaced_by__isnull=True,
            valid_until__gte=timezone.localdate(),
            user__email__endswith="@demo.example",
            user__is_staff=False,
            user__is_superuser=False,
            user__groups__isnull=True,
        )
        .exclude(user__email="anna.lernt@demo.example")  # the learner journey revokes hers
        .select_related("user")
        .order_by("user__email", "pk")
        .first()
    )
    assert certificate is not None, "the demo data has no valid certificate of a learner"
    return (
        certificate.user.email,
        reverse("certificates:download", args=[certificate.pk]),
        certificate.code_display,
    )


def _check_file(page, *, name, data):
    page.goto("/verify/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zertifikat prüfen")
    page.get_by_label("Zertifikat als PDF-Datei").set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": data}
    )
    with page.expect_response(re.compile(r"/verify/$")) as answer:
        page.get_by_role("button", name="Datei prüfen").click()
    assert answer.value.status == 200, f"the file check answered {answer.value.status}"
    return page.locator("#file-verdict")


def test_a_visitor_checks_a_downloaded_certificate_and_a_changed_copy_in_chromium(
    page, new_page, login, shot, check_a11y, django_read
):
    email, download_path, code = django_read(_demo_certificate)

    login(page, email)
    page.goto("/")
    with page.expect_download() as download:
        page.locator(f'#dashboard-certificates a[href="{download_path}"]').click()
    path = download.value.path()
    assert code in pdf_text(path)
    data = path.read_bytes()

    visitor = new_page()
    verdict = _check_file(visitor, name="zertifikat.pdf", data=data)
    expect(verdict).to_contain_text(ORIGINAL.format(code=code))
    expect(visitor.locator("#file-result")).to_contain_text("Gültig")
    check_a11y(visitor, "verification by file (original)")
    shot(visitor, "verification-file-original")

    middle = len(data) // 2
    changed = data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]
    verdict = _check_file(visitor, name="zertifikat-geaendert.pdf", data=changed)
    expect(verdict).to_contain_text(NOT_MATCHING)
    expect(visitor.locator("#file-result")).not_to_contain_text(code)
    check_a11y(visitor, "verification by file (changed)")
    shot(visitor, "verification-file-changed")
