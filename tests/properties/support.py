"""What the property tests share: how many examples, input as browsers and tools send it, a
fresh state for every example and the check that an answer was not a server error."""

import traceback
from contextlib import contextmanager

from django.core.cache import cache
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st


def examples(count: int):
    """Hypothesis settings for tests that render whole admin pages: no deadline (the first
    request of a run compiles templates), and function-scoped fixtures are fine because every
    example runs in its own rolled-back savepoint (`fresh_state`)."""
    return settings(
        max_examples=count,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# Text as forms and URLs carry it: any characters, control characters and very long ones too.
TEXT = st.text(max_size=300) | st.sampled_from(["", "0", "-1", "9" * 30, "../..", "=1+1"])

# Numbers as people and scripts type them into id and number fields, and what only looks like
# one: digits Python's int() does not read ("²"), other scripts' digits, exponents.
NUMBERISH = st.sampled_from(
    [
        "0",
        "-1",
        "-0",
        "1.5",
        "1e309",
        "NaN",
        "Infinity",
        "0x10",
        " 7 ",
        "²",
        "١٢",
        "𝟙",
        "9" * 18,
        "9" * 19,
        "9" * 40,
        "9" * 5000,  # longer than int() converts
        str(2**63 - 1),
        str(2**63),
        str(-(2**63) - 1),
    ]
) | st.integers(min_value=-(10**30), max_value=10**30).map(str)

# Dates a date field may be given: well formed, out of every sensible range, or no date at all.
DATEISH = st.sampled_from(
    [
        "2026-11-29",
        "29.11.2026",
        "0001-01-01",
        "1899-12-31",
        "2201-01-01",
        "9999-12-31",
        "10000-01-01",
        "2026-02-30",
        "-2026-01-01",
        "2026-13-01",
        "00.00.0000",
        "2026-11-29T25:00",
    ]
) | st.dates().map(str)


@contextmanager
def fresh_state():
    """One example's writes are undone before the next one starts, and rate-limit counters
    in the cache are cleared, so each example meets the same world."""
    cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def browser(user=None) -> Client:
    """A client that answers as a server would: a server error is a 500 response to check,
    not an exception in the test."""
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def assert_answered(response, *allowed):
    """The response is no server error (and, if given, one of the allowed statuses); on a
    server error, the exception behind it is part of the failure."""
    status = response.status_code
    if status < 500 and (not allowed or status in allowed):
        return
    detail = ""
    if getattr(response, "exc_info", None):
        detail = "".join(traceback.format_exception(*response.exc_info))
    request = response.wsgi_request
    raise AssertionError(
        f"{status} for {request.method} {request.get_full_path()}"
        f" (expected {allowed or '< 500'})\n{detail}"
    )


def rows(queryset, *fields) -> list[tuple]:
    """The rows as values in a stable order, to compare before and after a request."""
    return list(queryset.order_by("pk").values_list("pk", *fields))
