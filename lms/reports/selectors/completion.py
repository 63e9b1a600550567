"""Completion by authority: the figures of each node of the viewer's part of the
organisation, summed over its subtree, for today or (through as_of) a past day."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Enrolment
from courses.selectors import overdue_q
from lms.people.models import Authority

from .as_of import _counts_as_of, first_learning_data_on, progress_events_complete_since
from .common import Counts, ReportFilters, _started
from .scope import participations_in_scope, report_authorities


@dataclass
class CompletionRow:
    """One node of the organisation with the figures of its whole subtree."""

    authority_id: int | None
    name: str
    abbreviation: str
    level: int
    counts: Counts = field(default_factory=Counts)
    # The node's own people only, without the units below it.
    own: Counts = field(default_factory=Counts)
    path: str = ""
    # The node has no ancestor in the report (a top node of the viewer's scope).
    is_top: bool = False

    @property
    def label(self) -> str:
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name


UNASSIGNED_LABEL = _("Not assigned to any authority")


def _counts_by_authority(enrolments: QuerySet[Enrolment], today) -> dict[int | None, Counts]:
    """One GROUP BY over the enrolments: the whole cost of the report."""
    open_not_due = Q(completed_at__isnull=True) & ~overdue_q(today)
    grouped = (
        enrolments.order_by()
        .values_list("user__authority_id")
        .annotate(
            total=Count("pk"),
            completed=Count("pk", filter=Q(completed_at__isnull=False)),
            overdue=Count("pk", filter=overdue_q(today)),
            not_started=Count("pk", filter=open_not_due & ~_started()),
        )
    )
    return {authority_id: Counts(t, c, o, n) for authority_id, t, c, o, n in grouped}


def _roll_up(
    authorities: Iterable[tuple[int, str, str, str, int]],
    counts: dict[int | None, Counts],
    *,
    with_unassigned: bool,
) -> list[CompletionRow]:
    """Tree rows with each node's figures summed over its subtree (paths are prefixes)."""
    nodes = list(authorities)
    rows: list[CompletionRow] = []
    by_path: dict[str, CompletionRow] = {}
    top = min((depth for *_rest, depth in nodes), default=1)
    step = Authority.steplen
    for pk, path, name, abbreviation, depth in nodes:
        row = CompletionRow(pk, name, abbreviation, depth - top, path=path)
        row.is_top = not any(path[:end] in by_path for end in range(step, len(path), step))
        rows.append(row)
        by_path[path] = row
    for pk, path, *_rest in nodes:
        own = counts.get(pk)
        if own is None:
            continue
        by_path[path].own = own
        for end in range(step, len(path) + 1, step):
            ancestor = by_path.get(path[:end])
            if ancestor is not None:
                ancestor.counts.add(own)
    if with_unassigned and counts.get(None):
        row = CompletionRow(None, str(UNASSIGNED_LABEL), "", 0, counts[None], counts[None])
        rows.append(row)
    return rows


@dataclass
class CompletionReport:
    rows: list[CompletionRow]
    total: Counts
    as_of: datetime.date | None = None
    # For a past day without any figures: the day of the first learning data in scope (None
    # when there is none at all), so the report can say why it shows zeros.
    first_data_on: datetime.date | None = None
    before_any_data: bool = False
    # For a past day before the first day the event log still holds completely (retention
    # deleted older events): that first day; the report then has no figures at all.
    complete_since: datetime.date | None = None
    before_complete_data: bool = False

    def chart_rows(self, limit=30) -> list[CompletionRow]:
        """The rows the bar chart shows: the top nodes of the scope, or the nodes right below
        a single top node."""
        tops = [row for row in self.rows if row.is_top]
        if len(tops) == 1:
            parent = tops[0].path
            step = Authority.steplen
            shown = [
                row
                for row in self.rows
                if row.path.startswith(parent) and len(row.path) == len(parent) + step
            ]
        else:
            shown = tops
        return [row for row in shown if row.counts.total][:limit]


def completion_by_authority(
    *, viewer, filters: ReportFilters, as_of: datetime.date | None = None, today=None
) -> CompletionReport:
    """Assigned, in progress, completed, overdue and completion rate per node of the viewer's
    part of the organisation, each summed over its subtree.

    With `as_of`, the figures are those at the end of that day, replayed from the progress
    event log (see `_counts_as_of`); for a day before `progress_events_complete_since()` there
    are none (`before_complete_data`).
    """
    today = today or timezone.localdate()
    if as_of is not None:
        complete_since = progress_events_complete_since()
        if complete_since is not None and as_of < complete_since:
            # Replaying what is left would give figures that look right and are not.
            return CompletionReport(
                rows=[],
                total=Counts(),
                as_of=as_of,
                complete_since=complete_since,
                before_complete_data=True,
            )
    authorities = report_authorities(viewer=viewer, within=filters.authority).values_list(
        "pk", "path", "name", "abbreviation", "depth"
    )
    if as_of is not None:
        counts = _counts_as_of(viewer=viewer, filters=filters, day=as_of)
    else:
        counts = _counts_by_authority(
            participations_in_scope(viewer=viewer, filters=filters, today=today), today
        )
    # People outside the authority tree are counted only where the scope lets the viewer see
    # them (people_visible_q); they get a row of their own.
    with_unassigned = filters.authority is None
    rows = _roll_up(authorities, counts, with_unassigned=with_unassigned)
    total = Counts()
    for authority_id, figures in counts.items():
        if authority_id is None and not with_unassigned:
            continue
        total.add(figures)
    report = CompletionReport(rows=rows, total=total, as_of=as_of)
    if as_of is not None and not total.total:
        report.first_data_on = first_learning_data_on(viewer=viewer, filters=filters)
        report.before_any_data = report.first_data_on is None or as_of < report.first_data_on
    return report
