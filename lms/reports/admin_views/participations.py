"""Participants by course: everyone enrolled or assigned in scope, with results and
certificates."""

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, TitleColumn

from certificates.models import Certificate

from .. import selectors
from ..filters import ParticipationFilterSet
from .base import ScopedReportView
from .common import EMPTY, _percent, local_date


def person_name(user) -> str:
    return f"{user.last_name}, {user.first_name}".strip(", ") or user.email


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
