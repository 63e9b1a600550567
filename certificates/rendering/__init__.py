"""Certificate PDFs: WeasyPrint, A4 landscape, always one page, PDF/A-3b with the data attached.

`certificate_render` turns a certificate's frozen `content` into PDF bytes. What a render may
read is an allow-list (`CertificateURLFetcher`): data: URLs, the project's static files and
images in the default storage; never the network, never other local files. A render has a time
limit, settings.CERTIFICATE_RENDER_SECONDS. The font configuration, the parsed stylesheet and
the images read are kept between the renders of a process.
"""

import json
import logging
import re

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from weasyprint import HTML, Attachment
from weasyprint.urls import URLFetcher

from lms.public_urls import public_url

from ..codes import code_display
from .errors import (
    CertificateLayoutError,
    CertificateRenderError,
    CertificateRenderTimeout,
    CertificateResourceError,
    ResourceRefused,
    _Abort,
)
from .fetcher import MEDIA_SCHEME, STATIC_SCHEME, CertificateURLFetcher, media_src, static_src
from .layout import (
    CONTENT_HEIGHT_MM,
    CONTENT_WIDTH_MM,
    HEADER_MM,
    SIZES,
    SMALLEST,
    Layout,
    _body,
    _next_layout,
    layout_for,
)
from .limits import _time_limit
from .resources import (
    IMAGE_CACHE_MAX,
    STYLESHEET_PATH,
    _forget_resources,
    _ImageCache,
    _keep_images,
    _resources,
)

__all__ = [
    "ATTACHMENT_NAME",
    "CONTENT_HEIGHT_MM",
    "CONTENT_WIDTH_MM",
    "DEFAULT_COLOURS",
    "HEADER_MM",
    "IMAGE_CACHE_MAX",
    "MEDIA_SCHEME",
    "PDF_VARIANT",
    "SIZES",
    "SMALLEST",
    "STATIC_SCHEME",
    "STYLESHEET_PATH",
    "TEMPLATE",
    "CertificateLayoutError",
    "CertificateRenderError",
    "CertificateRenderTimeout",
    "CertificateResourceError",
    "CertificateURLFetcher",
    "Layout",
    "ResourceRefused",
    "certificate_data",
    "certificate_html",
    "certificate_pdf",
    "certificate_render",
    "layout_for",
    "media_src",
    "pdf_options",
    "static_src",
    "verify_url",
]

logger = logging.getLogger(__name__)

TEMPLATE = "certificates/pdf/certificate.html"
ATTACHMENT_NAME = "certificate.json"
PDF_VARIANT = "pdf/a-3b"
DEFAULT_COLOURS = {"colour_primary": "#004B87", "colour_accent": "#C8102E"}
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def verify_url(code: str) -> str:
    """The public verification page of a certificate, as printed and encoded in the QR code."""
    return public_url(reverse("certificates:verify", args=[code_display(code)]))


def _colour(content: dict, key: str) -> str:
    value = content.get(key) or ""
    return value if _COLOUR.match(value) else DEFAULT_COLOURS[key]


def _qr_png(url: str) -> str:
    """The QR code as a data: URL of a PNG with one pixel per module. Drawn without smoothing
    it is sharp at any size, and WeasyPrint embeds it much faster than an SVG path."""
    return segno.make(url, error="m").png_data_uri(scale=1, border=4)


def certificate_html(*, content: dict, code: str, layout: Layout | None = None) -> str:
    """The certificate as the HTML WeasyPrint lays out, in the certificate's language."""
    layout = layout or layout_for(content)
    url = verify_url(code)
    signatures = [
        {
            "name": signature.get("name", ""),
            "function": signature.get("function", ""),
            "src": media_src(signature["image"]) if signature.get("image") else None,
        }
        for signature in content.get("signatures", [])[:2]
    ]
    context = {
        "c": content,
        "code": code_display(code),
        "verify_url": url,
        "qr_src": _qr_png(url),
        "layout": layout,
        "body": _body(content, layout.size),
        "colour_primary": _colour(content, "colour_primary"),
        "colour_accent": _colour(content, "colour_accent"),
        "logo_src": media_src(content["logo"]) if content.get("logo") else None,
        "signatures": signatures,
    }
    with translation.override(content["language"]):
        return render_to_string(TEMPLATE, context)


def certificate_data(*, content: dict, code: str) -> dict:
    """What the PDF carries as certificate.json: the content, the code and where to verify it."""
    return {**content, "code": code_display(code), "verify_url": verify_url(code)}


def _af_once(document, pdf) -> None:
    # WeasyPrint 70 lists a PDF/A-3 attachment twice in the catalogue's /AF array.
    if "AF" in pdf.catalog:
        unique = list(dict.fromkeys(pdf.catalog["AF"]))
        pdf.catalog["AF"].clear()
        pdf.catalog["AF"].extend(unique)


def pdf_options(*, content: dict, code: str, url_fetcher: URLFetcher | None = None) -> dict:
    """The write_pdf arguments of a certificate: PDF/A-3b, its data attached as JSON."""
    data = json.dumps(certificate_data(content=content, code=code), ensure_ascii=False, indent=2)
    with translation.override(content["language"]):
        description = _("Certificate data (machine-readable)")
    now = timezone.now()  # aware UTC: the PDF writes it as UTC
    attachment = Attachment(
        string=data,
        name=ATTACHMENT_NAME,
        description=description,
        created=now,
        modified=now,
        relationship="Data",
        url_fetcher=url_fetcher or CertificateURLFetcher(),
    )
    return {"pdf_variant": PDF_VARIANT, "attachments": [attachment], "finisher": _af_once}


def certificate_render(*, content: dict, code: str) -> bytes:
    """The certificate as PDF bytes: one A4 page, PDF/A-3b, its data attached as JSON.

    Raises CertificateRenderTimeout after settings.CERTIFICATE_RENDER_SECONDS and another
    CertificateRenderError when it cannot be rendered; never returns a partial PDF.
    """
    shared = _resources()
    images = _ImageCache(shared.images)
    try:
        with _time_limit(settings.CERTIFICATE_RENDER_SECONDS) as deadline:
            fetcher = CertificateURLFetcher(deadline=deadline)
            layout = layout_for(content)
            while True:
                document = HTML(
                    string=certificate_html(content=content, code=code, layout=layout),
                    url_fetcher=fetcher,
                ).render(
                    font_config=shared.font_config,
                    stylesheets=[shared.stylesheet],
                    cache=images,
                    pdf_variant=PDF_VARIANT,
                )
                if len(document.pages) == 1:
                    break
                logger.info("A certificate made a second page with %s", layout)
                if (layout := _next_layout(content, layout)) is None:
                    raise CertificateLayoutError("The certificate does not fit on one page.")
            pdf = document.write_pdf(**pdf_options(content=content, code=code, url_fetcher=fetcher))
    except _Abort as abort:
        if isinstance(abort.error, CertificateRenderTimeout):
            _forget_resources(shared)
        raise abort.error from None
    _keep_images(shared, images)
    return pdf


def certificate_pdf(*, certificate) -> bytes:
    return certificate_render(content=certificate.content, code=certificate.code)
