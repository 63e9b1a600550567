from django.urls import reverse


def test_hr_opens_a_learning_record_in_scope(client, hr_innen, records):
    client.force_login(hr_innen)
    bernd = records["people"]["bernd"]
    response = client.get(reverse("reports_person", args=[bernd.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "PN-INNEN-2" in html and "Informationssicherheit" in html
    assert "?print=1" in html


def test_record_outside_scope_is_not_found(client, hr_innen, records):
    client.force_login(hr_innen)
    dora = records["people"]["dora"]
    assert client.get(reverse("reports_person", args=[dora.pk])).status_code == 404
    assert client.get("/admin/reports/person/99999999999999999999/").status_code == 404


def test_print_view_is_a_plain_page_with_the_record(client, hr_innen, records):
    client.force_login(hr_innen)
    bernd = records["people"]["bernd"]
    response = client.get(reverse("reports_person", args=[bernd.pk]), {"print": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html lang=" in html and "Birke" in html
    assert "sidebar" not in html


def test_viewing_a_record_is_audited_with_the_person(client, hr_innen, records):
    from lms.audit.models import AuditEntry

    client.force_login(hr_innen)
    bernd = records["people"]["bernd"]
    client.get(reverse("reports_person", args=[bernd.pk]))
    entry = AuditEntry.objects.get(subject=bernd)
    assert entry.actor == hr_innen
    assert entry.report == "person"
