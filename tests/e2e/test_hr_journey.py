"""HR's journey through the reports in a real browser on the production stack (`make e2e`).

The HR coordinator of the interior ministry (scope: HMdI and everything below it) reads the
completion report, narrows it with the filter UI, downloads the participants as XLSX and opens a
person's learning record and its print view. Nothing of the finance ministry (HMdF and its
authorities), whose names are read from the stack's database, may appear anywhere on the way.

The report pages are the Wagtail admin's: axe runs on them and its findings are printed, but
they do not fail the journey (check_a11y's enforce=False); the requirement of no serious or
critical violation is the learners' pages'.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import openpyxl
from playwright.sync_api import expect

from .wagtail_admin import staff_sign_in

HR = "hr.innen@demo.example"
SCOPE = "HMdI"
OTHER_MINISTRY = "HMdF"
COURSE = "Informationssicherheit am Arbeitsplatz"
PART = "RPDA"  # Regierungspräsidium Darmstadt, below HMdI
LOCAL = ZoneInfo("Europe/Berlin")  # settings.TIME_ZONE: HR reads local times
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
DATE_AS_TEXT = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b")


def _subtree(abbreviation):
    from lms.people.models import Authority

    return Authority.objects.filter(
        path__startswith=Authority.objects.get(abbreviation=abbreviation).path
    )


def _organisation_facts():
    """Names to look for: the finance ministry's authorities and people, and the scope's."""
    from lms.people.models import User

    def names(abbreviation):
        authorities = _subtree(abbreviation)
        people = User.objects.filter(authority__in=authorities)
        return {
            "authorities": {a.name for a in authorities} | {a.abbreviation for a in authorities},
            "emails": {p.email for p in people},
            "people": {f"{p.last_name}, {p.first_name}" for p in people}
            | {p.get_full_name() for p in people},
        }

    inside, outside = names(SCOPE), names(OTHER_MINISTRY)
    assert outside["emails"] and outside["authorities"], "the demo has no finance ministry"
    # Only what belongs to the finance ministry alone (two people may share a name).
    return {
        "authorities": outside["authorities"] - inside["authorities"],
        "emails": outside["emails"],
        "people": outside["people"] - inside["people"],
    }


def _assigned_in_scope(course_title=None, part=SCOPE):
    """Assigned (not self-chosen) participations below `part`: the report's default figure."""
    from courses.models import Enrolment

    enrolments = Enrolment.objects.filter(user__authority__in=_subtree(part)).exclude(
        source=Enrolment.Source.SELF
    )
    if course_title:
        enrolments = enrolments.filter(course__title=course_title)
    return enrolments.count()


def _participations_in_scope():
    """(e-mail, course, completed at) of everyone enrolled or assigned in the HR scope."""
    from courses.models import Enrolment

    return {
        (e.user.email, e.course.title): e.completed_at
        for e in Enrolment.objects.filter(user__authority__in=_subtree(SCOPE)).select_related(
            "user", "course"
        )
    }


def _person(email):
    from courses.models import Enrolment
    from lms.people.models import User

    person = User.objects.get(email=email)
    courses = sorted(Enrolment.objects.filter(user=person).values_list("course__title", flat=True))
    return person.pk, person.get_full_name(), courses


def _assert_nothing_of(text, facts, where):
    for kind in ("authorities", "emails", "people"):
        found = sorted(name for name in facts[kind] if name in text)
        assert not found, f"{where} shows {kind} of the finance ministry: {found}"


def _summary_figure(page, label):
    """A figure of the report's summary (<dl>), by its label."""
    term = page.locator(".lms-report-totals dt", has_text=re.compile(rf"^{label}$"))
    return int(term.locator("xpath=following-sibling::dd[1]").inner_text().replace(".", ""))


def _choose_filter(page, filter_name, option_text):
    """Opens the filter panel, the filter and picks the option; the results reload."""
    search = page.locator("main").get_by_role("search")
    toggle = search.get_by_role("button", name="Filter anzeigen")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    back = search.get_by_role("button", name="Zurück").filter(visible=True)
    if back.count():  # still in the previous filter's choices
        back.first.click()
    search.get_by_role("button", name=filter_name, exact=True).click()
    select = search.get_by_role("combobox", name=filter_name)
    option = select.locator("option", has_text=option_text)
    select.select_option(value=option.get_attribute("value"))
    return select


