"""Error pages, the admin's no-access page, the header links and the quiz on a phone, in a real
browser on the production stack (`make e2e`, DEBUG off), with demo data."""

import re

from playwright.sync_api import expect

from .conftest import TIMEOUT_MS

ANNA = "anna.lernt@demo.example"
BEN = "ben.lernt@demo.example"
OZG_QUIZ_URL = "/kurse/ozg-grundlagen/abschlusstest/"
ATTEMPT_PAGE = re.compile(r"/lernen/versuch/\d+/seite/\d+/$")


def _header(page):
    return page.locator("header.site-header")


def test_a_missing_page_is_german_then_english_in_the_site_layout(page, shot, check_a11y):
    response = page.goto("/gibt-es-nicht/")
    assert response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Seite nicht gefunden")
    expect(page).to_have_title(re.compile("^Seite nicht gefunden – "))
    expect(_header(page).get_by_role("link", name="Kursangebot")).to_be_visible()
    expect(page.locator("footer.site-footer")).to_be_visible()
    check_a11y(page, "404 (de)")
    shot(page, "404-de")

    with page.expect_navigation():
        _header(page).get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile("/gibt-es-nicht/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(_header(page).get_by_role("link", name="Course catalogue")).to_be_visible()
    check_a11y(page, "404 (en)", lang="en")
    shot(page, "404-en")


def test_a_learner_opening_the_admin_sees_no_access_and_the_header_leads_on(
    page, login, shot, check_a11y
):
    login(page, ANNA)
    response = page.goto("/admin/")
    # One answer, no redirect (the loop ended in ERR_TOO_MANY_REDIRECTS).
    assert response.status == 403
    assert response.request.redirected_from is None
    expect(page).to_have_url(re.compile("/admin/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kein Zugang zur Verwaltung")
    expect(page.locator("main")).to_contain_text(ANNA)
    check_a11y(page, "admin: no access")
    shot(page, "admin-no-access")

    page.get_by_role("link", name="Zu „Mein Lernen“").click()
    expect(page.get_by_role("heading", name="Mein Lernen")).to_be_visible()

    header = _header(page)
    header.get_by_role("link", name="Kursangebot").click()
    expect(page).to_have_url(re.compile("/kurse/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kursangebot")

    _header(page).get_by_role("link", name="Mein Konto").click()
    expect(page).to_have_url(re.compile("/konto/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mein Konto")
    main = page.locator("main")
    for name in ["E-Mail-Adressen verwalten", "Passwort ändern", "Zweiten Faktor einrichten"]:
        expect(main.get_by_role("link", name=name)).to_be_visible()
    check_a11y(page, "my account")
    shot(page, "my-account")

    main.get_by_role("link", name="Passwort ändern").click()
    expect(page).to_have_url(re.compile("/accounts/password/change/$"))
    page.go_back()

    _header(page).get_by_role("link", name="Mein Lernen").click()
    expect(page).to_have_url(re.compile(r"/#dashboard$"))
    expect(page.get_by_role("heading", name="Mein Lernen")).to_be_visible()


def test_the_no_access_page_follows_the_learners_language(new_page, login):
    """Ben switches to English, then back: the no-access page follows his language."""
    page = new_page()
    login(page, BEN)
    with page.expect_navigation():
        _header(page).get_by_role("button", name="English").click()
    response = page.goto("/admin/pages/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("No access to the administration")
    expect(page.get_by_role("link", name="Go to My learning")).to_be_visible()
    with page.expect_navigation():
        _header(page).get_by_role("button", name="Deutsch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kein Zugang zur Verwaltung")


def _another_ozg_learner():
    """A demo learner enrolled in the OZG course whom no other journey uses."""
    from courses.models import Enrolment

    return (
        Enrolment.objects.filter(
            course__slug="ozg-grundlagen", user__email__endswith="@demo.example"
        )
        .exclude(user__email__in=[ANNA, BEN])
        .exclude(user__groups__isnull=False)
        .order_by("user__email")
        .values_list("user__email", flat=True)
        .first()
    )


def test_on_a_phone_the_quiz_question_text_stays_inside_its_card(
    browser, base_url, login, shot, django_read
):
    email = django_read(_another_ozg_learner)
    assert email, "the demo has no other learner enrolled in the OZG course"
    context = browser.new_context(
        base_url=base_url, locale="de-DE", viewport={"width": 375, "height": 800}
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        login(page, email)
        page.goto(OZG_QUIZ_URL)
        page.locator("#start-form button").click()
        expect(page).to_have_url(ATTEMPT_PAGE)
        shot(page, "quiz-phone")

        width = page.evaluate("document.documentElement.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (
            "the page scrolls sideways on a phone"
        )
        cards = page.locator("fieldset.question")
        assert cards.count() > 0
        for index in range(cards.count()):
            card = cards.nth(index).bounding_box()
            prompt = cards.nth(index).locator(".question-prompt").bounding_box()
            assert card["x"] >= 0 and card["x"] + card["width"] <= width, index
            # The question text lies wholly inside its card (not on or above its top border).
            assert prompt["y"] > card["y"], index
            assert prompt["y"] + prompt["height"] < card["y"] + card["height"], index
            assert prompt["x"] > card["x"], index
            assert prompt["x"] + prompt["width"] < card["x"] + card["width"], index
    finally:
        context.close()
