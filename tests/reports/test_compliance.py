import datetime

from django.urls import reverse
from django.utils import timezone

from lms.reports.selectors import ReportFilters, compliance_report
from tests.reports.conftest import certificate_for


def names(rows):
    return sorted(row.user.last_name for row in rows)


def test_overdue_and_expiring_in_scope(hr_innen, records):
    rows = compliance_report(viewer=hr_innen, filters=ReportFilters(), expiring_within_days=90)
    # Anna is overdue; Bernd's certificate expires in 40 days. Clara is not due yet.
    assert names(rows) == ["Amsel", "Birke"]


def test_shorter_horizon_leaves_out_later_expiries(hr_innen, records):
    rows = compliance_report(viewer=hr_innen, filters=ReportFilters(), expiring_within_days=30)
    assert names(rows) == ["Amsel"]


def test_revoked_certificates_do_not_count_as_expiring(hr_innen, records):
    from certificates.models import Certificate

    Certificate.objects.filter(user=records["people"]["bernd"]).update(
        revoked_at=timezone.now(), revoked_reason="Irrtum"
    )
    rows = compliance_report(viewer=hr_innen, filters=ReportFilters(), expiring_within_days=90)
    assert names(rows) == ["Amsel"]


def test_expired_certificates_are_not_expiring(hr_innen, records):
    from certificates.models import Certificate

    Certificate.objects.filter(user=records["people"]["bernd"]).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    rows = compliance_report(viewer=hr_innen, filters=ReportFilters(), expiring_within_days=90)
    assert names(rows) == ["Amsel"]


def test_reason_filter(hr_innen, records):
    rows = compliance_report(
        viewer=hr_innen, filters=ReportFilters(status="expiring"), expiring_within_days=90
    )
    assert names(rows) == ["Birke"]


def test_finance_sees_only_finance(hr_finanzen, records):
    rows = compliance_report(viewer=hr_finanzen, filters=ReportFilters(), expiring_within_days=90)
    assert names(rows) == ["Finanzfrau", "Finanzmann"]


def test_compliance_page_states_the_reasons(client, hr_innen, records):
    client.force_login(hr_innen)
    html = client.get(reverse("reports_compliance")).content.decode()
    assert "Amsel" in html and "Birke" in html and "Cedern" not in html
    expiry = (timezone.localdate() + datetime.timedelta(days=40)).strftime("%d.%m.%Y")
    assert expiry in html


def test_days_out_of_range_is_a_form_error(client, hr_innen, records):
    client.force_login(hr_innen)
    for value in ("-5", "99999999", "abc", "1e400"):
        response = client.get(reverse("reports_compliance"), {"days": value})
        assert response.status_code == 200
        assert "Amsel" not in response.content.decode().split('id="listing-results"')[1]


def test_a_second_certificate_of_one_enrolment_counts_once(hr_innen, records):
    from certificates.models import Certificate

    enrolment = records["enrolments"]["bernd"]
    old = enrolment.certificates.get()
    new = certificate_for(
        enrolment,
        valid_until=timezone.localdate() + datetime.timedelta(days=400),
        kind=Certificate.Kind.CORRECTION,
    )
    Certificate.objects.filter(pk=new.pk).update(replaces=old)
    rows = compliance_report(viewer=hr_innen, filters=ReportFilters(), expiring_within_days=90)
    assert names(rows) == ["Amsel"]
