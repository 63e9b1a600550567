"""Filter forms of the reports. They only read and check values; the selectors filter.

Choices come from the viewer's scope: an authority outside it is an invalid choice, and an
invalid filter shows its error and no rows (never the unfiltered report).
"""

import datetime

import django_filters
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.widgets import AdminDateInput

from courses.models import Enrolment
from lms.filters import DateRangeFilter
from lms.forms import AuthorityChoiceField, CourseChoiceField
from lms.people.selectors import authorities_visible_to

from .selectors import (
    STATUS_CHOICES,
    STATUS_OVERDUE,
    ReportFilters,
    progress_events_complete_since,
    report_courses,
)

# A horizon beyond ten years is no compliance question; it also keeps dates computable.
MAX_EXPIRY_DAYS = 3650


class _CourseField(CourseChoiceField, django_filters.fields.ModelChoiceField):
    pass


class _AuthorityField(AuthorityChoiceField, django_filters.fields.ModelChoiceField):
    pass


class CourseFilter(django_filters.ModelChoiceFilter):
    field_class = _CourseField


class AuthorityFilter(django_filters.ModelChoiceFilter):
    field_class = _AuthorityField


def _courses(request):
    return report_courses()


def _authorities(request):
    return authorities_visible_to(user=request.user).order_by("path")


def _unused(queryset, name, value):
    return queryset


class ReportFilterSet(WagtailFilterSet):
    """Course, part of the organisation and due dates: what every report can be narrowed to."""

    course = CourseFilter(label=_("Course"), queryset=_courses, method=_unused)
    authority = AuthorityFilter(
        label=_("Part of the organisation"), queryset=_authorities, method=_unused
    )
    due = DateRangeFilter(label=_("Due between"), widget=DateRangePickerWidget, method=_unused)

    class Meta:
        model = Enrolment
        fields = []

    def report_filters(self) -> ReportFilters:
        data = self.form.cleaned_data
        due = data.get("due")
        return ReportFilters(
            course=data.get("course"),
            authority=data.get("authority"),
            mandatory_only=self.mandatory_only(data),
            # The range field gives aware datetimes (start and end of day); due dates are dates.
            due_from=timezone.localdate(due.start) if due and due.start else None,
            due_to=timezone.localdate(due.stop) if due and due.stop else None,
            status=data.get("status") or None,
        )

    def mandatory_only(self, data) -> bool:
        return not data.get("self_chosen_too")

    def readable(self) -> dict[str, str]:
        """The chosen filter values as shown, for the audit trail and the export's file."""
        values = {}
        for name in self.form.changed_data:
            field = self.form.fields[name]
            value = self.form.cleaned_data.get(name)
            if value in (None, "", False):
                continue
            if isinstance(value, slice):
                value = " – ".join(
                    day.strftime("%d.%m.%Y") if day else "…" for day in (value.start, value.stop)
                )
            elif isinstance(value, datetime.date):
                value = value.strftime("%d.%m.%Y")
            elif hasattr(field, "choices") and not hasattr(value, "pk"):
                value = dict(field.choices).get(value, value)
            elif value is True:
                value = _("yes")
            values[str(field.label)] = str(value)
        return values


def retention_period_text() -> str:
    """How long learning progress is kept, in years where it is whole years."""
    days = settings.PRIVACY_RETENTION_DAYS["learning_records"]
    if days and days % 365 == 0:
        years = days // 365
        return ngettext("%(count)s year", "%(count)s years", years) % {"count": years}
    return ngettext("%(count)s day", "%(count)s days", days) % {"count": days}


def as_of_help_text() -> str:
    """What a past day can show: the first day with complete figures, once retention has
    deleted older learning progress."""
    since = progress_events_complete_since()
    if since is not None:
        return gettext(
            "The figures at the end of a past day. The earliest day with complete figures is "
            "%(date)s: older learning progress has been deleted after its retention period "
            "(%(period)s)."
        ) % {"date": date_format(since, "SHORT_DATE_FORMAT"), "period": retention_period_text()}
    return gettext(
        "The figures at the end of a past day. Learning progress is deleted after its "
        "retention period (%(period)s); earlier days can then no longer be shown."
    ) % {"period": retention_period_text()}


class CompletionFilterSet(ReportFilterSet):
    self_chosen_too = django_filters.BooleanFilter(
        label=_("Include self-chosen courses"),
        initial=False,
        widget=forms.CheckboxInput,
        method=_unused,
    )
    as_of = django_filters.DateFilter(
        label=_("As of (end of day)"), widget=AdminDateInput, method=_unused
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read per request: the earliest day moves as retention deletes.
        self.filters["as_of"].extra["help_text"] = as_of_help_text()


class ParticipationFilterSet(ReportFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=STATUS_CHOICES, method=_unused)
    mandatory = django_filters.BooleanFilter(
        label=_("Mandatory only"), widget=forms.CheckboxInput, method=_unused, initial=False
    )

    def mandatory_only(self, data) -> bool:
        return bool(data.get("mandatory"))


COMPLIANCE_REASONS = [
    (STATUS_OVERDUE, _("Overdue")),
    ("expiring", _("Certificate expiring")),
]


class ComplianceFilterSet(ReportFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Reason"), choices=COMPLIANCE_REASONS, method=_unused
    )
    days = django_filters.NumberFilter(
        label=_("Certificates expiring within (days)"),
        method=_unused,
        min_value=0,
        max_value=MAX_EXPIRY_DAYS,
        widget=forms.NumberInput(attrs={"placeholder": "90"}),
    )

    def expiring_within_days(self) -> int:
        days = self.form.cleaned_data.get("days")
        return 90 if days is None else int(days)
