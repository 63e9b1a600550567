"""HR and compliance reports in the Wagtail admin (Reports menu).

For HR coordinators (their authority subtrees) and centre admins (everything), as the views'
permission policy says (lms.reports.permissions). Every figure, row, filter choice, chart and
export comes from lms.reports.selectors, which start from the viewer's scope; every view and
export is written to the audit trail.
"""

from .base import (
    EXPORT_AS_OF,
    EXPORT_FILTERS,
    EXPORT_GENERATED,
    EXPORT_NO_FILTERS,
    EXPORT_NOTE,
    EXPORT_REPORT,
    FILTERS_INVALID,
    ScopedReportView,
)
from .common import EMPTY, local_date
from .completion import (
    BEFORE_COMPLETE_DATA,
    DRILL_DOWN_HINT,
    NO_DATA_AT_ALL,
    NO_DATA_BEFORE,
    CompletionReportView,
    number,
)
from .compliance import ComplianceReportView
from .participations import ParticipationReportView, person_name
from .person_record import PersonRecordView

__all__ = [
    "BEFORE_COMPLETE_DATA",
    "DRILL_DOWN_HINT",
    "EMPTY",
    "EXPORT_AS_OF",
    "EXPORT_FILTERS",
    "EXPORT_GENERATED",
    "EXPORT_NOTE",
    "EXPORT_NO_FILTERS",
    "EXPORT_REPORT",
    "FILTERS_INVALID",
    "NO_DATA_AT_ALL",
    "NO_DATA_BEFORE",
    "CompletionReportView",
    "ComplianceReportView",
    "ParticipationReportView",
    "PersonRecordView",
    "ScopedReportView",
    "local_date",
    "number",
    "person_name",
]
