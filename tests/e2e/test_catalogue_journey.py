"""A learner searches the catalogue as people type, and every card on *Mein Lernen* leads on.

Runs on the seeded demo before the learner journey (file order): Anna's OZG lessons are done
and its quiz is untouched, two lessons of the security course are done.
"""

import re
import time

import pytest
from playwright.sync_api import expect

from .certificate import pdf_text
from .conftest import TIMEOUT_MS

ANNA = "anna.lernt@demo.example"
BEN = "ben.lernt@demo.example"
OZG = "Grundlagen des Onlinezugangsgesetzes"
SECURITY = "Informationssicherheit am Arbeitsplatz"
ACCESSIBLE = "Barrierefreie Dokumente erstellen"
EAKTE = "E-Akte in der Praxis"
CERTIFICATE_WAIT_SECONDS = 30

SEARCHES = [
    ("Onlinezugang", [OZG]),
    ("onlinezugangsgesetz", [OZG]),
    ("barrierefrei", [ACCESSIBLE]),
    ("dokument", [ACCESSIBLE, EAKTE]),
    ("Passwort", [SECURITY]),
    ("Passwörtern", [SECURITY]),
    ("Schutzziele", [SECURITY]),  # only in a lesson's text
]


@pytest.fixture
def phone(browser, base_url):
    """A page the size of a phone, German like the others."""
    context = browser.new_context(
        base_url=base_url,
        locale="de-DE",
        timezone_id="Europe/Berlin",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the pages: {errors}"


def search(page, term):
    page.get_by_label("Suchbegriff").fill(term)
    page.get_by_role("button", name="Filtern").click()
    expect(page.get_by_label("Suchbegriff")).to_have_value(term)


def titles(page):
    return [" ".join(t.split()) for t in page.locator(".course-card h3").all_inner_texts()]


def card(page, course):
    sections = page.locator("#dashboard-assigned, #dashboard-in-progress, #dashboard-completed")
    return sections.locator(".dashboard-item").filter(
        has=page.get_by_role("heading", level=4, name=course, exact=True)
    )


def test_anna_finds_courses_by_word_parts_compounds_and_forms(page, login, shot, check_a11y):
    login(page, ANNA)
    page.locator("#catalog-link").first.click()
    for term, expected in SEARCHES:
        search(page, term)
        assert titles(page) == expected, term
    check_a11y(page, "catalogue (search for a word part)")
    shot(page, "catalogue-word-part")


def test_anna_searches_on_a_phone(phone, login):
    login(phone, ANNA)
    phone.goto("/kurse/")
    search(phone, "Onlinezugang")
    assert titles(phone) == [OZG]
    phone.get_by_role("link", name=OZG).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(OZG)


def test_each_card_on_mein_lernen_leads_to_its_next_step_on_a_phone(phone, login, shot, check_a11y):
    login(phone, ANNA)
    ozg = card(phone, OZG)
    quiz_link = ozg.get_by_role("link", name="Zum Abschlusstest")
    expect(quiz_link).to_be_visible()
    security = card(phone, SECURITY)
    resume = security.get_by_role("link", name="Weiter mit Sichere Passwörter")
    expect(resume).to_be_visible()
    check_a11y(phone, "Mein Lernen (phone)")
    shot(phone, "mein-lernen-phone")

    quiz_link.click()
    expect(phone).to_have_url(re.compile(r"/kurse/ozg-grundlagen/abschlusstest/$"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Abschlusstest")

    phone.goto("/")
    card(phone, SECURITY).get_by_role("link", name="Weiter mit Sichere Passwörter").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Sichere Passwörter und Zwei-Faktor-Anmeldung"
    )


def _learner_not_started():
    """A demo learner with a course not begun: no lesson opened or done, not completed."""
    from courses.models import Enrolment
    from courses.selectors import course_lessons

    enrolment = (
        Enrolment.objects.filter(
            user__email__endswith="@demo.example",
            completed_at__isnull=True,
            last_lesson__isnull=True,
            lessons__isnull=True,
            user__is_superuser=False,
            user__groups__isnull=True,
        )
        .exclude(user__email__in=[ANNA, BEN])
        .select_related("user", "course")
        .order_by("-user__email")
        .first()
    )
    assert enrolment, "the demo has no learner with a course not begun"
    first = course_lessons(course=enrolment.course)[0]
    return enrolment.user.email, enrolment.course.title, first.title


def test_a_course_not_begun_begins_with_its_first_lesson(page, login, django_read, shot):
    email, course, first_lesson = django_read(_learner_not_started)
    login(page, email)
    begin = card(page, course).get_by_role("link", name="Beginnen")
    expect(begin).to_be_visible()
    shot(page, "mein-lernen-begin")
    begin.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(first_lesson)


def test_a_completed_course_offers_its_certificate(page, login, shot):
    login(page, BEN)
    completed = card(page, SECURITY)
    link = completed.get_by_role("link", name="Zertifikat")
    deadline = time.monotonic() + CERTIFICATE_WAIT_SECONDS
    while link.count() == 0:  # the worker issues it shortly after the seed
        assert time.monotonic() < deadline, "no certificate on the card in time"
        expect(completed.locator(".certificate-pending")).to_be_visible()
        page.wait_for_timeout(1000)
        page.reload()
    shot(page, "mein-lernen-certificate")
    with page.expect_download() as download:
        link.click()
    text = pdf_text(download.value.path())
    assert SECURITY in text.replace("\n", " ")
