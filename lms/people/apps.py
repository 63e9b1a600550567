from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class PeopleConfig(AppConfig):
    # This module defines more than one AppConfig; mark the app's own.
    default = True
    name = "lms.people"
    label = "people"
    verbose_name = _("People and organisation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401


class LmsUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with forms that know authorities, roles and HR scopes."""

    default = False
    user_viewset = "lms.people.viewsets.UserViewSet"
