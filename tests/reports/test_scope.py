"""HR of the finance ministry walks every report URL and sees nothing of the interior ministry:
no person, no authority name, no personnel number — whatever the filters in the URL say."""

import itertools

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.reports.conftest import INTERIOR_STRINGS
from tests.responses import body_text


def _report_urls():
    """Every admin URL under reports/, as (route, name), found in the URL configuration."""
    found = []

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, route, inner)
            elif (
                isinstance(pattern, URLPattern)
                and route.startswith("admin/reports/")
                and pattern.name
            ):
                found.append((route, namespace + pattern.name))

    walk(get_resolver().url_patterns)
    return found


def test_the_walk_covers_the_reports():
    names = {name for _route, name in _report_urls()}
    assert {"reports_completion", "reports_course", "reports_compliance", "reports_person"} <= names


@pytest.mark.django_db
def test_hr_of_finance_sees_nothing_of_the_interior_on_any_report_url(
    client, hr_finanzen, records, org
):
    interior_people = [records["people"][key] for key in ("anna", "bernd", "clara", "emil")]
    interior_authorities = [org[key] for key in ("innen", "rpda", "rpda_unit", "rpks")]
    variants = [{}, {"course": records["course"].pk}, {"as_of": "2026-11-01"}]
    variants += [{"authority": authority.pk} for authority in interior_authorities]
    variants += [
        {"status": status} for status in ("overdue", "completed", "in_progress", "expiring")
    ]
    variants += [{"days": "3650"}, {"self_chosen_too": "on"}, {"mandatory": "on"}]
    formats = [{}, {"export": "csv"}, {"export": "xlsx"}]
    client.force_login(hr_finanzen)
    checked = 0
    for route, name in _report_urls():
        if "<" in route and "id:" not in route and "int:" not in route:
            continue  # no object id to try (none of the reports has such a route)
        if "<" in route:
            urls = [reverse(name, args=[person.pk]) for person in interior_people]
        else:
            urls = [reverse(name)]
        ours = name.startswith("reports_") or name.startswith("audit_")
        combinations = itertools.product(urls, variants, formats) if ours else [(urls[0], {}, {})]
        for url, params, fmt in combinations:
            response = client.get(url, {**params, **fmt})
            assert response.status_code in (200, 302, 403, 404), (url, params, fmt)
            text = body_text(response)
            for secret in INTERIOR_STRINGS:
                assert secret not in text, (url, params, fmt, secret)
            checked += 1
    assert checked > 200


def test_finance_report_does_show_finance_people(client, hr_finanzen, records):
    """The walk above would pass on empty pages; the same URLs do show the own scope."""
    client.force_login(hr_finanzen)
    text = body_text(client.get(reverse("reports_course"), {"export": "csv"}))
    assert "Finanzfrau" in text and "Finanzmann" in text
    text = body_text(client.get(reverse("reports_completion")))
    assert "HZD" in text
    text = body_text(client.get(reverse("reports_person", args=[records["people"]["dora"].pk])))
    assert "PN-FIN-1" in text
