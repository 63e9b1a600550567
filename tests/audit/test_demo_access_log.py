"""A fresh demo shows the access log at work: Ben's page names the HR coordinator of his
ministry who downloaded his certificate, and Anna's page has no such entry."""

import pytest
from bs4 import BeautifulSoup

from lms.people.models import User

pytestmark = pytest.mark.usefixtures("demo_seeded")


def lines(client, email):
    client.force_login(User.objects.get(email=email))
    soup = BeautifulSoup(client.get("/lernen/protokoll/").content, "html.parser")
    return [row.get_text(" ", strip=True) for row in soup.select("table#access-log tbody tr")]


def test_bens_page_shows_hrs_download_of_his_certificate(client, db):
    (line,) = lines(client, "ben.lernt@demo.example")
    assert "HR-Koordination" in line
    assert "Hat Ihr Zertifikat zu „Informationssicherheit" in line
    assert "als PDF heruntergeladen" in line


def test_annas_page_has_no_certificate_download(client, db):
    assert not any("Zertifikat" in line for line in lines(client, "anna.lernt@demo.example"))
