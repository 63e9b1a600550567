from functools import cached_property

from django.conf import settings
from django.urls import reverse

from . import csp


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response.

    Pages of the site get ``CSP_SITE_POLICY``; the Wagtail admin, which needs inline scripts and
    styles, gets ``CSP_ADMIN_POLICY``. A preview in the admin renders the page through the whole
    middleware stack a second time (Wagtail's dummy request for the page's own URL), so it keeps
    the site's policy: lesson content never runs under the admin's looser one. A response that
    already carries a policy of its own (Wagtail's document downloads: ``default-src 'none'``)
    keeps it.

    Sits above XFrameOptionsMiddleware, so it sees the final X-Frame-Options and derives
    ``frame-ancestors`` from it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def admin_prefix(self):
        return reverse("wagtailadmin_home")

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            features = settings.PERMISSIONS_POLICY.items()
            response.headers.setdefault(
                "Permissions-Policy", ", ".join(f"{name}={allow}" for name, allow in features)
            )
        policy_name = getattr(response, "csp_policy", None)
        if policy_name is None:
            if csp.HEADER in response.headers or csp.REPORT_ONLY_HEADER in response.headers:
                return response
            policy_name = "admin" if request.path.startswith(self.admin_prefix) else "site"
            response.csp_policy = policy_name
        policy = settings.CSP_ADMIN_POLICY if policy_name == "admin" else settings.CSP_SITE_POLICY
        header, other = (
            (csp.REPORT_ONLY_HEADER, csp.HEADER)
            if settings.CSP_REPORT_ONLY
            else (csp.HEADER, csp.REPORT_ONLY_HEADER)
        )
        response.headers.pop(other, None)
        response.headers[header] = csp.header_value(
            policy,
            x_frame_options=response.headers.get("X-Frame-Options"),
            report_uri=settings.CSP_REPORT_URI,
        )
        return response
