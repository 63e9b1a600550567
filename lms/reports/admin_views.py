"""HR and compliance reports in the Wagtail admin (Reports menu).

For HR coordinators (their authority subtrees) and centre admins (everything), as the views'
permission policy says (lms.reports.permissions). Every figure, row, filter choice, chart and
export comes from lms.reports.selectors, which start from the viewer's scope; every view and
export is written to the audit trail.
"""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.views.reports import ReportView

from certificates.models import Certificate
from courses.models import Enrolment
from lms.spreadsheets import LocalSpreadsheetExportMixin
from lms.text import percent_text

from . import selectors
from .charts import completion_rate_chart
from .filters import (
    CompletionFilterSet,
    ComplianceFilterSet,
    ParticipationFilterSet,
    retention_period_text,
)
from .permissions import VIEW, reports_permission_policy

EMPTY = "–"
FILTERS_INVALID = _("Nothing is shown: these filters cannot be used. %(problems)s")
NO_DATA_BEFORE = _("No figures for this day: the first learning data are from %(date)s.")
NO_DATA_AT_ALL = _("No figures for this day: there are no learning data yet.")
BEFORE_COMPLETE_DATA = _(
    "No figures for this day: for days before %(date)s the data are no longer complete, "
    "because learning progress is deleted after its retention period (%(period)s). Please "
    "choose %(date)s or a later day."
)
# The lines above an export's table (CSV) or on its second sheet (XLSX).
EXPORT_REPORT = _("Report")
EXPORT_AS_OF = _("Figures as of")
EXPORT_GENERATED = _("Generated at")
EXPORT_FILTERS = _("Filters applied")
EXPORT_NO_FILTERS = _("No filters")
EXPORT_NOTE = _("Note")


def _audit(*, action, **fields):
    from lms.audit.models import AuditEntry
    from lms.audit.services import audit_record

    audit_record(action=getattr(AuditEntry.Action, action), **fields)


def local_date(value):
    if value is None:
        return EMPTY
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return date_format(value, "SHORT_DATE_FORMAT")


def person_name(user) -> str:
    return f"{user.last_name}, {user.first_name}".strip(", ") or user.email


def _percent(value):
    return EMPTY if value is None else percent_text(value)


def _status_label(enrolment) -> str:
    return str(selectors.STATUS_LABELS[selectors.participation_status(enrolment)])


def _certificate_label(enrolment) -> str:
    status = selectors.certificate_status(enrolment)
    if status is None:
        return EMPTY
    label = str(Certificate.Status(status).label)
    valid_until = getattr(enrolment, "certificate_valid_until", None)
    if status == Certificate.Status.VALID and valid_until:
        return _("%(status)s until %(date)s") % {"status": label, "date": local_date(valid_until)}
    return label


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


class ParticipationReportView(ScopedReportView):
    """Everyone enrolled or assigned in scope, per course, with results and certificates."""

    page_title = _("Participants by course")
    report_slug = "course"
    index_url_name = "reports_course"
    index_results_url_name = "reports_course_results"
    filterset_class = ParticipationFilterSet
    verbose_name_plural = _("participations")
    search_fields = None
    list_export = [
        "user.last_name",
        "user.first_name",
        "user.email",
        "user.personnel_number",
        "export_authority",
        "course.title",
        "export_status",
        "progress_percent",
        "best_percent",
        "due_on",
        "completed_at",
        "export_certificate",
        "certificate_valid_until",
    ]
    export_headings = {
        "user.last_name": _("Last name"),
        "user.first_name": _("First name"),
        "user.email": _("E-mail address"),
        "user.personnel_number": _("Personnel number"),
        "export_authority": _("Authority"),
        "course.title": _("Course"),
        "export_status": _("Status"),
        "progress_percent": _("Progress (%)"),
        "best_percent": _("Best quiz result (%)"),
        "due_on": _("Due"),
        "completed_at": _("Completed"),
        "export_certificate": _("Certificate"),
        "certificate_valid_until": _("Certificate valid until"),
    }
    default_ordering = None

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "person",
                label=_("Person"),
                accessor=lambda e: person_name(e.user),
                get_url=lambda e: reverse("reports_person", args=[e.user_id]),
                sort_key="user__last_name",
            ),
            Column(
                "authority",
                label=_("Authority"),
                accessor=lambda e: e.user.authority.abbreviation if e.user.authority_id else EMPTY,
            ),
            Column("course", label=_("Course"), accessor="course.title", sort_key="course__title"),
            Column("status", label=_("Status"), accessor=_status_label),
            Column(
                "progress", label=_("Progress"), accessor=lambda e: _percent(e.progress_percent)
            ),
            Column(
                "best", label=_("Best quiz result"), accessor=lambda e: _percent(e.best_percent)
            ),
            Column(
                "due_on", label=_("Due"), accessor=lambda e: local_date(e.due_on), sort_key="due_on"
            ),
            Column(
                "completed_at",
                label=_("Completed"),
                accessor=lambda e: local_date(e.completed_at),
                sort_key="completed_at",
            ),
            Column("certificate", label=_("Certificate"), accessor=_certificate_label),
        ]

    def build(self):
        return selectors.participations_report(
            viewer=self.request.user, filters=self.report_filters
        )

    def to_row_dict(self, item):
        user = item.user
        item.export_authority = user.authority.abbreviation if user.authority_id else ""
        item.export_status = _status_label(item)
        item.export_certificate = _certificate_label(item)
        return super().to_row_dict(item)


