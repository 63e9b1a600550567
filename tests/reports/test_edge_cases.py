"""Moves between ministries, renewed rounds, corrections of certificates, and odd filter values."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from courses.models import ProgressEvent, QuizAttempt, QuizPage
from courses.services import enrolment_renew
from lms.reports.selectors import (
    ReportFilters,
    certificate_status,
    completion_by_authority,
    compliance_report,
    participations_report,
)
from tests.reports.conftest import person

K = ProgressEvent.Kind


def at(month, day, hour=12):
    return timezone.make_aware(datetime.datetime(2026, month, day, hour))


def event(user, course, kind, when, authority, **data):
    ProgressEvent.objects.create(
        user=user, course=course, kind=kind, occurred_at=when, authority=authority, data=data
    )


def test_as_of_counts_a_person_where_their_history_leaves_them(
    org, security_course, hr_finanzen, hr_innen, centre_admin
):
    """Assigned in finance, moved to the interior and completed there: by June, an interior
    figure — finance sees nothing of it."""
    mover = person(org["rpda"], "Max", "Mover", "PN-INNEN-9")
    event(mover, security_course, K.ASSIGNED, at(3, 1), org["hzd"], due_on="2026-04-30")
    event(mover, security_course, K.COURSE_COMPLETED, at(5, 10), org["rpda"])
    day = datetime.date(2026, 6, 1)
    finance = completion_by_authority(viewer=hr_finanzen, filters=ReportFilters(), as_of=day)
    interior = completion_by_authority(viewer=hr_innen, filters=ReportFilters(), as_of=day)
    assert finance.total.total == 0
    assert (interior.total.total, interior.total.completed) == (1, 1)
    # In April the person still belonged to finance.
    april = completion_by_authority(
        viewer=hr_finanzen, filters=ReportFilters(), as_of=datetime.date(2026, 4, 1)
    )
    assert april.total.total == 1


def test_as_of_with_an_authority_filter_keeps_events_recorded_without_one(
    org, security_course, centre_admin
):
    newcomer = person(org["rpda"], "Nina", "Neu", "PN-INNEN-8")
    event(newcomer, security_course, K.ASSIGNED, at(3, 1), None, due_on="2026-04-30")
    event(newcomer, security_course, K.COURSE_COMPLETED, at(5, 10), org["rpda"])
    day = datetime.date(2026, 6, 1)
    everything = completion_by_authority(viewer=centre_admin, filters=ReportFilters(), as_of=day)
    interior = completion_by_authority(
        viewer=centre_admin, filters=ReportFilters(authority=org["innen"]), as_of=day
    )
    assert interior.total.total == everything.total.total == 1


def test_as_of_together_with_a_due_range(client, org, security_course, hr_innen):
    someone = person(org["rpda"], "Olga", "Olm", "PN-INNEN-7")
    event(someone, security_course, K.ASSIGNED, at(3, 1), org["rpda"], due_on="2026-04-30")
    client.force_login(hr_innen)
    response = client.get(
        reverse("reports_completion"),
        {"as_of": "2026-11-01", "due_from": "2026-01-01", "due_to": "2026-04-30"},
    )
    assert response.status_code == 200
    assert "Olm" not in response.content.decode()  # figures only, never names
    report = completion_by_authority(
        viewer=hr_innen,
        filters=ReportFilters(
            due_from=datetime.date(2026, 5, 1), due_to=datetime.date(2026, 12, 31)
        ),
        as_of=datetime.date(2026, 11, 1),
    )
    assert report.total.total == 0


def test_best_quiz_result_counts_the_current_round_only(hr_innen, records, security_course):
    quiz = security_course.add_child(instance=QuizPage(title="Abschlusstest", pass_mark=60))
    bernd = records["people"]["bernd"]
    QuizAttempt.objects.create(
        user=bernd,
        quiz=quiz,
        number=1,
        status=QuizAttempt.Status.SUBMITTED,
        pass_mark=60,
        percent="95.0",
        submitted_at=timezone.now(),
        started_at=timezone.now() - datetime.timedelta(days=40),
    )
    enrolment_renew(
        enrolment=records["enrolments"]["bernd"],
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    rows = {
        row.user.last_name: row
        for row in participations_report(viewer=hr_innen, filters=ReportFilters())
    }
    assert rows["Birke"].best_percent is None


@pytest.mark.parametrize("issued,revoked", [(False, False), (True, True)])
def test_a_pending_or_revoked_correction_leaves_the_original_standing(
    hr_innen, records, issued, revoked
):
    old = Certificate.objects.get(enrolment=records["enrolments"]["bernd"])
    Certificate.objects.create(
        kind=Certificate.Kind.CORRECTION,
        user=old.user,
        course=old.course,
        enrolment=old.enrolment,
        completed_at=old.completed_at,
        template_version=1,
        language="de",
        content={},
        valid_until=old.valid_until,
        replaces=old,
        issued_at=timezone.now() if issued else None,
        sha256="b" * 64 if issued else "",
        revoked_at=timezone.now() if revoked else None,
        revoked_reason="Irrtum" if revoked else "",
    )
    old = Certificate.objects.select_related("replaced_by").get(pk=old.pk)
    rows = {
        row.user.last_name: row
        for row in participations_report(viewer=hr_innen, filters=ReportFilters())
    }
    assert certificate_status(rows["Birke"]) == old.status() == Certificate.Status.VALID
    expiring = compliance_report(viewer=hr_innen, filters=ReportFilters(status="expiring"))
    assert [row.user.last_name for row in expiring] == ["Birke"]


def test_chart_shows_every_top_node_of_a_split_scope(org, records):
    from tests.factories import UserFactory

    coordinator = UserFactory(
        authority=org["hzd"], roles=["hr"], hr_scopes=[org["rpda_unit"], org["hzd"]]
    )
    report = completion_by_authority(viewer=coordinator, filters=ReportFilters())
    assert {row.abbreviation for row in report.chart_rows()} == {"RPDA-I", "HZD"}


@pytest.mark.parametrize(
    "params",
    [
        {"as_of": "0001-01-01"},
        {"as_of": "9999-12-31"},
        {"due_from": "0001-01-01", "due_to": "9999-12-31"},
        {"as_of": "2026-01-01", "due_to": "9999-12-31"},
        {"days": "NaN"},
        {"days": "Infinity"},
        {"ordering": "user__password"},
        {"p": "-1"},
        {"export": "csv", "as_of": "2026-01-01", "due_from": "2026-01-01"},
    ],
)
def test_odd_filter_values_never_break_a_report(client, centre_admin, records, params):
    client.force_login(centre_admin)
    for name in ("reports_completion", "reports_course", "reports_compliance"):
        assert client.get(reverse(name), params).status_code == 200


@pytest.mark.parametrize(
    "params",
    [{"occurred_at_from": "0001-01-01"}, {"occurred_at_to": "9999-12-31", "export": "csv"}],
)
def test_access_log_refuses_dates_no_one_can_mean(client, centre_admin, params):
    client.force_login(centre_admin)
    assert client.get(reverse("audit_access_log"), params).status_code == 200
