"""What a render may read, an allow-list: data: URLs, the project's static files and the
default storage; never the network, never other local files.

The certificate HTML names its images with private URL schemes that only this fetcher reads.
"""

import logging
import mimetypes
import time
from pathlib import Path
from urllib.parse import quote, unquote
from urllib.request import DataHandler, Request

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .errors import CertificateRenderTimeout, CertificateResourceError, ResourceRefused, _Abort
from .limits import _timeout_message

logger = logging.getLogger(__name__)

MEDIA_SCHEME = "lms-media:"
STATIC_SCHEME = "lms-static:"


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
