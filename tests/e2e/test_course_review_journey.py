"""A course is reviewed as one unit, in a real browser on the production stack (`make e2e`).

A trainer writes a course with two lessons: the lessons are drafts of the course, without a
review of their own, and the course is submitted once. The reviewer (a centre admin: the demo's
group "Kursprüfung" has no members) sees the course in "Ihre Überprüfung steht aus" with the
lessons its approval publishes, and approves it once. A learner then finds the course live with
both lessons and enrols.
"""

import re

from playwright.sync_api import expect

from .wagtail_admin import (
    approve_on_dashboard,
    awaiting_review,
    catalogue_page_id,
    footer_action,
    header_action,
    page_id_by_slug,
    rich_text_fill,
    staff_sign_in,
    stream_block_add,
)

TRAINER = "trainer@demo.example"
REVIEWER = "admin@demo.example"
LEARNER = "anna.lernt@demo.example"
COURSE = "Aktenplan und Aktenzeichen im Alltag"
COURSE_SLUG = "aktenplan-und-aktenzeichen-im-alltag"
SUMMARY = "Wie Vorgänge nach dem Aktenplan abgelegt und mit Aktenzeichen wiedergefunden werden."
LESSONS = [
    ("Aufbau des Aktenplans", "Der Aktenplan ordnet alle Aufgaben einer Behörde in Gruppen."),
    (
        "Aktenzeichen bilden",
        "Ein Aktenzeichen setzt sich aus Aktenplankennzeichen und Nummer zusammen.",
    ),
]
SUBMIT = "In Kursfreigabe einreichen"


def _course_page_id():
    return page_id_by_slug(COURSE_SLUG)


def _pages_of_course():
    from wagtail.models import Page, WorkflowState

    course = Page.objects.get(slug=COURSE_SLUG)
    pages = Page.objects.filter(path__startswith=course.path)
    reviews = WorkflowState.objects.filter(
        object_id__in=[str(page.pk) for page in pages], base_content_type__model="page"
    )
    return {page.title: page.live for page in pages}, reviews.count()


def _add_lesson(page, title, text):
    actions = page.get_by_role("navigation", name="Actions")
    add = actions.get_by_role("link", name="Unterseite hinzufügen")
    if not add.is_visible():
        actions.get_by_role("button", name="Aktionen", exact=True).click()
    add.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(COURSE)
    page.get_by_role("link", name="Lektion", exact=True).click()
    page.get_by_role("textbox", name="Titel*").fill(title)
    block = stream_block_add(page, page.locator("[data-contentpath=body]"), "Text")
    rich_text_fill(page, block, text)
    # A lesson has no review of its own: its editor saves drafts of the course.
    footer = page.get_by_role("navigation", name="Aktionen (Fußzeile)")
    expect(footer.get_by_role("button", name=SUBMIT, exact=True)).to_have_count(0)
    footer_action(page, "Entwurf speichern")
    expect(page.locator(".messages")).to_contain_text(
        f"Es wird veröffentlicht, wenn der Kurs „{COURSE}“ freigegeben wird"
    )


def test_a_course_with_two_lessons_is_submitted_once_and_approved_once(
    page, new_page, login, shot, check_a11y, django_read
):
    # The trainer: the course, then its two lessons, each saved as a draft.
    staff_sign_in(page, TRAINER)
    page.goto(f"/admin/pages/{django_read(catalogue_page_id)}/")
    page.get_by_role("link", name="Unterseite hinzufügen").click()
    page.get_by_role("textbox", name="Titel*").fill(COURSE)
    page.get_by_role("textbox", name="Zusammenfassung*").fill(SUMMARY)
    page.get_by_role("spinbutton", name="Geschätzte Dauer (Minuten)*").fill("25")
    expect(page.locator("#id_slug")).to_have_value(COURSE_SLUG)
    footer_action(page, "Entwurf speichern")
    expect(page.get_by_role("heading", level=1)).to_contain_text(COURSE)

    for number, (title, text) in enumerate(LESSONS, start=1):
        _add_lesson(page, title, text)
        if number == 1:
            shot(page, "trainer-lesson-draft")
        page.goto(f"/admin/pages/{django_read(_course_page_id)}/")  # the course's explorer

    # One submission: the course.
    header_action(page, "Bearbeiten")
    footer_action(page, SUBMIT)
    expect(page.locator(".messages")).to_contain_text(re.compile(rf"‚{re.escape(COURSE)}‘"))
    shot(page, "trainer-course-submitted")
    live, reviews = django_read(_pages_of_course)
    assert live == {COURSE: False, **{title: False for title, _text in LESSONS}}
    assert reviews == 1

    # The reviewer sees one item: the course, with the lessons its approval publishes.
    reviewer = new_page()
    staff_sign_in(reviewer, REVIEWER)
    reviewer.goto("/admin/")
    row = awaiting_review(reviewer).filter(
        has=reviewer.get_by_role("link", name=COURSE, exact=True)
    )
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Die Freigabe des Kurses veröffentlicht auch:")
    for title, _text in LESSONS:
        expect(row).to_contain_text(f"Lektion „{title}“ (neu)")
        expect(
            awaiting_review(reviewer).filter(
                has=reviewer.get_by_role("link", name=title, exact=True)
            )
        ).to_have_count(0)
    check_a11y(reviewer, "admin: course awaiting review", enforce=False)
    shot(reviewer, "reviewer-course-with-lessons")

    approve_on_dashboard(reviewer, COURSE)
    live, reviews = django_read(_pages_of_course)
    assert set(live.values()) == {True}

    # The learner finds it live with both lessons and enrols.
    learner = new_page()
    login(learner, LEARNER)
    learner.goto("/kurse/")
    learner.get_by_label("Suchbegriff").fill("Aktenplan")
    learner.get_by_role("button", name="Filtern").click()
    learner.get_by_role("link", name=COURSE).click()
    expect(learner.get_by_role("heading", level=1)).to_have_text(COURSE)
    expect(learner.locator("#lesson-list > li")).to_have_text([title for title, _t in LESSONS])
    check_a11y(learner, "course (reviewed as one unit)")
    shot(learner, "learner-course-reviewed")
    learner.get_by_role("button", name="Einschreiben").click()
    expect(learner.get_by_role("heading", level=1)).to_have_text(LESSONS[0][0])
    expect(learner.locator("main")).to_contain_text(LESSONS[0][1])
