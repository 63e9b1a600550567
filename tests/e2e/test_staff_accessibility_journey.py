"""The staff tools of HR and the centre administration, checked for accessibility in a real
browser on the production stack (`make e2e`).

Trainers and HR coordinators are staff whose working tools fall under BITV 2.0 as much as the
learners' pages do. So on the project's own admin screens – the three reports, the learning
record and its print view, assigning mandatory training and its rules, certificates (issued,
ZIP archives, templates), the people import, the privacy screens (export and erasure of a
person, the access log) – axe's WCAG 2.1 A and AA rules must find nothing serious or critical,
and each page has its language, a skip link and a title of its own (check_a11y, enforced).
Violations in Wagtail's own chrome are not ours to fix: they are listed in
a11y.KNOWN_VIOLATIONS with where their fix belongs, and reported.

Pages are checked in the states staff meet: with filters, with a drill-down from a figure,
with a day before any data, and with the error messages of a form sent empty or a bad file.
"""

import re

from playwright.sync_api import expect

from .wagtail_admin import staff_sign_in

HR = "hr.innen@demo.example"
ADMIN = "admin@demo.example"
LEARNER = "anna.lernt@demo.example"  # RP Darmstadt, in the interior HR's part

# Wagtail's messages slide in; axe measuring a colour halfway through reads a contrast that no
# one sees once it has settled. Long or endless animations (the help menu's pulsing badge,
# spinners) are not waited for.
_ANIMATIONS_SETTLED = """() => document.getAnimations().every(animation => {
    const timing = animation.effect?.getComputedTiming();
    return animation.playState !== "running" || !timing || timing.endTime > 3000;
})"""


def _checked(page, check_a11y, name):
    page.wait_for_load_state("load")
    page.wait_for_function(_ANIMATIONS_SETTLED)
    return check_a11y(page, name)


def _person_id(email):
    from lms.people.models import User

    return User.objects.get(email=email).pk


def _first_template_id():
    from certificates.models import CertificateTemplate

    return CertificateTemplate.objects.order_by("pk").values_list("pk", flat=True).first()


def test_hr_tools_have_no_serious_accessibility_violations(page, shot, check_a11y):
    staff_sign_in(page, HR)

    # Completion by authority: the figures, then the people behind one of them.
    page.goto("/admin/reports/completion/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Abschlussquote nach Organisation")
    _checked(page, check_a11y, "staff: completion report")
    figure = page.locator("main table tbody td a[href*='/admin/reports/course/?']").first
    expect(figure).to_be_visible()
    # The link names its purpose to screen readers, beyond the bare number.
    expect(figure).to_have_accessible_name(re.compile(r"^\d[\d.]* Personen anzeigen$"))
    figure.click()
    expect(page).to_have_url(re.compile(r"/admin/reports/course/\?.*authority=\d+"))
    expect(page.locator("main table tbody tr").first).to_be_visible()
    _checked(page, check_a11y, "staff: participants report (drill-down)")
    shot(page, "drill-down")

    page.goto("/admin/reports/completion/?as_of=2000-01-31")
    expect(page.locator("main")).to_contain_text("Für diesen Stand liegen keine Daten vor")
    _checked(page, check_a11y, "staff: completion report before any data")

    page.goto("/admin/reports/course/?status=not_started")
    _checked(page, check_a11y, "staff: participants report (not started)")
    page.goto("/admin/reports/compliance/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Compliance-Bericht")
    _checked(page, check_a11y, "staff: compliance report")

    # The learning record, from the participants report, and its print view.
    page.goto("/admin/reports/course/")
    page.locator("main table tbody a[href*='/admin/reports/person/']").first.click()
    expect(page).to_have_url(re.compile(r"/admin/reports/person/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lernnachweis")
    _checked(page, check_a11y, "staff: learning record")
    page.goto(page.url + "?print=1")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lernnachweis")
    _checked(page, check_a11y, "staff: learning record (print view)")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()

    # Mandatory training: assigning (and the errors of an empty form), rules and one rule.
    page.goto("/admin/courses/assignments/new/")
    expect(page).to_have_title(re.compile(r"^Kurs zuweisen"))
    _checked(page, check_a11y, "staff: assign a course")
    page.locator("main form").get_by_role("button", name="Vorschau").click()
    expect(page.locator("main .error-message").first).to_be_visible()
    _checked(page, check_a11y, "staff: assign a course (errors)")
    shot(page, "assignment-errors")
    page.goto("/admin/courses/rules/")
    expect(page).to_have_title(re.compile(r"^Zuweisungsregeln"))
    _checked(page, check_a11y, "staff: assignment rules")
    page.goto("/admin/courses/rules/new/")
    expect(page).to_have_title(re.compile(r"^Neue Zuweisungsregel"))
    _checked(page, check_a11y, "staff: new assignment rule")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("main .error-message").first).to_be_visible()
    _checked(page, check_a11y, "staff: assignment rules (errors)")

    # Certificates: the issued ones and the ZIP archives.
    page.goto("/admin/certificates/issued/")
    _checked(page, check_a11y, "staff: issued certificates")
    page.goto("/admin/certificates/archives/")
    _checked(page, check_a11y, "staff: certificate archives")

    # The people import, and the errors of a bad file.
    page.goto("/admin/people/import/")
    expect(page).to_have_title(re.compile(r"^Personen importieren"))
    _checked(page, check_a11y, "staff: people import")
    page.locator("main input[type=file]").set_input_files(
        files=[
            {
                "name": "personen.csv",
                "mimeType": "text/csv",
                "buffer": "E-Mail;Vorname;Nachname;Behörde;Personalnummer;Rollen\n"
                "keine-adresse;Eva;Muster;XYZ;;Chefin\n".encode(),
            }
        ]
    )
    page.locator("main form button[type=submit]").click()
    errors = page.locator("main .import-errors")
    expect(errors).to_contain_text("Chefin")
    expect(errors).to_contain_text("Trainerin")
    _checked(page, check_a11y, "staff: people import (errors)")
    shot(page, "import-errors")


def test_centre_admin_tools_have_no_serious_accessibility_violations(
    page, shot, check_a11y, django_read
):
    staff_sign_in(page, ADMIN)

    page.goto("/admin/certificates/templates/")
    _checked(page, check_a11y, "staff: certificate templates")
    template_id = django_read(_first_template_id)
    if template_id is not None:
        page.goto(f"/admin/certificates/templates/edit/{template_id}/")
        _checked(page, check_a11y, "staff: edit a certificate template")

    # A rule of the demo, opened from the list of rules.
    page.goto("/admin/courses/rules/")
    page.locator("main table a[href*='/admin/courses/rules/']").first.click()
    expect(page).to_have_url(re.compile(r"/admin/courses/rules/\d+/$"))
    expect(page).to_have_title(re.compile(r"^Zuweisungsregel bearbeiten"))
    _checked(page, check_a11y, "staff: edit an assignment rule")

    person_id = django_read(_person_id, LEARNER)
    page.goto(f"/admin/privacy/export/{person_id}/")
    _checked(page, check_a11y, "staff: export a person's data")
    page.goto(f"/admin/privacy/erase/{person_id}/")
    _checked(page, check_a11y, "staff: erase a person's data")
    # Sent without the confirming address: the form's error, nothing erased.
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    _checked(page, check_a11y, "staff: erase a person's data (error)")
    shot(page, "erase-error")

    page.goto("/admin/reports/access-log/")
    _checked(page, check_a11y, "staff: access log")
    page.goto("/admin/privacy/processing-activities/")
    _checked(page, check_a11y, "staff: processing activities")
