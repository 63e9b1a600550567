"""Links that outlive the request: printed on certificates, sent in e-mails.

They are built from settings.PUBLIC_BASE_URL alone, never from the request's host (which the
client chooses) nor from the Wagtail site record (whose hostname is whatever it was set up with).
"""

from django.conf import settings


def public_url(path: str) -> str:
    """The absolute public URL of a path on this site, e.g. public_url(reverse("..."))."""
    if not path.startswith("/") or path.startswith("//"):
        raise ValueError(f"public_url needs a path from the site's root, got {path!r}")
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def page_public_url(page) -> str | None:
    """The public URL of a Wagtail page, or None if it is not routable."""
    url_parts = page.get_url_parts()
    if url_parts is None:
        return None
    _site_id, _root_url, page_path = url_parts
    return public_url(page_path)
