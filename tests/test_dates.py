"""Moving a date by whole months: validity of certificates, recurring rounds of assignments."""

from datetime import date

import pytest

from lms.dates import add_months


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2026-01-31", 1, "2026-02-28"),
        ("2028-01-31", 1, "2028-02-29"),
        ("2026-11-29", 12, "2027-11-29"),
        ("2026-08-31", 36, "2029-08-31"),
        ("2025-03-31", -1, "2025-02-28"),
        ("2025-01-15", -13, "2023-12-15"),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert add_months(date.fromisoformat(day), months) == date.fromisoformat(expected)
