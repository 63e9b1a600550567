"""Each figure of the completion report leads to the people behind it: Participants by course,
filtered to that part of the organisation (and status), with the same course and due dates."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

from tests.reports.conftest import person


def figure_links(html):
    """{(authority id, status or None): query} for every link into Participants by course."""
    course_url = reverse("reports_course")
    links = {}
    for href in re.findall(r'href="([^"]+)"', html):
        href = unescape(href)
        if not href.startswith(course_url + "?"):
            continue
        query = {key: values[0] for key, values in parse_qs(urlsplit(href).query).items()}
        links[(int(query["authority"]), query.get("status"))] = href
    return links


def people_behind(client, href):
    html = client.get(href).content.decode()
    return {name for name in ("Amsel", "Birke", "Cedern", "Espe", "Finanzfrau") if name in html}


def test_each_figure_links_to_the_people_behind_it(client, hr_innen, records, org):
    client.force_login(hr_innen)
    links = figure_links(client.get(reverse("reports_completion")).content.decode())
    innen, rpda, rpks = org["innen"].pk, org["rpda"].pk, org["rpks"].pk
    assert people_behind(client, links[(innen, None)]) == {"Amsel", "Birke", "Cedern"}
    assert people_behind(client, links[(rpks, "not_started")]) == {"Cedern"}
    assert people_behind(client, links[(innen, "overdue")]) == {"Amsel"}
    # RPDA's figures include the unit below it, and so do the people behind them.
    assert people_behind(client, links[(rpda, "completed")]) == {"Birke"}


def test_a_zero_is_not_linked(client, hr_innen, records, org):
    client.force_login(hr_innen)
    links = figure_links(client.get(reverse("reports_completion")).content.decode())
    assert (org["rpks"].pk, "not_started") in links
    assert (org["rpks"].pk, "overdue") not in links
    assert (org["rpks"].pk, "in_progress") not in links


def test_links_keep_the_course_due_and_kind_filters(client, hr_innen, records, org):
    client.force_login(hr_innen)
    course = records["course"].pk
    filters = {"course": course, "due_from": "2020-01-01", "due_to": "2099-12-31"}
    html = client.get(reverse("reports_completion"), filters).content.decode()
    href = figure_links(html)[(org["rpda"].pk, "overdue")]
    query = {key: values[0] for key, values in parse_qs(urlsplit(href).query).items()}
    assert query == {
        "authority": str(org["rpda"].pk),
        "status": "overdue",
        "course": str(course),
        "due_from": "2020-01-01",
        "due_to": "2099-12-31",
        "mandatory": "on",
    }
    # Self-chosen courses included: the link does not narrow to mandatory ones, and Emil's
    # self-chosen course is among the people behind the figure.
    html = client.get(reverse("reports_completion"), {"self_chosen_too": "on"}).content.decode()
    href = figure_links(html)[(org["rpks"].pk, None)]
    assert "mandatory" not in href
    assert people_behind(client, href) == {"Cedern", "Espe"}


def test_hr_of_another_ministry_never_sees_them(client, hr_innen, hr_finanzen, records, org):
    client.force_login(hr_finanzen)
    html = client.get(reverse("reports_completion")).content.decode()
    assert {authority for authority, _status in figure_links(html)} <= {
        org["finanzen"].pk,
        org["hzd"].pk,
    }
    # An interior link, copied to finance, shows none of the interior's people.
    client.force_login(hr_innen)
    interior = figure_links(client.get(reverse("reports_completion")).content.decode())
    assert interior
    client.force_login(hr_finanzen)
    for href in interior.values():
        assert people_behind(client, href) == set()


def test_a_past_day_has_no_links_to_todays_people(client, hr_innen, records):
    client.force_login(hr_innen)
    assert figure_links(client.get(reverse("reports_completion")).content.decode())
    html = client.get(reverse("reports_completion"), {"as_of": "2026-05-01"}).content.decode()
    assert figure_links(html) == {}


def test_people_without_an_authority_are_not_linked(client, centre_admin, records):
    from tests.reports.conftest import assign

    nobody = person(None, "Nora", "Niemand", "PN-X")
    assign(nobody, records["course"], None)
    client.force_login(centre_admin)
    html = client.get(reverse("reports_completion")).content.decode()
    links = figure_links(html)
    assert links and all(authority for authority, _status in links)
