"""Reports › Access log: every view, print and export of a report about people, for centre
admins only. HR coordinators are the people the log watches, so they never read it; learners
read the entries about themselves on their own page (lms.audit.views).

Exporting the log is itself recorded; viewing it is not, as each page and filter change would
add an entry on top of what is being read.
"""

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from lms.spreadsheets import DATETIME_TEXT, LocalSpreadsheetExportMixin

from .filters import AccessLogFilterSet
from .models import AuditEntry
from .selectors import audit_entries_visible_to, can_read_access_log
from .services import audit_record

EMPTY = "–"
REPORT_SLUG = "audit"


class AccessLogPolicy(ModelPermissionPolicy):
    """Reading, for centre admins only, whatever permissions a group holds. Nobody adds,
    changes or deletes entries by hand."""

    def user_has_permission(self, user, action):
        return action == "view" and can_read_access_log(user)

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return self.auth_model._default_manager.none()
        return self.auth_model._default_manager.filter(is_active=True, is_superuser=True)

    def instances_user_has_any_permission_for(self, user, actions):
        if "view" not in actions:
            return self.model._default_manager.none()
        return audit_entries_visible_to(user=user)


access_log_permission_policy = AccessLogPolicy(AuditEntry)


def local_time_text(value) -> str:
    """German date and time in the local time zone (Europe/Berlin), as in the exports."""
    return timezone.localtime(value).strftime(DATETIME_TEXT)


def actor_text(entry) -> str:
    name = entry.actor_name or str(_("Name removed"))
    if entry.actor_role:
        return f"{name} ({entry.get_actor_role_display()})"
    return name


def action_text(entry) -> str:
    if entry.export_format:
        return _("%(action)s (%(format)s)") % {
            "action": entry.get_action_display(),
            "format": entry.get_export_format_display(),
        }
    return str(entry.get_action_display())


def subject_text(entry) -> str:
    return str(entry.subject) if entry.subject_id else EMPTY


def _as_is(value):
    return value


class AccessLogView(LocalSpreadsheetExportMixin, ReportView):
    """The whole log, newest first, narrowed by who, report, action and days."""

    template_name = "audit/admin/access_log.html"
    page_title = _("Access log")
    header_icon = "history"
    index_url_name = "audit_access_log"
    index_results_url_name = "audit_access_log_results"
    filterset_class = AccessLogFilterSet
    verbose_name_plural = _("access log entries")
    permission_policy = access_log_permission_policy
    permission_required = "view"
    columns = [
        Column("occurred_at", label=_("Time"), accessor=lambda e: local_time_text(e.occurred_at)),
        Column("actor", label=_("Who"), accessor=actor_text),
        Column("action", label=_("Action"), accessor=action_text),
        Column("report", label=_("Report"), accessor=lambda e: e.report_title or e.report),
        Column("filters", label=_("Filters"), accessor=lambda e: e.filters_text() or EMPTY),
        Column(
            "row_count",
            label=_("Rows"),
            accessor=lambda e: EMPTY if e.row_count is None else e.row_count,
        ),
        Column("subject", label=_("About whom"), accessor=subject_text),
    ]
    list_export = [
        "occurred_at",
        "actor_name",
        "get_actor_role_display",
        "get_action_display",
        "export_format",
        "report",
        "report_title",
        "filters_text",
        "row_count",
        "subject",
    ]
    export_headings = {
        "occurred_at": _("Time"),
        "actor_name": _("Who"),
        "get_actor_role_display": _("Role"),
        "get_action_display": _("Action"),
        "export_format": _("Format"),
        "report": _("Report key"),
        "report_title": _("Report"),
        "filters_text": _("Filters"),
        "row_count": _("Rows"),
        "subject": _("About whom"),
    }
    # Times go to the writers as they are: lms.spreadsheets shows them in local time
    # (Wagtail's default would turn them into UTC for XLSX).
    custom_field_preprocess = {
        "occurred_at": {ReportView.FORMAT_CSV: _as_is, ReportView.FORMAT_XLSX: _as_is},
    }

    def get_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(
            self.request.user, "view"
        ).select_related("subject")

    def get_filename(self):
        return f"{slugify(str(self.page_title))}-{timezone.localdate():%Y-%m-%d}"

    def as_spreadsheet(self, queryset, spreadsheet_format):
        entry = audit_record(
            actor=self.request.user,
            action=AuditEntry.Action.EXPORTED,
            report=REPORT_SLUG,
            report_title=str(self.page_title),
            filters=self.filters.chosen() if self.filters else {},
            row_count=queryset.count(),
            export_format=spreadsheet_format,
        )
        # The export shows the log as it was asked for, without its own entry.
        return super().as_spreadsheet(queryset.exclude(pk=entry.pk), spreadsheet_format)
