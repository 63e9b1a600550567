"""Certificate PDFs: WeasyPrint, A4 landscape, always one page, PDF/A-3b with the data attached.

`certificate_render` turns a certificate's frozen `content` into PDF bytes. What a render may
read is an allow-list (`CertificateURLFetcher`): data: URLs, the project's static files and
images in the default storage; never the network, never other local files. A render has a time
limit, settings.CERTIFICATE_RENDER_SECONDS. The font configuration, the parsed stylesheet and
the images read are kept between the renders of a process.
"""

import dataclasses
import json
import logging
import mimetypes
import re
import signal
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, unquote
from urllib.request import DataHandler, Request

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from .codes import code_display

logger = logging.getLogger(__name__)

TEMPLATE = "certificates/pdf/certificate.html"
STYLESHEET_PATH = Path(__file__).resolve().parent / "static" / "certificates" / "certificate.css"
# Private URL schemes of the certificate HTML, which only our fetcher understands.
MEDIA_SCHEME = "lms-media:"
STATIC_SCHEME = "lms-static:"
ATTACHMENT_NAME = "certificate.json"
PDF_VARIANT = "pdf/a-3b"
DEFAULT_COLOURS = {"colour_primary": "#004B87", "colour_accent": "#C8102E"}
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
# Images kept between renders (logos, signatures): a bound against unforeseen growth.
IMAGE_CACHE_MAX = 256


class CertificateRenderError(Exception):
    """The certificate could not be rendered; nothing may be stored."""


class CertificateRenderTimeout(CertificateRenderError):
    """Rendering took longer than settings.CERTIFICATE_RENDER_SECONDS."""


class CertificateLayoutError(CertificateRenderError):
    """The content does not fit on one page even in the smallest size class."""


class CertificateResourceError(CertificateRenderError):
    """The storage failed to read an image, for another reason than its absence."""


class ResourceRefused(ValueError):
    """Not data:, not one of the project's static files, not a file in the default storage."""


class _Abort(FatalURLFetchingError):
    """Carries a CertificateRenderError out of WeasyPrint.

    WeasyPrint catches `Exception` around fetching and loading images and renders on without
    them; this is a BaseException (as FatalURLFetchingError is), so it ends the render instead.
    `certificate_render` raises the ordinary exception it carries.
    """

    def __init__(self, error: CertificateRenderError):
        super().__init__(str(error))
        self.error = error


def verify_url(code: str) -> str:
    """The public verification page of a certificate, as printed and encoded in the QR code."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "certificates:verify", args=[code_display(code)]
    )


def media_src(name: str) -> str:
    """How the certificate HTML refers to a file in the default storage.

    The file's modification time in the query keeps a file uploaded under a deleted one's name
    from being taken for it in the image cache.
    """
    try:
        version = str(default_storage.get_modified_time(name).timestamp())
    except Exception:  # reading it fails next, and reports why
        version = ""
    return f"{MEDIA_SCHEME}{quote(name)}?v={version}"


def static_src(path: str) -> str:
    """How the certificate HTML refers to one of the project's static files."""
    return STATIC_SCHEME + quote(path)


# --- Reading resources -----------------------------------------------------------------------


def _relative_name(quoted: str) -> str | None:
    """The storage or static name in a URL, or None if it could leave its root."""
    name = unquote(quoted.split("#", 1)[0].split("?", 1)[0])
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return None
    if any(part in ("", ".", "..") for part in name.split("/")):
        return None
    return name


def _static_path(name: str) -> Path | None:
    if found := finders.find(name):
        return Path(found)
    if settings.STATIC_ROOT:
        root = Path(settings.STATIC_ROOT).resolve()
        path = (root / name).resolve()
        if path.is_relative_to(root) and path.is_file():
            return path
    return None


def _mime_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


