from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .viewsets import AuthorityViewSet


@hooks.register("register_admin_viewset")
def register_authority_viewset():
    return AuthorityViewSet("authorities", menu_label=_("Organisation"))


@hooks.register("register_admin_urls")
def register_import_url():
    return [path("people/import/", admin_views.user_import, name="people_import")]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("people.import_users")


@hooks.register("register_settings_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("Import people"), reverse("people_import"), icon_name="upload", order=620
    )
