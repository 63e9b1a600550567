from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "lms.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        # Every app's own `privacy` module, then the declarations for Django, Wagtail, allauth.
        autodiscover_modules("privacy")
        from . import dependencies  # noqa: F401
