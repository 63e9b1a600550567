"""What a render raises, in one place: the fetcher, the time limit and the render all raise them."""

from weasyprint.urls import FatalURLFetchingError


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
