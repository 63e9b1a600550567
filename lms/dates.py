"""Calendar arithmetic shared by every app: the one way a date moves by whole months."""

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day `months` later (earlier when negative), or that month's last day:
    31 January + 1 month = 28/29 February."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