class CertificateURLFetcher(URLFetcher):
    """Fetches only what a certificate may show: never the network, never other local files.

    Allowed: data: URLs; `lms-static:<path>`, a static file found by the staticfiles finders or
    in STATIC_ROOT; `lms-media:<name>`, a file read through Django's default storage (so S3
    works as the local disk does). Names that could leave their root (`..`, absolute paths)
    and every other URL (file:, http:, https:, ftp: …) are refused.

    A refused URL or a missing file is not fatal: WeasyPrint logs it and renders the certificate
    without that image. A certificate without its logo is better than none, and what a
    certificate shows comes from our template, never from content. A storage that fails
    otherwise (S3 unreachable) ends the render with CertificateResourceError instead: the
    certificate is not stored without its images, and the reconciliation renders it later.
    """

    def __init__(self, *, deadline: float | None = None):
        # The base class sets up urllib handlers that are never used: `fetch` opens nothing.
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
        self.deadline = deadline

    def fetch(self, url, headers=None):
        # Off the main thread no signal interrupts WeasyPrint; the limit is enforced here then.
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise _Abort(CertificateRenderTimeout(_timeout_message()))
        if url.startswith("data:"):
            # urllib's parser of data: URLs; it opens nothing.
            response = DataHandler().data_open(Request(url))  # noqa: S310
            return URLFetcherResponse(url, response.read(), dict(response.headers))
        if url.startswith(MEDIA_SCHEME):
            return self._media(url)
        if url.startswith(STATIC_SCHEME):
            return self._static(url)
        logger.warning("Certificate rendering refused to fetch %.200s", url)
        raise ResourceRefused(f"Not allowed in a certificate: {url[:200]}")

    def _media(self, url):
        name = _relative_name(url[len(MEDIA_SCHEME) :])
        if name is None:
            logger.warning("Certificate rendering refused the media name in %.200s", url)
            raise ResourceRefused(f"Not a media file name: {url[:200]}")
        try:
            with default_storage.open(name, "rb") as file:
                data = file.read()
        except FileNotFoundError:
            logger.warning("Certificate image %s is missing from the storage", name)
            raise
        except Exception as error:  # any storage's failure: S3's are no OSErrors
            raise _Abort(CertificateResourceError(f"Reading {name}: {error}")) from error
        return URLFetcherResponse(url, data, {"Content-Type": _mime_type(name)})

    def _static(self, url):
        name = _relative_name(url[len(STATIC_SCHEME) :])
        path = _static_path(name) if name else None
        if path is None:
            logger.warning("Certificate rendering found no static file for %.200s", url)
            raise ResourceRefused(f"Not a static file: {url[:200]}")
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": _mime_type(name)})


# --- What renders share ----------------------------------------------------------------------


class _ImageCache(dict):
    """One render's images, falling back to those that earlier renders kept.

    WeasyPrint's own cache would also keep a failed image (as None) for good, and a storage
    hiccup must not cost every later certificate its logo: only images a successful render read
    are kept (`_keep_images`). The shared dict only grows, so a key found in it stays there.
    Keys are URLs with the file's modification time (`media_src`): a file stored again under
    the same name is another image.
    """

    def __init__(self, shared: dict):
        super().__init__()
        self.shared = shared

    def __contains__(self, key):
        return super().__contains__(key) or key in self.shared

    def __missing__(self, key):
        return self.shared[key]


@dataclasses.dataclass(frozen=True)
class _Shared:
    font_config: FontConfiguration
    stylesheet: CSS
    images: dict


_shared: _Shared | None = None
_shared_lock = threading.Lock()


def _resources() -> _Shared:
    """The font configuration, stylesheet and image cache of this process, built on first use.

    Celery prefork and gunicorn sync workers render one certificate at a time per process; in
    a threaded server, renders share them, which WeasyPrint only ever adds to.
    """
    global _shared
    if (shared := _shared) is None:
        with _shared_lock:
            if _shared is None:
                font_config = FontConfiguration()
                stylesheet = CSS(
                    filename=STYLESHEET_PATH,
                    font_config=font_config,
                    url_fetcher=CertificateURLFetcher(),
                )
                _shared = _Shared(font_config=font_config, stylesheet=stylesheet, images={})
            shared = _shared
    return shared


