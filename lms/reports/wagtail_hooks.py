from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

import lms.converters  # noqa: F401  (registers the `id` path converter)

from . import admin_views
from .permissions import VIEW, reports_permission_policy

_REPORTS = [
    ("completion", admin_views.CompletionReportView, "reports_completion"),
    ("course", admin_views.ParticipationReportView, "reports_course"),
    ("compliance", admin_views.ComplianceReportView, "reports_compliance"),
]


@hooks.register("register_admin_urls")
def register_report_urls():
    urls = []
    for slug, view, name in _REPORTS:
        urls += [
            path(f"reports/{slug}/", view.as_view(), name=name),
            path(
                f"reports/{slug}/results/",
                view.as_view(results_only=True),
                name=f"{name}_results",
            ),
        ]
    urls.append(
        path(
            "reports/person/<id:person_id>/",
            admin_views.PersonRecordView.as_view(),
            name="reports_person",
        )
    )
    return urls


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return reports_permission_policy.user_has_permission(request.user, VIEW)


@hooks.register("register_reports_menu_item")
def register_completion_menu_item():
    return ReportMenuItem(
        _("Completion by authority"),
        reverse("reports_completion"),
        name="report-completion",
        icon_name="table",
        order=100,
    )


@hooks.register("register_reports_menu_item")
def register_course_menu_item():
    return ReportMenuItem(
        _("Participants by course"),
        reverse("reports_course"),
        name="report-course",
        icon_name="table",
        order=110,
    )


@hooks.register("register_reports_menu_item")
def register_compliance_menu_item():
    return ReportMenuItem(
        _("Compliance"),
        reverse("reports_compliance"),
        name="report-compliance",
        icon_name="warning",
        order=120,
    )
