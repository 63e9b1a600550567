"""Reads for HR and compliance reports. Every report starts from the viewer's scope.

The scope is a query (`people_visible_to`, `authorities_visible_to`), never a template
condition: what a coordinator may not see is not fetched at all.
"""

from .as_of import first_learning_data_on, progress_events_complete_since
from .common import (
    STATUS_CHOICES,
    STATUS_COMPLETED,
    STATUS_IN_PROGRESS,
    STATUS_LABELS,
    STATUS_NOT_STARTED,
    STATUS_OVERDUE,
    Counts,
    ReportFilters,
)
from .completion import (
    UNASSIGNED_LABEL,
    CompletionReport,
    CompletionRow,
    completion_by_authority,
)
from .compliance import compliance_report
from .participations import certificate_status, participation_status, participations_report
from .person_record import PersonRecord, person_in_scope, person_record
from .scope import is_centre_admin, participations_in_scope, report_authorities, report_courses

__all__ = [
    "STATUS_CHOICES",
    "STATUS_COMPLETED",
    "STATUS_IN_PROGRESS",
    "STATUS_LABELS",
    "STATUS_NOT_STARTED",
    "STATUS_OVERDUE",
    "UNASSIGNED_LABEL",
    "CompletionReport",
    "CompletionRow",
    "Counts",
    "PersonRecord",
    "ReportFilters",
    "certificate_status",
    "completion_by_authority",
    "compliance_report",
    "first_learning_data_on",
    "is_centre_admin",
    "participation_status",
    "participations_in_scope",
    "participations_report",
    "person_in_scope",
    "person_record",
    "progress_events_complete_since",
    "report_authorities",
    "report_courses",
]
