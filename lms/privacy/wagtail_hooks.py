from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from .admin_views import ProcessingActivitiesView, can_see_processing_activities
from .erasure import ERASE_ACTION, is_erased
from .person_admin_views import PersonEraseView, PersonExportView, can_export_and_erase


@hooks.register("register_admin_urls")
def register_processing_activities_url():
    return [
        path(
            "privacy/processing-activities/",
            ProcessingActivitiesView.as_view(),
            name="privacy_processing_activities",
        ),
        path(
            "privacy/export/<int:user_id>/",
            PersonExportView.as_view(),
            name="privacy_person_export",
        ),
        path(
            "privacy/erase/<int:user_id>/",
            PersonEraseView.as_view(),
            name="privacy_person_erase",
        ),
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


@hooks.register("register_user_listing_buttons")
def person_data_buttons(user, request_user):
    """ "Export data" and "Erase data" in the users list's "More" menu, for centre admins."""
    if not can_export_and_erase(request_user):
        return []
    buttons = [
        Button(
            _("Export personal data"),
            reverse("privacy_person_export", args=[user.pk]),
            icon_name="download",
            priority=60,
        )
    ]
    if not is_erased(user) and user.pk != request_user.pk:
        buttons.append(
            Button(
                _("Erase personal data"),
                reverse("privacy_person_erase", args=[user.pk]),
                icon_name="bin",
                priority=70,
            )
        )
    return buttons


@hooks.register("register_log_actions")
def register_erasure_log_action(actions):
    actions.register_action(
        ERASE_ACTION, _("Erase personal data"), _("Personal data erased (Art. 17 GDPR)")
    )
