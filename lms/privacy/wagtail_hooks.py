from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import ProcessingActivitiesView, can_see_processing_activities


@hooks.register("register_admin_urls")
def register_processing_activities_url():
    return [
        path(
            "privacy/processing-activities/",
            ProcessingActivitiesView.as_view(),
            name="privacy_processing_activities",
        )
    ]


class ProcessingActivitiesMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_processing_activities(request.user)


@hooks.register("register_settings_menu_item")
def register_processing_activities_menu_item():
    return ProcessingActivitiesMenuItem(
        _("Processing activities"),
        reverse("privacy_processing_activities"),
        name="processing-activities",
        icon_name="doc-full",
        order=900,
    )