class ComplianceReportView(ParticipationReportView):
    """Overdue mandatory courses and certificates about to expire, most urgent first."""

    page_title = _("Compliance")
    report_slug = "compliance"
    index_url_name = "reports_compliance"
    index_results_url_name = "reports_compliance_results"
    filterset_class = ComplianceFilterSet
    verbose_name_plural = _("open obligations")

    def build(self):
        return selectors.compliance_report(
            viewer=self.request.user,
            filters=self.report_filters,
            expiring_within_days=self.filters.expiring_within_days(),
        )

    @cached_property
    def columns(self):
        columns = list(super().columns)
        columns.insert(3, Column("reason", label=_("Reason"), accessor=_reason))
        return columns

    def to_row_dict(self, item):
        item.export_reason = _reason(item)
        return super().to_row_dict(item)

    list_export = [*ParticipationReportView.list_export[:6], "export_reason"] + [
        field for field in ParticipationReportView.list_export[6:]
    ]
    export_headings = {**ParticipationReportView.export_headings, "export_reason": _("Reason")}


def _reason(enrolment) -> str:
    today = timezone.localdate()
    reasons = []
    if enrolment.is_overdue(today) and enrolment.source != Enrolment.Source.SELF:
        reasons.append(
            _("Overdue since %(date)s (%(days)s days)")
            % {"date": local_date(enrolment.due_on), "days": (today - enrolment.due_on).days}
        )
    valid_until = getattr(enrolment, "certificate_valid_until", None)
    if (
        valid_until is not None
        and selectors.certificate_status(enrolment, today) == Certificate.Status.VALID
    ):
        reasons.append(_("Certificate expires on %(date)s") % {"date": local_date(valid_until)})
    return "; ".join(str(reason) for reason in reasons)


class PersonRecordView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """One person's learning record: courses, quiz attempts, certificates. Printable."""

    template_name = "reports/person_record.html"
    print_template_name = "reports/person_record_print.html"
    page_title = _("Learning record")
    header_icon = "user"
    report_slug = "person"
    permission_policy = reports_permission_policy
    permission_required = VIEW

    def get(self, request, *args, person_id, **kwargs):
        self.record = selectors.person_record(viewer=request.user, person_id=person_id)
        printing = request.GET.get("print") == "1"
        _audit(
            actor=request.user,
            action="PRINTED" if printing else "VIEWED",
            report=self.report_slug,
            report_title=str(self.page_title),
            filters={},
            row_count=len(self.record.enrolments),
            subject=self.record.person,
        )
        if printing:
            return render(request, self.print_template_name, self.record_context())
        return super().get(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.record.person.get_full_name()

    def record_context(self):
        today = timezone.localdate()
        return {
            "record": self.record,
            "person": self.record.person,
            "status_labels": selectors.STATUS_LABELS,
            "today": today,
            "printed_at": timezone.localtime(),
            "certificates": [
                (certificate, Certificate.Status(certificate.status(today)).label)
                for certificate in self.record.certificates
            ],
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.record_context())
        context["print_url"] = reverse("reports_person", args=[self.record.person.pk]) + "?print=1"
        return context


def number(value) -> str:
    return number_format(value, force_grouping=True)
