"""Completion by authority: a roll-up of the viewer's part of the organisation, for today or
a past day, with a chart and links to the people behind each figure."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column

from .. import selectors
from ..charts import completion_rate_chart
from ..filters import CompletionFilterSet, retention_period_text
from .base import EXPORT_NOTE, ScopedReportView
from .common import _percent, local_date

NO_DATA_BEFORE = _("No figures for this day: the first learning data are from %(date)s.")
NO_DATA_AT_ALL = _("No figures for this day: there are no learning data yet.")
BEFORE_COMPLETE_DATA = _(
    "No figures for this day: for days before %(date)s the data are no longer complete, "
    "because learning progress is deleted after its retention period (%(period)s). Please "
    "choose %(date)s or a later day."
)


class CompletionReportView(ScopedReportView):
    """Completion by authority: a roll-up of the viewer's part of the organisation."""

    page_title = _("Completion by authority")
    report_slug = "completion"
    index_url_name = "reports_completion"
    index_results_url_name = "reports_completion_results"
    results_template_name = "reports/completion_results.html"
    filterset_class = CompletionFilterSet
    verbose_name_plural = _("parts of the organisation")
    list_export = [
        "name",
        "abbreviation",
        "level",
        "counts.total",
        "counts.not_started",
        "counts.in_progress",
        "counts.completed",
        "counts.overdue",
        "counts.rate",
    ]
    export_headings = {
        "name": _("Part of the organisation"),
        "abbreviation": _("Abbreviation"),
        "level": _("Level"),
        "counts.total": _("Assigned"),
        "counts.not_started": _("Not started"),
        "counts.in_progress": _("In progress"),
        "counts.completed": _("Completed"),
        "counts.overdue": _("Overdue"),
        "counts.rate": _("Completion rate (%)"),
    }

    @cached_property
    def columns(self):
        total_label = _("Assigned") if self.mandatory_only else _("Participants")
        return [
            Column("name", label=_("Part of the organisation"), accessor=_indented),
            Column("total", label=total_label, accessor=self._figure("total")),
            Column("not_started", label=_("Not started"), accessor=self._figure("not_started")),
            Column("in_progress", label=_("In progress"), accessor=self._figure("in_progress")),
            Column("completed", label=_("Completed"), accessor=self._figure("completed")),
            Column("overdue", label=_("Overdue"), accessor=self._figure("overdue")),
            Column("rate", label=_("Completion rate"), accessor=lambda r: _percent(r.counts.rate)),
        ]

    def _figure(self, name):
        """A row's figure, linked to the people behind it (Participants by course, filtered to
        that part of the organisation and, for a status count, that status)."""
        status = None if name == "total" else name

        def accessor(row):
            value = getattr(row.counts, name)
            url = self.drill_down_url(row, status=status) if value else None
            if url is None:
                return value
            # The label starts with the figure shown (WCAG 2.5.3) and says where it leads; the
            # cell's text stays the bare figure.
            shown = number(value)
            return format_html(
                '<a href="{}" aria-label="{} {}">{}</a>', url, shown, DRILL_DOWN_HINT, shown
            )

        return accessor

    def drill_down_url(self, row, *, status=None) -> str | None:
        """Participants by course with the same course, due dates and kind of participation,
        narrowed to the row's part of the organisation. None where the people behind a figure
        cannot be listed: a past day's figures (the list shows today), people without an
        authority."""
        if row.authority_id is None or self.report is None or self.report.as_of is not None:
            return None
        params = {"authority": row.authority_id}
        data = self.filters.form.cleaned_data
        if data.get("course") is not None:
            params["course"] = data["course"].pk
        for key in ("due_from", "due_to"):
            if self.request.GET.get(key):
                params[key] = self.request.GET[key]
        if self.report_filters.mandatory_only:
            params["mandatory"] = "on"
        if status is not None:
            params["status"] = status
        return f"{reverse('reports_course')}?{urlencode(params)}"

    @property
    def mandatory_only(self):
        return not self.filters_valid or self.report_filters.mandatory_only

    def report_as_of(self):
        report = self.report
        if report is not None and report.as_of is not None:
            return report.as_of
        return super().report_as_of()

    def export_preamble(self):
        lines = super().export_preamble()
        note = self.no_data_message()
        if note:
            lines.append((str(EXPORT_NOTE), note))
        return lines

    def no_data_message(self) -> str:
        """Why a past day shows no figures (before the retention horizon) or only zeros
        (before the first learning data)."""
        report = self.report
        if report is not None and report.before_complete_data:
            return BEFORE_COMPLETE_DATA % {
                "date": local_date(report.complete_since),
                "period": retention_period_text(),
            }
        if report is None or not report.before_any_data:
            return ""
        if report.first_data_on is None:
            return str(NO_DATA_AT_ALL)
        return NO_DATA_BEFORE % {"date": local_date(report.first_data_on)}

    def empty(self):
        return []

    @cached_property
    def no_results_message(self):
        report = self.report
        if report is not None and report.before_complete_data:
            return self.no_data_message()
        return super().no_results_message

    def get(self, request, *args, **kwargs):
        report = self.report if self.is_export and self.filters_valid else None
        if report is not None and report.before_complete_data:
            # Never a file with figures that look right and are not: back to the report,
            # which says why.
            messages.error(request, self.no_data_message())
            query = request.GET.copy()
            query.pop("export", None)
            return redirect(f"{reverse(self.index_url_name)}?{query.urlencode()}")
        return super().get(request, *args, **kwargs)

    @cached_property
    def report(self) -> selectors.CompletionReport | None:
        if not self.filters_valid:
            return None
        as_of = self.filters.form.cleaned_data.get("as_of")
        today = timezone.localdate()
        if as_of is not None and as_of >= today:
            as_of = None  # today or later: the current figures
        return selectors.completion_by_authority(
            viewer=self.request.user, filters=self.report_filters, as_of=as_of
        )

    def build(self):
        return self.report.rows

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        report = self.report
        if report is not None:
            context["report"] = report
            context["total_rate"] = _percent(report.total.rate)
            context["no_data_message"] = self.no_data_message()
            context["chart"] = completion_rate_chart(
                report.chart_rows(), title=_("Completion rate per part of the organisation")
            )
        return context


DRILL_DOWN_HINT = _("show these people")


def _indented(row) -> str:
    return format_html(
        '<span class="lms-report-level" data-level="{}">{}{}</span>',
        row.level,
        "\u2003" * row.level,
        row.label,
    )


def number(value) -> str:
    return number_format(value, force_grouping=True)
