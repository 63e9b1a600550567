"""The base of the listing reports: the viewer's scope narrowed by a filter form, exported
as a spreadsheet, written to the access log on every request."""

from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.reports import ReportView

from courses.models import Enrolment
from lms.spreadsheets import LocalSpreadsheetExportMixin

from .. import selectors
from ..permissions import VIEW, reports_permission_policy
from .common import _audit

FILTERS_INVALID = _("Nothing is shown: these filters cannot be used. %(problems)s")
# The lines above an export's table (CSV) or on its second sheet (XLSX).
EXPORT_REPORT = _("Report")
EXPORT_AS_OF = _("Figures as of")
EXPORT_GENERATED = _("Generated at")
EXPORT_FILTERS = _("Filters applied")
EXPORT_NO_FILTERS = _("No filters")
EXPORT_NOTE = _("Note")


class ScopedReportView(LocalSpreadsheetExportMixin, ReportView):
    """A report over the viewer's scope, narrowed by a filter form, audited on every request.

    The filter form only checks values; an invalid one (e.g. an authority outside the scope
    typed into the URL) shows its error and no rows, never the unfiltered report.
    """

    header_icon = "table"
    report_slug = ""
    results_only = False
    template_name = "reports/report.html"
    permission_policy = reports_permission_policy
    permission_required = VIEW

    def get_template_names(self):
        if self.results_only:
            return [self.results_template_name]
        return super().get_template_names()

    @cached_property
    def filters_valid(self) -> bool:
        return self.filters is None or self.filters.is_valid()

    @cached_property
    def report_filters(self) -> selectors.ReportFilters:
        return self.filters.report_filters()

    def filter_queryset(self, queryset):
        return queryset  # the selectors filter, from report_filters

    def get_base_queryset(self):
        if not self.filters_valid:
            return self.empty()
        return self.build()

    def empty(self):
        return Enrolment.objects.none()

    @cached_property
    def no_results_message(self):
        if self.filters_valid:
            return super().no_results_message
        form = self.filters.form
        problems = "; ".join(
            f"{form.fields[name].label if name in form.fields else name}: {' '.join(errors)}"
            for name, errors in form.errors.items()
        )
        return FILTERS_INVALID % {"problems": problems}

    def build(self):
        raise NotImplementedError

    def report_as_of(self):
        """The day the figures stand for ("Stand"): today, unless a report is of a past day."""
        return timezone.localdate()

    def get_filename(self):
        stem = str(self.page_title).replace(" ", "-")
        return f"{stem}-{self.report_as_of():%Y-%m-%d}"

    def export_preamble(self) -> list[tuple[str, object]]:
        """What the export says about itself: report, Stand, when generated, the filters."""
        lines = [
            (str(EXPORT_REPORT), str(self.page_title)),
            (str(EXPORT_AS_OF), self.report_as_of()),
            (str(EXPORT_GENERATED), timezone.now()),
        ]
        filters = self.filters.readable() if self.filters is not None else {}
        if filters:
            lines.append((str(EXPORT_FILTERS), ""))
            lines += list(filters.items())
        else:
            lines.append((str(EXPORT_FILTERS), str(EXPORT_NO_FILTERS)))
        return lines

    def get(self, request, *args, **kwargs):
        if not self.is_export:
            return super().get(request, *args, **kwargs)
        # Wagtail's listing context would len() the unpaginated queryset: every row in memory,
        # then read again by the export. The export reads it once, in chunks.
        self.object_list = self.get_filtered_queryset()
        response = self.as_spreadsheet(self.object_list, request.GET.get("export"))
        self.audit({"object_list": self.object_list})
        return response

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        paginator = context.get("paginator")
        if paginator is not None:
            self.row_count = paginator.count
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        self.audit(context)
        return response

    def audit(self, context, subject=None):
        export = self.request.GET.get("export") if self.is_export else ""
        row_count = getattr(self, "row_count", None)
        if row_count is None:
            rows = context.get("object_list")
            row_count = (
                rows.count()
                if hasattr(rows, "count") and not isinstance(rows, list)
                else len(rows or [])
            )
        _audit(
            actor=self.request.user,
            action="EXPORTED" if export else "VIEWED",
            report=self.report_slug,
            report_title=str(self.page_title),
            filters=self.filters.readable() if self.filters and self.filters_valid else {},
            row_count=row_count,
            export_format=export or "",
            subject=subject,
        )
