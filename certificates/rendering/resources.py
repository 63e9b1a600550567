"""The font configuration, the parsed stylesheet and the images read, kept between the renders
of a process instead of built again for every certificate."""

import dataclasses
import threading
from pathlib import Path

from weasyprint import CSS
from weasyprint.text.fonts import FontConfiguration

from .fetcher import MEDIA_SCHEME, STATIC_SCHEME, CertificateURLFetcher

# certificates/static/certificates/certificate.css, next to this package.
STYLESHEET_PATH = (
    Path(__file__).resolve().parent.parent / "static" / "certificates" / "certificate.css"
)
# Images kept between renders (logos, signatures): a bound against unforeseen growth.
IMAGE_CACHE_MAX = 256


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
