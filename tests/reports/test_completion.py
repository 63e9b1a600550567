import re

import pytest
from django.urls import reverse

from courses.models import Enrolment
from lms.reports.admin_views import FILTERS_INVALID
from lms.reports.selectors import ReportFilters, completion_by_authority
from tests.reports.conftest import assign


def rows_by_abbreviation(report):
    return {row.abbreviation: row for row in report.rows}


def test_hr_of_interior_gets_their_tree_with_figures_summed_up(hr_innen, records):
    report = completion_by_authority(viewer=hr_innen, filters=ReportFilters())
    rows = rows_by_abbreviation(report)
    assert list(rows) == ["HMdI", "RPDA", "RPDA-I", "RPKS"]
    # RPDA: Anna overdue, Bernd (in the unit below) completed.
    assert (rows["RPDA"].counts.total, rows["RPDA"].counts.completed) == (2, 1)
    assert rows["RPDA"].counts.overdue == 1
    assert rows["RPDA-I"].counts.total == 1
    # Emil chose the course himself: not counted among the assigned.
    # Clara has not begun yet.
    assert (rows["RPKS"].counts.total, rows["RPKS"].counts.not_started) == (1, 1)
    ministry = rows["HMdI"].counts
    assert (ministry.total, ministry.completed, ministry.overdue, ministry.not_started) == (
        3,
        1,
        1,
        1,
    )
    assert str(ministry.rate) == "33.3"
    assert [row.level for row in report.rows] == [0, 1, 2, 1]


def test_hr_of_finance_sees_no_interior_authority(hr_finanzen, records):
    report = completion_by_authority(viewer=hr_finanzen, filters=ReportFilters())
    assert list(rows_by_abbreviation(report)) == ["HMdF", "HZD"]
    assert report.total.total == 2


def test_centre_admin_sees_both_ministries(centre_admin, records):
    report = completion_by_authority(viewer=centre_admin, filters=ReportFilters())
    assert {"HMdI", "HMdF"} <= set(rows_by_abbreviation(report))
    assert report.total.total == 5


def test_self_chosen_courses_count_when_asked(hr_innen, records):
    report = completion_by_authority(viewer=hr_innen, filters=ReportFilters(mandatory_only=False))
    assert rows_by_abbreviation(report)["RPKS"].counts.total == 2


def test_course_filter_narrows_the_figures(hr_innen, records, catalog):
    from tests.courses.conftest import add_course

    other = add_course(catalog, title="E-Akte")
    assign(records["people"]["anna"], other, None)
    only_other = completion_by_authority(viewer=hr_innen, filters=ReportFilters(course=other))
    assert only_other.total.total == 1
    both = completion_by_authority(viewer=hr_innen, filters=ReportFilters())
    assert both.total.total == 4


def test_authority_filter_narrows_to_the_subtree(hr_innen, records, org):
    report = completion_by_authority(viewer=hr_innen, filters=ReportFilters(authority=org["rpda"]))
    assert list(rows_by_abbreviation(report)) == ["RPDA", "RPDA-I"]
    assert report.total.total == 2


def test_authority_outside_scope_gives_nothing_even_to_the_selector(hr_innen, records, org):
    report = completion_by_authority(viewer=hr_innen, filters=ReportFilters(authority=org["hzd"]))
    assert report.rows == []
    assert report.total.total == 0


def test_report_page_shows_table_and_accessible_chart(client, hr_innen, records):
    client.force_login(hr_innen)
    response = client.get(reverse("reports_completion"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="img"' in html and "<desc" in html
    # The figures of the chart are also in the table: RPDA's 50 % and RPKS's 0 %.
    assert re.search(r"<title>Regierungspräsidium Darmstadt \(RPDA\): 50,0\s*%</title>", html)
    assert "Regierungspräsidium Kassel (RPKS)" in html
    assert "33,3" in html


def test_out_of_scope_authority_in_the_url_shows_an_error_and_no_rows(
    client, hr_innen, records, org
):
    client.force_login(hr_innen)
    response = client.get(reverse("reports_completion"), {"authority": org["hzd"].pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Zentrale für Datenverarbeitung" not in html
    results = html.split('id="listing-results"')[1]
    assert "<tbody" not in results
    assert str(FILTERS_INVALID).split(":")[0] in results


@pytest.mark.parametrize("value", ["abc", "99999999999999999999999", "-1", "1e5"])
def test_nonsense_filter_values_are_refused_not_a_server_error(client, hr_innen, records, value):
    client.force_login(hr_innen)
    for name in ("authority", "course", "as_of", "due_after", "due_before"):
        response = client.get(reverse("reports_completion"), {name: value})
        assert response.status_code == 200


def test_learners_and_trainers_have_no_reports(client, records, org):
    from tests.factories import UserFactory

    trainer = UserFactory(roles=["trainer"], authority=org["rpda"])
    client.force_login(trainer)
    assert client.get(reverse("reports_completion")).status_code in (302, 403)
    client.force_login(records["people"]["anna"])
    assert client.get(reverse("reports_completion")).status_code in (302, 403)


def test_self_enrolled_only_people_are_not_overdue(hr_innen, records):
    Enrolment.objects.filter(user=records["people"]["emil"]).update(due_on=None)
    report = completion_by_authority(viewer=hr_innen, filters=ReportFilters(mandatory_only=False))
    assert rows_by_abbreviation(report)["RPKS"].counts.overdue == 0
