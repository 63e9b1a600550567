"""What every report selector shares: the filters, the statuses of a participation, the
test for "started" and the figures of a group of participations."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage
from courses.selectors import started_q
from lms.people.models import Authority

# Where a participation stands; the four are exclusive and add up to all participations.
# "Overdue" wins over "not started" and "in progress": a due date has passed. "Not started"
# means nothing done in the current round: no progress, no lesson opened, no quiz attempt.
STATUS_NOT_STARTED = "not_started"
STATUS_IN_PROGRESS = "in_progress"
STATUS_OVERDUE = "overdue"
STATUS_COMPLETED = "completed"
STATUS_CHOICES = [
    (STATUS_NOT_STARTED, _("Not started")),
    (STATUS_IN_PROGRESS, _("In progress")),
    (STATUS_OVERDUE, _("Overdue")),
    (STATUS_COMPLETED, _("Completed")),
]
STATUS_LABELS = dict(STATUS_CHOICES)


@dataclass(frozen=True)
class ReportFilters:
    """What a report is narrowed to; the views build it from their filter forms."""

    course: CoursePage | None = None
    authority: Authority | None = None
    mandatory_only: bool = True
    due_from: datetime.date | None = None
    due_to: datetime.date | None = None
    status: str | None = None


def _started() -> Q:
    return started_q()


@dataclass
class Counts:
    total: int = 0
    completed: int = 0
    overdue: int = 0
    # Not completed, not overdue, nothing done yet; "in progress" is the rest.
    not_started: int = 0

    @property
    def in_progress(self) -> int:
        return self.total - self.completed - self.overdue - self.not_started

    @property
    def rate(self) -> Decimal | None:
        """Completion rate in per cent, one decimal; None when nobody takes part."""
        if not self.total:
            return None
        return (Decimal(100 * self.completed) / self.total).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    def add(self, other: "Counts") -> None:
        self.total += other.total
        self.completed += other.completed
        self.overdue += other.overdue
        self.not_started += other.not_started
