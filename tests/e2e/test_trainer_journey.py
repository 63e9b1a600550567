"""Authoring in a real browser on the production stack (`make e2e`), with demo data.

A trainer writes a course in the Wagtail admin and submits it to the review workflow
"Kursfreigabe"; a centre admin approves it (the demo's group "Kursprüfung" has no members, and
superusers may approve every task); a learner finds it in the catalogue, works through it and
passes its quiz. The lessons and the quiz are drafts of the course without a review of their
own: the course is submitted once, and one approval publishes it with them
(docs/decisions/0017).

The admin pages are checked with axe and their findings printed, but they do not fail the
journey (check_a11y's enforce=False); the learners' pages must pass.
"""

import re

from playwright.sync_api import expect

from .quiz import attempt_id_of, attempt_pages, fill, right_answer
from .wagtail_admin import (
    approve_on_dashboard,
    awaiting_review,
    catalogue_page_id,
    footer_action,
    header_action,
    list_item_add,
    list_items,
    page_id_by_slug,
    rich_text_fill,
    staff_sign_in,
    stream_block_add,
)

TRAINER = "trainer@demo.example"
REVIEWER = "admin@demo.example"  # centre admin: approves every task
LEARNER = "ben.lernt@demo.example"
COURSE = "Datenschutz im Verwaltungsalltag"
COURSE_SLUG = "datenschutz-im-verwaltungsalltag"
SUMMARY = "Was die DSGVO im Alltag einer Behörde verlangt, an Beispielen aus der Sachbearbeitung."
LESSONS = [
    (
        "Was sind personenbezogene Daten?",
        "Personenbezogen sind alle Angaben, die sich auf eine bestimmte Person beziehen.",
    ),
    (
        "Rechte der betroffenen Personen",
        "Jede Person kann Auskunft über die Daten verlangen, die eine Behörde über sie speichert.",
    ),
]
QUIZ = "Abschlusstest Datenschutz"
SUBMITTED = "zur Moderation eingereicht"


def _new_child(page, page_type):
    """Adds a page below the course: "Unterseite hinzufügen" (a button in the course's explorer,
    in the "Aktionen" menu of its editor), then the page type."""
    actions = page.get_by_role("navigation", name="Actions")
    add = actions.get_by_role("link", name="Unterseite hinzufügen")
    if not add.is_visible():
        actions.get_by_role("button", name="Aktionen", exact=True).click()
    add.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(COURSE)
    page.get_by_role("link", name=page_type, exact=True).click()
    expect(page.get_by_role("textbox", name="Titel*")).to_be_visible()


def _submit_for_review(page, title):
    footer_action(page, "In Kursfreigabe einreichen")
    if page.locator(".messages li.error").count():  # the form came back: say why
        errors = page.locator("[data-field-errors]").all_inner_texts()
        problems = [text.strip() for text in errors if text.strip()]
        raise AssertionError(f"{title} was not submitted: {problems}")
    # "erstellt und zur Moderation eingereicht", or "wurde …" once autosaved as a draft
    expect(page.locator(".messages")).to_contain_text(
        re.compile(rf"‚{re.escape(title)}‘.* {SUBMITTED}")
    )


def _save_draft(page, title):
    footer_action(page, "Entwurf speichern")
    if page.locator(".messages li.error").count():  # the form came back: say why
        errors = page.locator("[data-field-errors]").all_inner_texts()
        problems = [text.strip() for text in errors if text.strip()]
        raise AssertionError(f"{title} was not saved: {problems}")
    # Saved as a draft that waits for the course's review; back to the course's explorer.
    expect(page.locator(".messages")).to_contain_text(f"„{title}“ ist als Entwurf gespeichert")
    page.get_by_role("link", name="Kurs bearbeiten").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(COURSE)


def _write_lesson(page, title, text):
    _new_child(page, "Lektion")
    page.get_by_role("textbox", name="Titel*").fill(title)
    block = stream_block_add(page, page.locator("[data-contentpath=body]"), "Text")
    rich_text_fill(page, block, text)


