"""Learners' journeys in a real browser on the production stack (`make e2e`), with demo data.

Every page a learner sees on the way is checked with axe and screenshotted
(tests/e2e/artifacts/<test>/).
"""

import re
import time

from playwright.sync_api import expect

from . import keyboard
from .certificate import pdf_text, qr_code_url
from .mfa import staff_sign_in
from .quiz import attempt_id_of, attempt_pages, fill, right_answer, wrong_answer

ANNA = "anna.lernt@demo.example"
OZG = "Grundlagen des Onlinezugangsgesetzes"
OZG_QUIZ_URL = "/kurse/ozg-grundlagen/abschlusstest/"
ATTEMPT_PAGE = re.compile(r"/lernen/versuch/\d+/seite/\d+/$")
SUMMARY_PAGE = re.compile(r"/lernen/versuch/\d+/abgeben/$")
RESULT_PAGE = re.compile(r"/lernen/versuch/\d+/$")
CERTIFICATE_WAIT_SECONDS = 60


def _answer_pages(page, pages, answers_for, *, before_last_save=None):
    """Goes through the attempt's pages, entering answers_for(page number, question)."""
    for number, questions in enumerate(pages, start=1):
        expect(page).to_have_url(re.compile(rf"/seite/{number}/$"))
        expect(page.locator(".quiz-position")).to_contain_text(f"Seite {number} von {len(pages)}")
        for question in questions:
            fill(page, answers_for(number, question))
        if number < len(pages):
            page.get_by_role("button", name="Speichern und weiter").click()
        else:
            if before_last_save:
                before_last_save(page)
            page.get_by_role("button", name="Speichern und vor der Abgabe prüfen").click()
    expect(page).to_have_url(SUMMARY_PAGE)


