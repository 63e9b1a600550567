"""What staff do with a person's certificate shows on that person's page (`make e2e`).

The HR coordinator of the finance ministry downloads the PDF of a certificate held by someone
of their scope and builds a ZIP archive of that course's certificates in the holder's authority
(the Celery worker of the stack builds it); then the holder signs in and finds both under
„Wer hat meine Lerndaten eingesehen?“, with the coordinator's name, also on a phone-sized
screen. German UI throughout.
"""

import re
import time

from playwright.sync_api import expect

from .wagtail_admin import staff_sign_in

HR = "hr.finanzen@demo.example"
HR_NAME = "Frank Finanz"
SCOPE = "HMdF"
ARCHIVE_WAIT_S = 90


def _holder_in_scope():
    """A current certificate of a demo learner in the finance ministry's subtree, and the
    entries about that learner so far."""
    from certificates.models import Certificate
    from lms.audit.selectors import audit_entries_about
    from lms.people.models import Authority

    scope = Authority.objects.get(abbreviation=SCOPE)
    certificates = (
        Certificate.objects.current()
        .filter(
            user__authority__path__startswith=scope.path,
            user__email__endswith="@demo.example",
            user__groups__isnull=True,
            user__is_superuser=False,
        )
        .select_related("user", "user__authority", "course")
        .order_by("user__email", "pk")
    )
    certificate = certificates.first()
    assert certificate is not None, "the demo has no certificate in the finance ministry"
    return {
        "pk": certificate.pk,
        "email": certificate.user.email,
        "course": certificate.course.title,
        "authority": certificate.user.authority.indented_name(),
        "authority_pk": certificate.user.authority_id,
        "course_pk": certificate.course_id,
        "entries": audit_entries_about(person=certificate.user).count(),
        "downloads": audit_entries_about(person=certificate.user)
        .filter(action="downloaded", report="certificate")
        .count(),
    }


def _entries_about(email):
    from lms.audit.selectors import audit_entries_about
    from lms.people.models import User

    return audit_entries_about(person=User.objects.get(email=email)).count()


def test_a_certificate_downloaded_and_archived_by_hr_shows_on_the_holders_page(
    page, new_page, login, shot, check_a11y, django_read
):
    holder = django_read(_holder_in_scope)
    staff_sign_in(page, HR)

    # The certificate in the admin, and its PDF.
    page.goto(f"/admin/certificates/issued/{holder['pk']}/")
    expect(page.locator("main")).to_contain_text(holder["course"])
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF herunterladen").first.click()
    pdf = download_info.value
    with open(pdf.path(), "rb") as file:
        assert file.read(5) == b"%PDF-", "the download is not a PDF"

    # A ZIP archive of the course's certificates in the holder's authority.
    page.goto("/admin/certificates/archives/")
    form = page.locator("main form")
    form.get_by_label("Organisationseinheit").select_option(value=str(holder["authority_pk"]))
    form.get_by_label("Kurs").select_option(value=str(holder["course_pk"]))
    form.get_by_role("button", name="ZIP-Archiv erstellen").click()
    ready = page.locator("main table").get_by_role("link", name="ZIP herunterladen")
    deadline = time.monotonic() + ARCHIVE_WAIT_S
    while ready.count() == 0:
        assert time.monotonic() < deadline, "the archive was not built in time"
        time.sleep(2)
        page.reload()
    with page.expect_download() as download_info:
        ready.first.click()
    with open(download_info.value.path(), "rb") as file:
        assert file.read(2) == b"PK", "the archive is not a ZIP file"
    # Download, archive and its download: three entries about the holder at least.
    assert django_read(_entries_about, holder["email"]) >= holder["entries"] + 3

    # The holder's own page.
    learner = new_page()
    login(learner, holder["email"])
    learner.goto("/")
    learner.get_by_role("link", name="Wer hat meine Lerndaten eingesehen?").first.click()
    expect(learner.get_by_role("heading", level=1)).to_have_text(
        "Wer hat meine Lerndaten eingesehen?"
    )
    log = learner.locator("#access-log")
    downloaded = log.locator("tr", has_text=re.compile(r"als PDF heruntergeladen"))
    expect(downloaded).to_have_count(holder["downloads"] + 1)
    expect(downloaded.first).to_contain_text(HR_NAME)
    expect(downloaded.first).to_contain_text(f"„{holder['course']}“")
    archived = log.locator("tr", has_text="in ein ZIP-Archiv von Zertifikaten aufgenommen")
    expect(archived.first).to_contain_text(HR_NAME)
    check_a11y(learner, "learner: who viewed my learning record")
    shot(learner, "access-log")

    learner.set_viewport_size({"width": 390, "height": 844})
    learner.reload()
    expect(log.locator("tr", has_text="als PDF heruntergeladen").first).to_be_visible()
    assert learner.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
    ), "the access log scrolls sideways on a phone"
    shot(learner, "access-log-phone")
