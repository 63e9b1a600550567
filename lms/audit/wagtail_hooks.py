from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import AccessLogView
from .selectors import can_read_access_log


@hooks.register("register_admin_urls")
def register_access_log_urls():
    return [
        path("reports/access-log/", AccessLogView.as_view(), name="audit_access_log"),
        path(
            "reports/access-log/results/",
            AccessLogView.as_view(results_only=True),
            name="audit_access_log_results",
        ),
    ]


class AccessLogMenuItem(MenuItem):
    def is_shown(self, request):
        return can_read_access_log(request.user)


@hooks.register("register_reports_menu_item")
def register_access_log_menu_item():
    return AccessLogMenuItem(
        _("Access log"),
        reverse("audit_access_log"),
        name="access-log",
        icon_name="history",
        order=1900,
    )