def _write_quiz(page):
    _new_child(page, "Test")
    page.get_by_role("textbox", name="Titel*").fill(QUIZ)
    questions = page.locator("[data-contentpath=questions]")

    single = stream_block_add(page, questions, "Einfachauswahl")
    single.get_by_role("textbox", name="Frage*").fill(
        "Welche Angabe ist ein personenbezogenes Datum?"
    )
    options = single.locator("[data-contentpath=options]")
    if list_items(options).count() < 2:
        list_item_add(options)
    first, second = list_items(options).nth(0), list_items(options).nth(1)
    first.get_by_role("textbox", name="Antwort*").fill("Die private E-Mail-Adresse einer Person")
    first.get_by_role("checkbox", name="richtig").check()
    second.get_by_role("textbox", name="Antwort*").fill("Die Öffnungszeiten des Bürgerbüros")

    true_false = stream_block_add(page, questions, "Wahr oder falsch")
    true_false.get_by_role("textbox", name="Frage*").fill(
        "Auch die Daten von Beschäftigten fallen unter die DSGVO."
    )
    true_false.get_by_role("checkbox", name="die Aussage ist wahr").check()

    short = stream_block_add(page, questions, "Kurztext")
    short.get_by_role("textbox", name="Frage*").fill(
        "Wie heißt die Datenschutz-Grundverordnung abgekürzt?"
    )
    # Wagtail renders a list item's text field without a label of its own.
    accepted = list_items(short.locator("[data-contentpath=accepted_answers]"))
    accepted.first.locator("input[type=text]").fill("DSGVO")


def _course_page_id():
    return page_id_by_slug(COURSE_SLUG)


def _live_pages_of_course():
    from wagtail.models import Page

    course = Page.objects.get(slug=COURSE_SLUG)
    return {page.title: page.live for page in Page.objects.filter(path__startswith=course.path)}


