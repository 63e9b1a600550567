"""Filters the admin's report views share (django-filter)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

# Dates a report can mean; beyond these, converting midnight in Berlin to UTC overflows.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200
DATE_OUT_OF_RANGE = _("Please enter dates between %(first)s and %(last)s.")


class _DateRangeField(django_filters.fields.DateRangeField):
    def clean(self, value):
        value = super().clean(value)
        for end in (value.start, value.stop) if value else ():
            if end is not None and not EARLIEST_YEAR <= end.year <= LATEST_YEAR:
                raise forms.ValidationError(
                    DATE_OUT_OF_RANGE % {"first": EARLIEST_YEAR, "last": LATEST_YEAR}
                )
        return value


class DateRangeFilter(django_filters.DateFromToRangeFilter):
    """A from–to date filter that refuses years no report can mean, instead of overflowing."""

    field_class = _DateRangeField
