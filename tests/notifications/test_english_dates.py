"""E-mails and certificates in English use the one English date style and the centre's English
name; German ones keep German dates."""

from certificates.services import content_build
from tests.certificates.conftest import certificate_template  # noqa: F401
from tests.notifications.conftest import assign, days, html_of, inbox, sweep

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def english(day):
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def test_an_english_email_writes_the_date_in_words_and_the_centre_in_english(
    james, mandatory_course
):
    assign(james, mandatory_course, days(30))
    sweep()
    [message] = inbox(james)
    assert f"Please complete it by {english(days(30))}." in message.body
    assert f"Please complete it by {english(days(30))}." in html_of(message)
    assert "/" + str(days(30).year) not in message.body
    assert "E-Government Competence and Learning Centre · automatic message" in message.body


def test_a_german_email_keeps_german_dates_and_the_german_name(anna, mandatory_course):
    assign(anna, mandatory_course, days(30))
    sweep()
    [message] = inbox(anna)
    assert days(30).strftime("%d.%m.%Y") in message.body
    footer = "E-Government-Kompetenz- und Lernzentrum · automatisch versandte Nachricht"
    assert footer in message.body


def test_an_english_certificate_writes_its_date_in_words(certificate_template):  # noqa: F811
    fields = {
        "name": "James Learns",
        "course": "Informationssicherheit am Arbeitsplatz",
        "completed_on": "2026-12-07",
        "duration_minutes": 30,
        "authority": "HZD",
        "valid_until": None,
    }
    content = content_build(template=certificate_template, fields=fields, language="en")
    assert "on 7 December 2026." in content["body"]
    german = content_build(template=certificate_template, fields=fields, language="de")
    assert "am 7. Dezember 2026 den Kurs" in german["body"]
