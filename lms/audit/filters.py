"""The filters of the access log in the admin: who, which report, which action, which days."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from lms.filters import DateRangeFilter

from .models import AuditEntry
from .services import audit_filters_clean


def report_choices():
    """Each report in the log once, under the title it was last recorded with.

    One small query per report (there are a handful), each on the (report, occurred_at) index,
    rather than a pass over the whole log.
    """
    entries = AuditEntry.objects.order_by()
    choices = []
    for slug in entries.values_list("report", flat=True).distinct():
        latest = entries.filter(report=slug).order_by("-occurred_at")
        title = latest.values_list("report_title", flat=True).first()
        choices.append((slug, title or slug))
    return sorted(choices, key=lambda choice: str(choice[1]).casefold())


class AccessLogFilterSet(WagtailFilterSet):
    actor = django_filters.CharFilter(
        label=_("Who"),
        method="filter_actor",
        help_text=_("Name or e-mail address, or part of it."),
    )
    report = django_filters.ChoiceFilter(
        label=_("Report"), choices=report_choices, empty_label=_("All")
    )
    action = django_filters.ChoiceFilter(
        label=_("Action"),
        choices=AuditEntry.Action.choices,
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )
    occurred_at = DateRangeFilter(label=_("Date"), widget=DateRangePickerWidget)

    class Meta:
        model = AuditEntry
        fields = []

    def filter_actor(self, queryset, name, value):
        # The kept name finds entries of deleted accounts too.
        return queryset.filter(Q(actor_name__icontains=value) | Q(actor__email__icontains=value))

    def chosen(self) -> dict:
        """The chosen values as shown in the form, for the access log's own entry."""
        if not self.is_valid():
            return {}
        chosen = {}
        for name in self.form.changed_data:
            value = self.form.cleaned_data.get(name)
            choices = getattr(self.form.fields[name], "choices", None)
            if isinstance(value, slice):
                # The day range as chosen, not the start and end times it filters by.
                value = slice(*(end.date() if end else None for end in (value.start, value.stop)))
            elif value and choices is not None:
                value = dict(choices).get(value, value)
            chosen[name] = value
        return audit_filters_clean(chosen)
