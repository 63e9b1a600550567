"""Compliance: overdue mandatory courses and certificates about to expire."""

from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column

from certificates.models import Certificate
from courses.models import Enrolment

from .. import selectors
from ..filters import ComplianceFilterSet
from .common import local_date
from .participations import ParticipationReportView


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
