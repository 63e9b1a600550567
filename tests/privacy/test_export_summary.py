"""The data export has a page a person can open and read, in their language, beside data.json."""

import html
import io
import re
import zipfile

import pytest
from django.urls import reverse

from certificates.models import Certificate
from courses.models import QuizPage
from lms.privacy.models import DataExport
from tests.privacy.test_attempts_leave_as_shown import answered_wrong, quiz_for

pytestmark = pytest.mark.django_db


def export_files(client, person, capture) -> dict[str, str]:
    client.force_login(person)
    with capture(execute=True):
        client.post(reverse("privacy:my_data"))
    export = DataExport.objects.get(person=person)
    response = client.get(reverse("privacy:data_export_download", args=[export.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return {
        name: archive.read(name).decode("utf-8")
        for name in archive.namelist()
        if not name.endswith(".pdf")
    }


def readable(page: str) -> str:
    """The page's text as a browser shows it, roughly: tags removed, entities read."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_a_german_learner_reads_their_data_in_german(
    client, anna, catalog, django_capture_on_commit_callbacks
):
    quiz = quiz_for(catalog, anna, QuizPage.Review.SCORE_ONLY)
    answered_wrong(anna, quiz, submit=True)
    files = export_files(client, anna, django_capture_on_commit_callbacks)
    assert set(files) == {"data.json", "Meine_Daten.html"}
    page = files["Meine_Daten.html"]
    assert '<html lang="de">' in page
    text = readable(page)
    certificate = Certificate.objects.get(user=anna)
    for expected in (
        "Über Annabell Zaunkoenig gespeicherte Daten",
        "annabell.zaunkoenig@verwaltung.example",
        "PN-ANNA-1",
        certificate.course.title,
        certificate.code,
        "Pflichtkurs für Annabell Zaunkoenig",  # the e-mail notification
        "Lernnachweis",  # who looked at the learning record
        f"{quiz.title}, Versuch 1",
        "Frage 1",
        "Ihre Antwort: keine Ahnung",
        "Nicht bestanden",
        "Die richtigen Antworten und Rückmeldungen sind nicht enthalten",
    ):
        assert expected in text, expected
    # What is withheld is named, not shown.
    assert "zurückgehalten (nicht exportiert)" in text
    # Stored codes in words; the one ordering question lists its items once.
    assert "Selbst eingeschrieben" in text
    assert text.count("Zu ordnende Einträge:") == 1


def test_an_english_speaker_gets_the_page_in_english(
    client, anna, django_capture_on_commit_callbacks
):
    anna.preferred_language = "en"
    anna.save(update_fields=["preferred_language"])
    files = export_files(client, anna, django_capture_on_commit_callbacks)
    page = files["My_data.html"]
    assert '<html lang="en">' in page
    text = readable(page)
    assert "Data stored about Annabell Zaunkoenig" in text
    assert "Certificates" in text


def test_kinds_of_records_without_data_about_the_person_are_listed_by_name(
    client, anna, django_capture_on_commit_callbacks
):
    files = export_files(client, anna, django_capture_on_commit_callbacks)
    text = readable(files["Meine_Daten.html"])
    assert "Nichts über Sie gespeichert" in text
    nothing = text.split("Nichts über Sie gespeichert", 1)[1]
    assert "Testversuche" in nothing  # no quiz attempt yet