def _forget_resources(shared: _Shared) -> None:
    """Build afresh after a render was interrupted anywhere, in case that left them half-done.
    Renders still running keep theirs."""
    global _shared
    with _shared_lock:
        if _shared is shared:
            _shared = None


def _keep_images(shared: _Shared, images: _ImageCache) -> None:
    """Keep for later renders the images this one read from the storage or static files.

    An image holds on to the dict it was loaded with (its data lives there), so its URL is all
    the shared cache needs. data: URLs (the QR code) differ for every certificate: never kept.
    """
    global _shared
    kept = {
        url: image
        for url, image in dict.items(images)
        if isinstance(url, str) and url.startswith((MEDIA_SCHEME, STATIC_SCHEME)) and image
    }
    if not kept:
        return
    with _shared_lock:
        if len(shared.images) + len(kept) <= IMAGE_CACHE_MAX:
            shared.images.update(kept)
        elif _shared is shared:  # full: a new dict, as renders may be reading the old one
            _shared = dataclasses.replace(shared, images=kept)


# --- Time limit ------------------------------------------------------------------------------


def _timeout_message() -> str:
    return f"Rendering the certificate took longer than {settings.CERTIFICATE_RENDER_SECONDS} s."


@contextmanager
def _time_limit(seconds: float):
    """Yields the deadline; on the main thread, SIGALRM interrupts the render when it passes.

    WeasyPrint has no timeout of its own. Celery prefork and gunicorn sync workers render on
    the main thread, where the signal interrupts layout wherever it is. Signals reach only the
    main thread: elsewhere (threaded servers) the limit is checked at each fetched resource
    only, and a layout stuck between fetches runs to its end. Nor do we take over SIGALRM while
    someone else's timer runs; theirs bounds the render then.
    """
    deadline = time.monotonic() + seconds
    if not (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    ):
        yield deadline
        return

    expired = False

    def on_alarm(signum, frame):
        nonlocal expired
        expired = True
        # Again shortly, in case a broad `except` in WeasyPrint (SVG drawing) swallowed this one.
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        raise _Abort(CertificateRenderTimeout(_timeout_message()))

    previous = signal.signal(signal.SIGALRM, on_alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield deadline
    finally:
        while True:  # the alarm may go off while we disarm it: until the old handler is back
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
                break
            except _Abort:
                continue
    if expired:
        raise _Abort(CertificateRenderTimeout(_timeout_message()))


# --- Layout ----------------------------------------------------------------------------------

# The page area in mm as the stylesheet lays it out (A4 landscape less margins), the header.
CONTENT_WIDTH_MM = 261
CONTENT_HEIGHT_MM = 157
HEADER_MM = 24.6
_PT = 25.4 / 72
# Average advances of DejaVu Sans in em, generous, so that estimates err towards smaller type.
_EM_REGULAR, _EM_BOLD = 0.52, 0.6
# Per size class (.size-0 … .size-4 in the stylesheet): point sizes of title, name and text,
# the text's line height and width (mm), and the gaps between them (mm).
SIZES = [
    {"title": 24, "name": 26, "text": 12.5, "leading": 1.45, "width": 215, "gaps": 13},
    {"title": 21, "name": 21, "text": 11, "leading": 1.45, "width": 215, "gaps": 10},
    {"title": 18, "name": 17, "text": 9.5, "leading": 1.45, "width": 249, "gaps": 8},
    {"title": 15, "name": 13.5, "text": 8.5, "leading": 1.45, "width": 261, "gaps": 6},
    {"title": 12, "name": 11, "text": 7, "leading": 1.3, "width": 261, "gaps": 4},
]
SMALLEST = len(SIZES) - 1
# Signatures cannot shrink when they do not fit, so they are estimated more generously still
# (and at the widest glyph's advance as a last resort): 9 pt at line height 1.3 in a column
# 94 mm wide, an image up to 16 mm, the rule above the name.
_SIGNATURE_EM_REGULAR, _SIGNATURE_EM_BOLD = 0.58, 0.66
_EM_WIDEST = 1.0
_SIGNATURE_LINE_MM = 9 * 1.3 * _PT
_SIGNATURE_WIDTH_MM = 94
_SIGNATURE_IMAGE_MM = 17
_SIGNATURE_RULE_MM = 2.5


@dataclasses.dataclass(frozen=True)
class Layout:
    """A size class, and the heights of the middle (title, name, text) and the signatures,
    which with the header fill the page area exactly."""

    size: int
    middle_mm: float
    signatures_mm: float


def _lines(text: str, *, pt: float, width_mm: float, em: float) -> int:
    """The lines a text takes, wrapped at spaces as WeasyPrint does, at an average advance."""
    per_line = max(1, int(width_mm / (pt * _PT * em)))
    count = 0
    for paragraph in text.split("\n"):
        count += 1
        used = 0
        for word in paragraph.split():
            if used and used + 1 + len(word) > per_line:
                count += 1
                used = 0
            used += (1 if used else 0) + len(word)
            while used > per_line:  # a word longer than a line is broken
                count += 1
                used -= per_line
    return count


def _signatures_mm(content: dict, *, widest: bool = False) -> float:
    bold, regular = (
        (_EM_WIDEST, _EM_WIDEST) if widest else (_SIGNATURE_EM_BOLD, _SIGNATURE_EM_REGULAR)
    )
    tallest = 0.0
    for signature in content.get("signatures", [])[:2]:
        name, function = signature.get("name", ""), signature.get("function", "")
        lines = _lines(name, pt=9, width_mm=_SIGNATURE_WIDTH_MM, em=bold)
        lines += _lines(function, pt=9, width_mm=_SIGNATURE_WIDTH_MM, em=regular)
        image = _SIGNATURE_IMAGE_MM if signature.get("image") else 0
        tallest = max(tallest, image + lines * _SIGNATURE_LINE_MM + _SIGNATURE_RULE_MM + 1)
    return round(tallest, 1)


def _middle_left(signatures_mm: float) -> float:
    return round(CONTENT_HEIGHT_MM - HEADER_MM - signatures_mm - 0.5, 1)


def _middle_mm(content: dict, body: str, size: dict) -> float:
    """The estimated height of title, name and text in a size class."""
    width = CONTENT_WIDTH_MM - (24 if size["width"] < CONTENT_WIDTH_MM else 0)
    title = _lines(content.get("title", ""), pt=size["title"], width_mm=width, em=_EM_BOLD)
    name = _lines(content["fields"]["name"], pt=size["name"], width_mm=width, em=_EM_BOLD)
    text = _lines(body, pt=size["text"], width_mm=size["width"], em=_EM_REGULAR)
    paragraphs = len(re.split(r"\n{2,}", body.strip()))
    return (
        size["gaps"]
        + (title * size["title"] + name * size["name"]) * 1.15 * _PT
        + (text * size["leading"] + (paragraphs - 1) * 0.6) * size["text"] * _PT
    )


def layout_for(content: dict) -> Layout:
    """The largest size class whose estimated height fits; the render checks the estimate."""
    signatures_mm = _signatures_mm(content)
    middle_mm = _middle_left(signatures_mm)
    for index, size in enumerate(SIZES[:SMALLEST]):
        if _middle_mm(content, content["body"], size) <= middle_mm:
            return Layout(index, middle_mm, signatures_mm)
    return Layout(SMALLEST, middle_mm, signatures_mm)


def _next_layout(content: dict, layout: Layout) -> Layout | None:
    """What to try after `layout` made a second page: the next smaller type, then room for
    signatures of the widest letters; None when nothing is left."""
    if layout.size < SMALLEST:
        return dataclasses.replace(layout, size=layout.size + 1)
    widest = _signatures_mm(content, widest=True)
    if widest > layout.signatures_mm:
        return Layout(SMALLEST, _middle_left(widest), widest)
    return None


def _body(content: dict, size: int) -> str:
    # The smallest class runs the text on as one paragraph: then a text of many short lines
    # fits too, and no text the template allows can take more than the page.
    if size == SMALLEST:
        return " ".join(content["body"].split())
    return content["body"]


# --- Rendering -------------------------------------------------------------------------------


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
