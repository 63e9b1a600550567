"""Content-Security-Policy values built from the policies in settings.

Django 5.2 has no CSP support of its own (6.0 adds ``SECURE_CSP``); the policies are plain
dicts of directive to sources, the shape Django 6.0's setting takes too.
"""

from urllib.parse import urlsplit

SELF = "'self'"
NONE = "'none'"
UNSAFE_INLINE = "'unsafe-inline'"
DATA = "data:"
BLOB = "blob:"

HEADER = "Content-Security-Policy"
REPORT_ONLY_HEADER = "Content-Security-Policy-Report-Only"

# frame-ancestors follows the response's X-Frame-Options, so the two never disagree: DENY in
# production, SAMEORIGIN where Wagtail's previews must be framed by the admin.
_FRAME_ANCESTORS = {"DENY": [NONE], "SAMEORIGIN": [SELF]}


def header_value(policy, *, x_frame_options=None, report_uri=""):
    """The header value for a policy (a dict of directive to list of sources)."""
    directives = dict(policy)
    directives["frame-ancestors"] = _FRAME_ANCESTORS.get((x_frame_options or "").upper(), [SELF])
    if report_uri:
        directives["report-uri"] = [report_uri]
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def origin_of(url):
    """``https://host[:port]`` of an absolute URL, or None for a relative one."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def media_origins(*, media_storage, media_url, s3_bucket="", s3_endpoint_url="", s3_region=""):
    """Where uploaded images are loaded from when this site does not serve them itself.

    With an S3-compatible store, image URLs are signed URLs of the store: path style
    (``endpoint/bucket/key``) or virtual-host style (``bucket.endpoint/key``), depending on the
    store and boto's choice, so both origins are allowed. ``CSP_MEDIA_ORIGINS`` overrides this,
    e.g. for a CDN in front of the bucket.
    """
    origins = []
    if origin := origin_of(media_url):
        origins.append(origin)
    if media_storage == "s3":
        if s3_endpoint_url:
            endpoint = urlsplit(s3_endpoint_url)
            origins.append(f"{endpoint.scheme}://{endpoint.netloc}")
            if s3_bucket:
                origins.append(f"{endpoint.scheme}://{s3_bucket}.{endpoint.netloc}")
        elif s3_bucket:
            origins.append(f"https://{s3_bucket}.s3.amazonaws.com")
            if s3_region:
                origins.append(f"https://{s3_bucket}.s3.{s3_region}.amazonaws.com")
    return list(dict.fromkeys(origins))