def test_hr_of_the_interior_filters_the_reports_and_exports_only_its_own_people(
    page, shot, check_a11y, django_read, tmp_path
):
    finance = django_read(_organisation_facts)
    staff_sign_in(page, HR)

    # Berichte › Abschlussquote nach Organisation: table and bar chart of the HR's scope.
    page.goto("/admin/")
    page.get_by_role("button", name="Berichte").click()
    page.get_by_role("link", name="Abschlussquote nach Organisation").click()
    expect(page).to_have_url(re.compile(r"/admin/reports/completion/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Abschlussquote nach Organisation")
    table = page.locator("main table")
    rows = table.locator("tbody tr")
    expect(rows.first).to_contain_text(f"({SCOPE})")
    chart = page.locator("main figure svg[role=img]")
    expect(chart).to_be_visible()
    assert chart.locator("g rect").count() >= 1
    assert _summary_figure(page, "Zugewiesen") == django_read(_assigned_in_scope)
    _assert_nothing_of(page.locator("main").inner_text(), finance, "the completion report")
    _assert_nothing_of(chart.text_content(), finance, "the chart")
    check_a11y(page, "admin: completion report", enforce=False)
    shot(page, "completion-report")

    # The filters offer the scope only; choosing a course reloads the table and the figures.
    _choose_filter(page, "Kurs", COURSE)
    expect(page.get_by_role("button", name=f"Kurs: {COURSE}")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]course=\d+"))
    assigned = django_read(_assigned_in_scope, COURSE)
    expect(rows.first.locator("td").nth(1)).to_have_text(str(assigned))  # the scope's total
    assert _summary_figure(page, "Zugewiesen") == assigned
    shot(page, "completion-report-course")

    authority = _choose_filter(page, "Organisationseinheit", f"({PART})")
    options = authority.locator("option").all_inner_texts()
    _assert_nothing_of(" ".join(options), finance, "the filter of the organisation")
    expect(page.get_by_role("button", name=re.compile("^Organisationseinheit: "))).to_be_visible()
    expect(rows.first).to_contain_text(f"({PART})")
    expect(rows).to_have_count(django_read(lambda: _subtree(PART).count()))
    assert _summary_figure(page, "Zugewiesen") == django_read(_assigned_in_scope, COURSE, PART)
    page.keyboard.press("Escape")
    check_a11y(page, "admin: completion report (filtered)", enforce=False)
    shot(page, "completion-report-filtered")

    # Teilnehmende nach Kurs, downloaded as XLSX and opened as HR would open it.
    page.get_by_role("button", name="Berichte").click()
    page.get_by_role("link", name="Teilnehmende nach Kurs").click()
    expect(page).to_have_url(re.compile(r"/admin/reports/course/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Teilnehmende nach Kurs")
    _assert_nothing_of(page.locator("main").inner_text(), finance, "the participants report")
    check_a11y(page, "admin: participants report", enforce=False)
    shot(page, "participants-report")

    actions = page.get_by_role("navigation", name="Actions")
    actions.get_by_role("button", name="Aktionen", exact=True).click()
    with page.expect_download() as download_info:
        actions.get_by_role("link", name="XLSX herunterladen").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    workbook = openpyxl.load_workbook(saved)
    sheet = workbook.worksheets[0]
    header, *data = list(sheet.iter_rows(values_only=True))
    assert {"Nachname", "Vorname", "Kurs", "Abgeschlossen"} <= set(header), header
    assert data, "the export has no rows"

    emails = [column for column, _name in enumerate(header) if EMAIL.match(str(data[0][column]))]
    assert len(emails) == 1, f"no single column of e-mail addresses in {header}"
    email_at, course_at = emails[0], header.index("Kurs")
    completed_at = header.index("Abgeschlossen")
    expected = django_read(_participations_in_scope)
    exported = {(row[email_at], row[course_at]) for row in data}
    assert exported == set(expected), "the export is not exactly the participations in scope"
    _assert_nothing_of(
        "\n".join(" ".join(str(cell) for cell in row if cell is not None) for row in data),
        finance,
        "the XLSX export",
    )

    # Dates are dates (never text), and completion times are Berlin's wall-clock times.
    completed = [row for row in data if row[completed_at] is not None]
    assert completed, "no completed participation in the export"
    for row in completed:
        cell, stored = row[completed_at], expected[(row[email_at], row[course_at])]
        assert isinstance(cell, datetime.datetime), cell
        local = stored.astimezone(LOCAL).replace(tzinfo=None)
        assert abs(cell - local) < datetime.timedelta(seconds=1), (cell, local)
    as_text = [cell for row in data for cell in row if DATE_AS_TEXT.fullmatch(str(cell))]
    assert not as_text, f"dates written as text: {as_text[:5]}"

    # A person's learning record, from the report, and its print view.
    first = dict(zip(header, data[0], strict=True))
    email = data[0][email_at]
    person_id, full_name, courses = django_read(_person, email)
    person_link = page.locator("main table tbody tr").first.get_by_role("link").first
    expect(person_link).to_have_text(f"{first['Nachname']}, {first['Vorname']}")
    person_link.click()
    expect(page).to_have_url(re.compile(rf"/admin/reports/person/{person_id}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(full_name)
    record = page.locator("main")
    expect(record).to_contain_text(email)
    course_rows = record.locator("table").first.locator("tbody tr")
    expect(course_rows).to_have_count(len(courses))
    for course in courses:
        expect(course_rows.filter(has_text=course)).to_have_count(1)
    check_a11y(page, "admin: learning record", enforce=False)
    shot(page, "learning-record")

    print_link = record.locator(f"a[href$='/admin/reports/person/{person_id}/?print=1']")
    with page.context.expect_page() as new_tab:
        print_link.click()
    printable = new_tab.value
    printable.wait_for_load_state("load")
    expect(printable.get_by_role("heading", level=1)).to_contain_text(full_name)
    expect(printable.locator("main")).to_contain_text(email)
    expect(printable.locator("main table").first.locator("tbody tr")).to_have_count(len(courses))
    check_a11y(printable, "admin: learning record (print view)", enforce=False)
    shot(printable, "learning-record-print")
    printable.close()