def test_anna_fails_the_ozg_quiz_passes_it_and_gets_a_certificate_anyone_can_verify(
    page, login, shot, check_a11y, django_read, browser, base_url
):
    login(page, ANNA)
    expect(page.get_by_role("heading", name="Mein Lernen")).to_be_visible()
    expect(page.locator("#dashboard-assigned")).to_contain_text(OZG)
    check_a11y(page, "home")
    shot(page, "home")

    page.get_by_role("link", name="Zum Kursangebot").click()
    expect(page).to_have_url(re.compile("/kurse/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kursangebot")
    check_a11y(page, "catalogue")
    shot(page, "catalogue")

    page.get_by_role("link", name=OZG).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(OZG)
    lessons = page.locator("#lesson-list > li")
    expect(lessons).to_have_count(4)
    expect(lessons.filter(has_text="Erledigt")).to_have_count(4)
    expect(page.locator(".badges")).not_to_contain_text("Abgeschlossen")
    check_a11y(page, "course")
    shot(page, "course")

    page.locator("#quiz-link").click()
    expect(page).to_have_url(re.compile(OZG_QUIZ_URL + "$"))
    expect(page.locator("#quiz-status")).to_contain_text("noch nicht")
    check_a11y(page, "quiz")
    shot(page, "quiz")

    # Attempt 1: the first page answered wrong, the rest left empty.
    page.get_by_role("button", name="Test beginnen").click()
    expect(page).to_have_url(ATTEMPT_PAGE)
    pages = django_read(attempt_pages, attempt_id_of(page.url))
    assert [len(questions) for questions in pages] == [4, 4, 4]
    assert {q["type"] for questions in pages for q in questions} == {
        "single_choice",
        "multiple_choice",
        "true_false",
        "short_text",
        "number",
        "ordering",
        "matching",
    }
    check_a11y(page, "attempt page 1")
    shot(page, "attempt-1-page-1")
    _answer_pages(page, pages, lambda number, q: wrong_answer(q) if number == 1 else {})
    expect(page.locator("#unanswered-note")).to_contain_text("8 Fragen")
    check_a11y(page, "summary")
    shot(page, "attempt-1-summary")
    page.get_by_role("button", name="Abgeben und Ergebnis ansehen").click()

    expect(page).to_have_url(RESULT_PAGE)
    expect(page.locator("#outcome-heading")).to_have_text(re.compile("Nicht bestanden"))
    expect(page.locator(".quiz-score")).to_contain_text("0 %")
    expect(page.locator("#no-review-note")).to_be_visible()
    check_a11y(page, "result (failed)")
    shot(page, "attempt-1-result")

    # Attempt 2: new option keys, so the key is read again; every answer right.
    page.get_by_role("button", name="Erneut versuchen").click()
    expect(page).to_have_url(ATTEMPT_PAGE)
    attempt_id = attempt_id_of(page.url)
    pages = django_read(attempt_pages, attempt_id)
    _answer_pages(
        page,
        pages,
        lambda number, q: right_answer(q),
        before_last_save=lambda page: shot(page, "attempt-2-last-page-answered"),
    )
    expect(page.locator("#all-answered-note")).to_be_visible()
    shot(page, "attempt-2-summary")
    page.get_by_role("button", name="Abgeben und Ergebnis ansehen").click()

    expect(page).to_have_url(re.compile(rf"/lernen/versuch/{attempt_id}/$"))
    expect(page.locator("#outcome-heading")).to_have_text(re.compile("Bestanden"))
    expect(page.locator(".quiz-score")).to_contain_text("100 %")
    expect(page.locator(".messages")).to_contain_text(OZG)
    expect(page.locator("#quiz-review")).to_be_visible()  # the key, once passed
    expect(page.get_by_role("button", name="Erneut versuchen")).to_have_count(0)
    check_a11y(page, "result (passed, with review)")
    shot(page, "attempt-2-result")

    page.locator("#course-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(OZG)
    expect(page.locator(".badges")).to_contain_text("Abgeschlossen")
    expect(page.locator(".completed-date")).to_be_visible()
    check_a11y(page, "course (completed)")
    shot(page, "course-completed")

    page.goto("/")
    expect(page.locator("#dashboard-completed")).to_contain_text(OZG)
    shot(page, "home-completed")

    # The certificate, issued by the Celery worker once the completion was committed.
    certificates = page.locator("#dashboard-certificates")
    download_link = certificates.get_by_role("link", name=re.compile("Zertifikat herunterladen"))
    deadline = time.monotonic() + CERTIFICATE_WAIT_SECONDS
    while download_link.count() == 0:
        assert time.monotonic() < deadline, "no certificate on Mein Lernen in time"
        page.wait_for_timeout(1000)
        page.reload()
    expect(certificates).to_contain_text(OZG)
    expect(certificates.locator(".badge").first).to_have_text("Gültig")
    check_a11y(page, "home (certificate)")
    shot(page, "home-certificate")
    with page.expect_download() as download:
        download_link.first.click()
    pdf = download.value.path()
    text = pdf_text(pdf)
    url = qr_code_url(pdf)
    assert url.startswith(f"{base_url}/verify/"), url
    code = url.rstrip("/").rsplit("/", 1)[1]
    assert "Anna Lernt" in text and OZG in text.replace("\n", " ")
    assert code in text

    # Anyone holding the PDF scans the code: no sign-in needed.
    visitor = browser.new_page(base_url=base_url, locale="de-DE")
    visitor.goto(url)
    expect(visitor.locator("#verification-status")).to_contain_text("Gültig")
    expect(visitor.locator("#verification-name")).to_have_text("Anna Lernt")
    expect(visitor.locator("#verification-course")).to_have_text(OZG)
    check_a11y(visitor, "verification (valid)")
    shot(visitor, "verification-valid")

    # A centre admin revokes it in the admin; the same address then says so.
    admin = browser.new_page(base_url=base_url, locale="de-DE")
    staff_sign_in(admin, "admin@demo.example")
    admin.goto(f"/admin/certificates/issued/?q={code}")
    expect(admin.locator("main")).to_contain_text("Anna Lernt")
    admin.goto(f"/admin/certificates/issued/{django_read(_certificate_id, code)}/")
    shot(admin, "admin-certificate")
    admin.get_by_role("link", name="Widerrufen", exact=True).click()
    admin.get_by_label(re.compile("Grund")).fill("Demo: Widerruf im Browsertest")
    admin.get_by_role("button", name="Zertifikat widerrufen").click()
    expect(admin.locator(".messages")).to_contain_text("widerrufen")
    shot(admin, "admin-certificate-revoked")
    visitor.reload()
    expect(visitor.locator("#verification-status")).to_contain_text("Widerrufen")
    expect(visitor.locator("body")).not_to_contain_text("Browsertest")
    check_a11y(visitor, "verification (revoked)")
    shot(visitor, "verification-revoked")
    visitor.context.close()
    admin.context.close()


def _certificate_id(code):
    from certificates.codes import code_normalise
    from certificates.models import Certificate

    return Certificate.objects.get(code=code_normalise(code)).pk


def test_anna_enrols_through_the_catalogue_and_opens_the_first_lesson(
    page, login, shot, check_a11y
):
    course = "Barrierefreie Dokumente erstellen"
    login(page, ANNA)
    page.get_by_role("link", name="Zum Kursangebot").click()
    page.get_by_label("Suchbegriff").fill("barrierefrei")
    page.get_by_role("button", name="Filtern").click()
    expect(page.locator("#result-count")).to_have_text("1 Kurs")
    check_a11y(page, "catalogue (search)")
    shot(page, "catalogue-search")

    page.get_by_role("link", name=course).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(course)
    expect(page.locator("#lesson-list")).to_contain_text("Grundlagen der Barrierefreiheit")
    check_a11y(page, "course (not enrolled)")
    shot(page, "course-not-enrolled")

    # Enrolling opens the first lesson at once.
    page.get_by_role("button", name="Einschreiben").click()
    expect(page.locator(".messages")).to_contain_text("eingeschrieben")
    expect(page.get_by_role("heading", level=1)).to_have_text("Grundlagen der Barrierefreiheit")
    expect(page.locator(".lesson-position")).to_contain_text("Lektion 1 von 3")
    check_a11y(page, "lesson")
    shot(page, "lesson")

    page.get_by_role("navigation", name="Brotkrumennavigation").get_by_role("link").click()
    expect(page.locator("#course-progress")).to_be_visible()
    expect(page.locator("#resume-link")).to_have_text("Dort weitermachen, wo ich aufgehört habe")
    check_a11y(page, "course (enrolled)")
    shot(page, "course-enrolled")

    page.goto("/")
    expect(page.locator("#dashboard-in-progress")).to_contain_text(course)


def _ozg_learner_without_attempts():
    """A demo learner in the OZG course with lessons done who has not taken its quiz."""
    from courses.models import Enrolment, QuizAttempt

    taken = QuizAttempt.objects.filter(quiz__url_path__endswith="/ozg-grundlagen/abschlusstest/")
    enrolment = (
        Enrolment.objects.filter(
            course__slug="ozg-grundlagen",
            lessons__completed_at__isnull=False,
            user__email__endswith="@demo.example",
        )
        .exclude(user__email=ANNA)
        .exclude(user__in=taken.values("user"))
        .select_related("user")
        .order_by("user__email")
        .first()
    )
    assert enrolment, "the demo has no OZG learner with lessons done and no attempt"
    return enrolment.user.email


def test_the_ozg_quiz_can_be_answered_and_submitted_with_the_keyboard_only(
    page, login, shot, check_a11y, django_read
):
    login(page, django_read(_ozg_learner_without_attempts))
    page.goto(OZG_QUIZ_URL)

    # The skip link is the first stop and moves the focus to the content.
    page.keyboard.press("Tab")
    assert keyboard.focused(page, "a.skip-link")
    page.keyboard.press("Enter")
    assert keyboard.focused(page, "main#main")
    keyboard.enter(page, "#start-form button")
    expect(page).to_have_url(ATTEMPT_PAGE)

    pages = django_read(attempt_pages, attempt_id_of(page.url))
    for number, questions in enumerate(pages, start=1):
        expect(page.locator(".quiz-position")).to_contain_text(f"Seite {number} von")
        # Bottom-up: to the last question with Tab, then back up with Shift+Tab.
        for question in reversed(questions):
            keyboard.answer(page, right_answer(question))
        for question in questions:
            expected = right_answer(question)
            assert keyboard.form_values(page, expected) == expected, question["type"]
        if number == 1:
            check_a11y(page, "attempt page 1 (keyboard)")
        shot(page, f"page-{number}-answered")
        keyboard.enter(page, "#next-button" if number < len(pages) else "#summary-button")
        if number < len(pages):
            expect(page).to_have_url(re.compile(rf"/seite/{number + 1}/$"))

    expect(page).to_have_url(SUMMARY_PAGE)
    expect(page.locator("#all-answered-note")).to_be_visible()
    keyboard.enter(page, "#submit-button")

    expect(page).to_have_url(RESULT_PAGE)
    expect(page.locator("#outcome-heading")).to_have_text(re.compile("Bestanden"))
    expect(page.locator(".quiz-score")).to_contain_text("100 %")
    check_a11y(page, "result (keyboard)")
    shot(page, "result")
