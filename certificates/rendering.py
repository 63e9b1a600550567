"""Certificate PDFs with WeasyPrint."""

import json

import segno
from django.template.loader import render_to_string
from django.urls import reverse
from django.conf import settings
from django.utils import translation
from weasyprint import HTML, Attachment

from .codes import code_display


def verify_url(code: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "certificates:verify", args=[code_display(code)]
    )


def certificate_render(*, content: dict, code: str) -> bytes:
    url = verify_url(code)
    qr = segno.make(url, error="m").svg_inline(scale=3)
    with translation.override(content["language"]):
        html = render_to_string(
            "certificates/pdf/certificate.html",
            {"c": content, "code": code_display(code), "verify_url": url, "qr_svg": qr},
        )
    attachment = Attachment(
        string=json.dumps({**content, "code": code_display(code)}, ensure_ascii=False),
        name="certificate.json",
        relationship="Data",
    )
    return HTML(string=html).write_pdf(pdf_variant="pdf/a-3b", attachments=[attachment])


def certificate_pdf(*, certificate) -> bytes:
    return certificate_render(content=certificate.content, code=certificate.code)
