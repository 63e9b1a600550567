from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .roles import STAFF_ROLES


class LanguageMiddleware:
    """German unless English was chosen with the switcher (cookie) or in the profile.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: the
    administration's working language is German, whatever a browser was installed with.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class PreferredLanguageMiddleware:
    """Signed-in people see the site in their preferred language, wherever they sign in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/admin/"):
            language = user.preferred_language
            if language in dict(settings.LANGUAGES):
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)


class StaffMfaRequiredMiddleware:
    """Trainers, HR, centre admins and everyone else in a group (reviewers of "Kursprüfung",
    for instance) must set up a second factor before anything else: groups grant rights in the
    admin.

    Active when MFA_REQUIRED_FOR_STAFF is on (the production default). The account and MFA
    pages stay reachable so the person can set the factor up or sign out.
    """

    exempt_prefixes = ("/accounts/", "/static/", "/media/", "/language/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.MFA_REQUIRED_FOR_STAFF and self._must_set_up(request):
            return redirect(
                reverse("mfa_activate_totp") + "?" + urlencode({"next": request.get_full_path()})
            )
        return self.get_response(request)

    def _must_set_up(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if request.path.startswith(self.exempt_prefixes):
            return False
        if not (user.roles & STAFF_ROLES or user.group_names):
            return False
        from allauth.mfa.models import Authenticator

        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
