"""An HR coordinator manages mandatory training in a real browser (`make e2e`).

The coordinator of the interior ministry finds a person of their scope with the people picker
(typing, the results come from the server), assigns a course to them, moves the assignment's
due date, gives that person more time with a reason, sees every change recorded on the
assignment's page, withdraws the assignment, and finds the overdue panel on the dashboard. The
assignment's page is looked at once on a phone-sized screen. German UI throughout.
"""

import datetime
import re

from playwright.sync_api import expect

from .wagtail_admin import staff_sign_in

HR = "hr.innen@demo.example"
SCOPE = "HMdI"
REASON = "Elternzeit bis Ende des Quartals"


def _person_and_course():
    """A person of the scope and a live course (with steps) they are not enrolled in."""
    from courses.models import CoursePage, Enrolment
    from courses.selectors import courses_with_steps
    from lms.people.models import Authority, User

    scope = Authority.objects.get(abbreviation=SCOPE)
    people = User.objects.filter(
        authority__path__startswith=scope.path, is_active=True, is_superuser=False
    ).exclude(groups__isnull=False)
    courses = courses_with_steps(CoursePage.objects.live()).order_by("title")
    for person in people.order_by("pk"):
        taken = set(Enrolment.objects.filter(user=person).values_list("course_id", flat=True))
        for course in courses:
            if course.pk not in taken:
                return {
                    "name": person.get_full_name(),
                    "last_name": person.last_name,
                    "course": course.title,
                }
    raise AssertionError("the demo has nobody in the scope without some course")


def _german(day):
    return day.strftime("%d.%m.%Y")


def test_hr_assigns_changes_extends_and_withdraws_with_the_people_picker(
    page, shot, check_a11y, django_read
):
    target = django_read(_person_and_course)
    today = datetime.date.today()
    due, moved, extended = (today + datetime.timedelta(days=d) for d in (30, 45, 90))
    staff_sign_in(page, HR)

    # Pflichtschulungen › Kurs zuweisen: the picker searches as one types.
    page.goto("/admin/")
    page.get_by_role("button", name="Pflichtschulungen").click()
    page.get_by_role("link", name="Kurs zuweisen").click()
    expect(page).to_have_title(re.compile(r"^Kurs zuweisen"))
    form = page.locator("main form")
    # Required fields' labels end in an asterisk.
    form.get_by_role("combobox", name=re.compile(r"^Kurs\b")).select_option(label=target["course"])
    form.get_by_label("Fälligkeitsdatum").fill(due.isoformat())
    form.get_by_label("Personen suchen").fill(target["last_name"])
    person = form.locator("[data-people-picker-results]").get_by_label(
        re.compile(re.escape(target["name"]))
    )
    expect(person.first).to_be_visible()
    person.first.check()
    # The ticked person moves to the chosen ones and stays when searching again.
    form.get_by_label("Personen suchen").fill("zzzz-niemand")
    expect(form.locator("[data-people-picker-results]")).to_contain_text("Niemand")
    chosen = form.locator("[data-people-picker-chosen]")
    expect(chosen.get_by_label(re.compile(re.escape(target["name"])))).to_be_checked()
    shot(page, "picker")
    check_a11y(page, "staff: assign with the people picker", enforce=False)
    form.get_by_role("button", name="Vorschau").click()
    expect(page.locator("main")).to_contain_text("1 Person")
    page.locator("main").get_by_role("button", name="Bestätigen").click()
    expect(page.locator(".messages")).to_contain_text(target["course"])

    # The assignment's page, from the message's button.
    page.locator(".messages").get_by_role("link", name="Anzeigen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zuweisung")
    main = page.locator("main")
    expect(main).to_contain_text(target["name"])
    expect(main.locator("[data-assignment-due]")).to_have_text(_german(due))

    # A new due date for everyone.
    main.get_by_role("link", name="Fälligkeit ändern").click()
    page.get_by_label("Neues Fälligkeitsdatum").fill(moved.isoformat())
    page.locator("main form").get_by_role("button", name="Fälligkeit ändern").click()
    expect(page.locator(".messages")).to_contain_text(_german(moved))
    expect(main.locator("[data-assignment-due]")).to_have_text(_german(moved))

    # More time for the one person, with a reason.
    row = main.locator("tr", has_text=target["name"])
    row.get_by_role("link", name="Verlängern").click()
    page.get_by_label("Neues Fälligkeitsdatum").fill(extended.isoformat())
    page.get_by_label("Grund").fill(REASON)
    page.locator("main form").get_by_role("button", name="Verlängern").click()
    expect(page.locator(".messages")).to_contain_text(_german(extended))
    changes = main.locator("table", has=page.locator("caption", has_text="Änderungen"))
    expect(changes).to_contain_text(REASON)
    expect(changes).to_contain_text("Fälligkeit geändert")
    shot(page, "assignment-with-changes")
    check_a11y(page, "staff: an assignment's page", enforce=False)

    # On a phone, the page and its actions are still there and nothing runs off the side.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    withdraw = main.get_by_role("link", name="Zurückziehen")
    withdraw.scroll_into_view_if_needed()
    expect(withdraw).to_be_visible()
    overflow = page.evaluate(
        "document.querySelector('main dl').getBoundingClientRect().right - window.innerWidth"
    )
    assert overflow <= 1, f"the assignment's details run {overflow}px off a phone's screen"
    shot(page, "assignment-on-a-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Withdrawing: the person's course stops being mandatory; the page says so.
    withdraw.click()
    expect(page.locator("main")).to_contain_text("nicht rückgängig")
    page.get_by_label("Grund").fill("Versehentlich zugewiesen")
    page.locator("main form").get_by_role("button", name="Zurückziehen").click()
    expect(page.locator(".messages")).to_contain_text("zurückgezogen")
    expect(main).to_contain_text("Zurückgezogen")
    expect(main.get_by_role("link", name="Fälligkeit ändern")).to_have_count(0)
    expect(changes).to_contain_text("Versehentlich zugewiesen")

    # The dashboard: the overdue panel of the scope, leading to the list of those people.
    page.goto("/admin/")
    panel = page.locator("#overdue-training-section, [id^=overdue-training]").first
    expect(panel).to_contain_text("Überfällige Pflichtschulungen")
    link = panel.get_by_role("link", name="Überfällige Personen anzeigen")
    if link.count():
        link.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Überfällige Pflichtschulungen")
        shot(page, "overdue-people")
