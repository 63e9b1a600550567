"""Who may enter the Wagtail admin, and what everyone else sees there.

Wagtail answers a signed-in person without admin access by sending them to the sign-in page;
allauth sends someone already signed in straight back, and the browser gives up with "too many
redirects". Every admin view is therefore wrapped (lms/urls.py) so that such a person gets one
clear page instead: no access, in their language, with a way back to *Mein Lernen*.
"""

from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django.utils import translation

ADMIN_ACCESS_PERMISSION = "wagtailadmin.access_admin"


def admin_access_refused(request):
    """The "no access" page (403) in the site's layout and under the site's strict policy."""
    language = getattr(request.user, "preferred_language", "")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    with translation.override(language):
        response = render(request, "people/admin_no_access.html", status=403)
    response.headers["Content-Language"] = language
    # The page is the site's, not the admin's: no inline code, so the site's policy holds.
    response.csp_policy = "site"
    return response


def refuse_without_admin_access(view_func):
    """Wraps an admin view: signed-in people without admin access get the no-access page.

    Anonymous visitors still go to Wagtail's own handling (the sign-in page, and back).
    """

    @wraps(view_func)
    def view(request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not user.has_perm(ADMIN_ACCESS_PERMISSION):
            return admin_access_refused(request)
        return view_func(request, *args, **kwargs)

    return view