def test_a_trainer_writes_a_course_a_reviewer_approves_and_a_learner_takes_it(
    page, new_page, login, shot, check_a11y, django_read
):
    # The trainer: a course under the catalogue, saved as a draft first.
    staff_sign_in(page, TRAINER)
    page.goto("/admin/")
    page.get_by_role("button", name="Seiten", exact=True).click()
    page.get_by_role("dialog", name="Seitenübersicht").get_by_role(
        "link", name="Kursangebot", exact=True
    ).click()
    expect(page).to_have_url(re.compile(rf"/admin/pages/{django_read(catalogue_page_id)}/$"))
    check_a11y(page, "admin: catalogue explorer", enforce=False)
    shot(page, "trainer-catalogue")

    page.get_by_role("link", name="Unterseite hinzufügen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kurs")
    page.get_by_role("textbox", name="Titel*").fill(COURSE)
    page.get_by_role("textbox", name="Zusammenfassung*").fill(SUMMARY)
    page.get_by_role("spinbutton", name="Geschätzte Dauer (Minuten)*").fill("30")
    page.get_by_role("combobox", name="Zielgruppe*").select_option(label="Sachbearbeitung")
    expect(page.locator("#id_slug")).to_have_value(COURSE_SLUG)  # made from the title
    check_a11y(page, "admin: new course", enforce=False)
    shot(page, "trainer-course-form")
    footer_action(page, "Entwurf speichern")
    expect(page.get_by_role("heading", level=1)).to_contain_text(COURSE)
    expect(page.locator(".messages")).to_contain_text(COURSE)

    # Two lessons and a quiz below it, each saved as a draft of the course.
    for number, (title, text) in enumerate(LESSONS, start=1):
        _write_lesson(page, title, text)
        if number == 1:
            shot(page, "trainer-lesson-form")
        _save_draft(page, title)
    _write_quiz(page)
    check_a11y(page, "admin: new quiz", enforce=False)
    shot(page, "trainer-quiz-form")
    _save_draft(page, QUIZ)

    # In the course's explorer: its three pages, drafts waiting for the course.
    page.goto(f"/admin/pages/{django_read(_course_page_id)}/")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(3)
    for title in [*(title for title, _text in LESSONS), QUIZ]:
        expect(rows.filter(has_text=title)).to_contain_text(re.compile("Entwurf", re.I))
    shot(page, "trainer-course-children")

    # One submission: the course.
    header_action(page, "Bearbeiten")
    _submit_for_review(page, COURSE)
    shot(page, "trainer-submitted")
    assert django_read(_live_pages_of_course) == {
        COURSE: False,
        **{title: False for title, _text in LESSONS},
        QUIZ: False,
    }

    # Nothing is public before the review.
    visitor = new_page()
    visitor.goto("/kurse/")
    expect(visitor.locator("main")).not_to_contain_text(COURSE)
    response = visitor.goto(f"/kurse/{COURSE_SLUG}/")
    assert response.status == 404

    # The reviewer approves the course, the one item in "Ihre Überprüfung steht aus", which
    # names the lessons and the quiz its approval publishes.
    reviewer = new_page()
    staff_sign_in(reviewer, REVIEWER)
    reviewer.goto("/admin/")
    waiting = awaiting_review(reviewer)
    course_row = waiting.filter(has=reviewer.get_by_role("link", name=COURSE, exact=True))
    expect(course_row).to_have_count(1)
    expect(course_row).to_contain_text("Tobias Trainer")
    for title in [*(title for title, _text in LESSONS), QUIZ]:
        expect(course_row).to_contain_text(f"„{title}“ (neu)")
    check_a11y(reviewer, "admin: dashboard awaiting review", enforce=False)
    shot(reviewer, "reviewer-awaiting-review")
    approve_on_dashboard(reviewer, COURSE)
    expect(reviewer.get_by_role("region", name="Ihre Überprüfung steht aus")).to_have_count(0)
    shot(reviewer, "reviewer-all-approved")
    assert set(django_read(_live_pages_of_course).values()) == {True}

    visitor.goto("/kurse/")
    expect(visitor.get_by_role("link", name=COURSE)).to_be_visible()
    visitor.get_by_role("link", name=COURSE).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(COURSE)
    expect(visitor.locator("#lesson-list > li")).to_have_count(len(LESSONS))
    expect(visitor.locator("#quiz-list > li")).to_have_count(1)

    # A learner finds the course in the catalogue and takes it.
    learner = new_page()
    login(learner, LEARNER)
    learner.get_by_role("link", name="Zum Kursangebot").click()
    learner.get_by_label("Suchbegriff").fill("Datenschutz")
    learner.get_by_role("button", name="Filtern").click()
    expect(learner.locator("#result-count")).to_have_text("1 Kurs")
    expect(learner.locator("main")).to_contain_text(SUMMARY)
    check_a11y(learner, "catalogue (new course)")
    shot(learner, "learner-catalogue")

    learner.get_by_role("link", name=COURSE).click()
    expect(learner.get_by_role("heading", level=1)).to_have_text(COURSE)
    lessons = learner.locator("#lesson-list > li")
    expect(lessons).to_have_text([title for title, _text in LESSONS])
    expect(learner.locator("#quiz-list > li")).to_have_count(1)
    expect(learner.locator("#quiz-list")).to_contain_text(QUIZ)
    expect(learner.locator(".course-details")).to_contain_text("Sachbearbeitung")
    check_a11y(learner, "course (new, not enrolled)")
    shot(learner, "learner-course")

    learner.get_by_role("button", name="Einschreiben").click()
    for number, (title, text) in enumerate(LESSONS, start=1):
        expect(learner.get_by_role("heading", level=1)).to_have_text(title)
        expect(learner.locator(".lesson-position")).to_contain_text(
            f"Lektion {number} von {len(LESSONS)}"
        )
        expect(learner.locator("main")).to_contain_text(text)
        if number == 1:
            check_a11y(learner, "lesson (new course)")
            shot(learner, "learner-lesson-1")
        learner.get_by_role("button", name="Als erledigt markieren und weiter").click()

    # After the last lesson, the quiz: the three question types the trainer wrote.
    expect(learner.get_by_role("heading", level=1)).to_have_text(QUIZ)
    check_a11y(learner, "quiz (new course)")
    shot(learner, "learner-quiz")
    learner.get_by_role("button", name="Test beginnen").click()
    expect(learner).to_have_url(re.compile(r"/lernen/versuch/\d+/seite/1/$"))
    pages = django_read(attempt_pages, attempt_id_of(learner.url))
    questions = [question for questions in pages for question in questions]
    assert sorted(question["type"] for question in questions) == [
        "short_text",
        "single_choice",
        "true_false",
    ]
    expect(learner.locator("main")).to_contain_text("Welche Angabe ist ein personenbezogenes")
    for question in questions:
        fill(learner, right_answer(question))
    check_a11y(learner, "attempt (new course)")
    shot(learner, "learner-attempt")
    learner.get_by_role("button", name="Speichern und vor der Abgabe prüfen").click()
    learner.get_by_role("button", name="Abgeben und Ergebnis ansehen").click()
    expect(learner.locator("#outcome-heading")).to_have_text(re.compile("Bestanden"))
    expect(learner.locator(".quiz-score")).to_contain_text("100 %")
    shot(learner, "learner-result")

    learner.locator("#course-link").click()
    expect(learner.get_by_role("heading", level=1)).to_have_text(COURSE)
    expect(learner.locator(".badges")).to_contain_text("Abgeschlossen")
    expect(learner.locator("#lesson-list > li").filter(has_text="Erledigt")).to_have_count(
        len(LESSONS)
    )
    shot(learner, "learner-course-completed")
