"""Public verification: by code, as JSON, and by uploading the PDF; without signing in."""

import json
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.utils import formats, timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from certificates import services, verification
from certificates import verification_messages as msg
from certificates.models import Certificate
from certificates.verification import MAX_UPLOAD_BYTES
from tests.certificates.conftest import complete
from tests.factories import UserFactory

# A known code with the digits 0 and 1, which people type as O, I or L.
KNOWN_CODE = "K7QM4T2X01ABCDEFGHJKMNPQRSTV"
KNOWN_DISPLAY = "K7QM-4T2X-01AB-CDEF-GHJK-MNPQ-RSTV"
UNKNOWN_DISPLAY = "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ"


def issue(user, course, capture):
    with capture(execute=True):
        complete(user, course)
    return Certificate.objects.select_related("replaced_by").get(user=user, course=course)


@pytest.fixture
def certificate(learner, certified_course, django_capture_on_commit_callbacks):
    return issue(learner, certified_course, django_capture_on_commit_callbacks)


@pytest.fixture
def known(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(code=KNOWN_CODE)
    certificate.refresh_from_db()
    return certificate


def page_url(certificate):
    return f"/verify/{certificate.code_display}/"


def json_url(certificate):
    return f"/verify/{certificate.code_display}.json"


def german(text) -> str:
    """A message as the (German by default) page shows it, whatever is compiled yet."""
    with translation.override("de"):
        return str(text)


def german_date(day) -> str:
    with translation.override("de"):
        return formats.date_format(day, "DATE_FORMAT")


def shown(response, text) -> bool:
    return escape(german(text)) in response.content.decode()


def status_label(status) -> str:
    return german(Certificate.Status(status).label)


def status_line(status) -> str:
    """The status as the page states it in words ("Status: Gültig")."""
    with translation.override("de"):
        return gettext("Status: %(status)s") % {"status": Certificate.Status(status).label}


def expire(certificate):
    yesterday = timezone.localdate() - timedelta(days=1)
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=yesterday)
    return yesterday


def upload(client, data, name="zertifikat.pdf", **extra):
    file = SimpleUploadedFile(name, data, content_type="application/pdf")
    return client.post("/verify/", {"file": file}, **extra)


def stored_pdf(certificate) -> bytes:
    with certificate.pdf.open("rb") as file:
        return file.read()


# --- The page and its JSON, by status --------------------------------------------------------


def test_a_valid_certificate_shows_name_course_dates_and_status(client, certificate):
    response = client.get(page_url(certificate))
    assert response.status_code == 200
    assert shown(response, "Anna Lernt")
    assert shown(response, "Informationssicherheit am Arbeitsplatz")
    assert german_date(timezone.localdate(certificate.completed_at)) in response.content.decode()
    assert german_date(certificate.valid_until) in response.content.decode()
    assert shown(response, status_line("valid"))
    assert certificate.code_display in response.content.decode()


def test_the_page_shows_nothing_else_about_the_person(client, certificate, centre_admin):
    services.certificate_revoke(
        certificate=certificate, by=centre_admin, reason="Täuschung bei der Abschlussprüfung"
    )
    content = client.get(page_url(certificate)).content.decode()
    assert "anna.lernt@verwaltung.example" not in content
    assert "Regierungspräsidium Darmstadt" not in content
    assert "Täuschung" not in content


def test_an_expired_certificate_says_expired_and_since_when(client, certificate):
    last_valid_day = expire(certificate)
    response = client.get(page_url(certificate))
    assert response.status_code == 200
    assert shown(response, status_line("expired"))
    assert german_date(last_valid_day) in response.content.decode()


def test_a_revoked_certificate_says_revoked_with_the_date(client, certificate, centre_admin):
    services.certificate_revoke(certificate=certificate, by=centre_admin, reason="Fehler")
    response = client.get(page_url(certificate))
    assert shown(response, status_line("revoked"))
    revoked_on = timezone.localdate(certificate.revoked_at)
    assert german_date(revoked_on) in response.content.decode()


def test_a_superseded_certificate_says_a_newer_one_exists_without_naming_it(
    client, certificate, centre_admin
):
    newer = services.certificate_reissue(certificate=certificate, by=centre_admin)
    response = client.get(page_url(certificate))
    assert shown(response, status_line("superseded"))
    assert newer.code_display not in response.content.decode()
    assert newer.code not in response.content.decode()


def test_the_json_has_exactly_the_public_fields(client, certificate):
    response = client.get(json_url(certificate))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "code": certificate.code_display,
        "status": "valid",
        "status_label": status_label("valid"),
        "name": "Anna Lernt",
        "course": "Informationssicherheit am Arbeitsplatz",
        "issued_on": certificate.content["fields"]["completed_on"],
        "valid_until": certificate.valid_until.isoformat(),
        "revoked_on": None,
        "superseded": False,
    }


def test_the_json_of_an_expired_certificate_says_expired(client, certificate):
    last_valid_day = expire(certificate)
    data = client.get(json_url(certificate)).json()
    assert (data["status"], data["valid_until"]) == ("expired", last_valid_day.isoformat())


def test_the_json_of_a_revoked_certificate_has_the_date_but_not_the_reason(
    client, certificate, centre_admin
):
    services.certificate_revoke(certificate=certificate, by=centre_admin, reason="Täuschung")
    response = client.get(json_url(certificate))
    data = response.json()
    assert data["status"] == "revoked"
    assert data["revoked_on"] == timezone.localdate(certificate.revoked_at).isoformat()
    assert "Täuschung" not in response.content.decode()


def test_the_json_of_a_superseded_certificate_says_so_without_the_newer_code(
    client, certificate, centre_admin
):
    newer = services.certificate_reissue(certificate=certificate, by=centre_admin)
    response = client.get(json_url(certificate))
    assert (response.json()["status"], response.json()["superseded"]) == ("superseded", True)
    assert newer.code_display not in response.content.decode()


def test_the_json_writes_umlauts_as_they_are(
    client, certified_course, org, django_capture_on_commit_callbacks
):
    person = UserFactory(first_name="Jürgen", last_name="Weiß", authority=org["rpda"])
    certificate = issue(person, certified_course, django_capture_on_commit_callbacks)
    body = client.get(json_url(certificate)).content.decode("utf-8")
    assert "Jürgen Weiß" in body


# --- Codes in the URL and the code form ------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        KNOWN_DISPLAY.lower(),
        KNOWN_CODE,
        "K7QM-4T2X-OIAB-CDEF-GHJK-MNPQ-RSTV",  # O for 0, I for 1
        "k7qm4t2xolabcdefghjkmnpqrstv",  # l for 1
    ],
)
def test_other_spellings_of_a_code_redirect_to_the_canonical_url(client, known, typed):
    response = client.get(f"/verify/{typed}/")
    assert response.status_code == 302
    assert response["Location"] == f"/verify/{KNOWN_DISPLAY}/"
    assert client.get(response["Location"]).status_code == 200


def test_the_json_answers_any_spelling_of_the_code(client, known):
    response = client.get(f"/verify/{KNOWN_DISPLAY.lower()}.json")
    assert response.json()["code"] == KNOWN_DISPLAY


def test_an_unknown_code_is_not_found_and_the_form_is_offered_again(client, certificate):
    response = client.get(f"/verify/{UNKNOWN_DISPLAY}/")
    assert response.status_code == 404
    assert shown(response, msg.NOT_FOUND)
    assert 'id="code-form"' in response.content.decode()


@pytest.mark.parametrize("code", ["A" * 60, "ABC", "K7QM-4T2X", "Z" * 29, "A-" * 20])
def test_a_malformed_code_is_not_found(client, db, code):
    response = client.get(f"/verify/{code}/")
    assert response.status_code == 404
    assert shown(response, msg.NOT_FOUND)


@pytest.mark.parametrize(
    "path", ["/verify/../", "/verify/%2E%2E/", "/verify/..json", "/verify/----/"]
)
def test_a_path_that_is_no_code_is_not_found(client, db, path):
    assert client.get(path).status_code == 404


def test_an_unknown_code_as_json_is_not_found(client, db):
    response = client.get(f"/verify/{UNKNOWN_DISPLAY}.json")
    assert response.status_code == 404
    assert response.json() == {"status": "not_found"}


def test_a_certificate_still_being_issued_is_not_found(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(sha256="", pdf="", issued_at=None)
    assert client.get(page_url(certificate)).status_code == 404
    assert client.get(json_url(certificate)).json() == {"status": "not_found"}


def test_typing_a_code_leads_to_its_page(client, known):
    response = client.get("/verify/", {"code": " k7qm 4t2x oiab cdef ghjk mnpq rstv "})
    assert response.status_code == 302
    assert response["Location"] == f"/verify/{KNOWN_DISPLAY}/"


def test_typing_something_that_is_no_code_shows_the_form_with_a_message(client, db):
    response = client.get("/verify/", {"code": "K7QM-4T2X"})
    assert response.status_code == 200
    assert shown(response, msg.ERROR_CODE_INVALID)
    assert 'value="K7QM-4T2X"' in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


def test_sending_the_code_form_empty_asks_for_a_code(client, db):
    response = client.get("/verify/", {"code": "  "})
    assert shown(response, msg.ERROR_CODE_REQUIRED)


# --- Rate limit --------------------------------------------------------------------------------


class Clock:
    """The rate limit's clock, standing still unless moved: no test depends on the wall clock."""

    def __init__(self, now):
        self.now = now

    def time(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    # Half a minute into a minute of the limit's fixed windows.
    clock = Clock(1_800_000_000 + 30.0)
    monkeypatch.setattr(verification, "time", clock)
    return clock


@pytest.fixture
def three_per_minute(settings, clock):
    settings.CERTIFICATE_VERIFY_RATE = "3/m"


def test_too_many_requests_from_one_address_are_refused_for_a_while(
    client, certificate, three_per_minute
):
    for _ in range(3):
        assert client.get(page_url(certificate)).status_code == 200
    response = client.get(page_url(certificate))
    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    assert shown(response, msg.RATE_LIMITED)


def test_the_limit_lifts_when_its_minute_is_over(client, certificate, three_per_minute, clock):
    for _ in range(4):
        client.get(page_url(certificate))
    clock.now += 29
    assert client.get(page_url(certificate)).status_code == 429
    clock.now += 1
    assert client.get(page_url(certificate)).status_code == 200


def test_too_many_json_requests_get_a_json_error(client, certificate, three_per_minute):
    for _ in range(3):
        client.get(json_url(certificate))
    response = client.get(json_url(certificate))
    assert response.status_code == 429
    assert response.json()["status"] == "rate_limited"
    assert response["Retry-After"] == "30"


def test_unknown_codes_count_towards_the_limit(client, db, three_per_minute):
    for _ in range(3):
        assert client.get(f"/verify/{UNKNOWN_DISPLAY}/").status_code == 404
    assert client.get(f"/verify/{UNKNOWN_DISPLAY}/").status_code == 429


def test_another_address_is_not_limited(client, certificate, three_per_minute):
    for _ in range(4):
        client.get(page_url(certificate), REMOTE_ADDR="192.0.2.10")
    assert client.get(page_url(certificate), REMOTE_ADDR="192.0.2.10").status_code == 429
    assert client.get(page_url(certificate), REMOTE_ADDR="192.0.2.11").status_code == 200


def test_a_forged_x_forwarded_for_does_not_reset_the_limit(client, certificate, three_per_minute):
    statuses = [
        client.get(page_url(certificate), HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


def test_behind_a_trusted_proxy_the_limit_counts_the_address_the_proxy_saw(
    client, certificate, three_per_minute, settings
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1

    def via_proxy(forged, real):
        return client.get(
            page_url(certificate), HTTP_X_FORWARDED_FOR=f"{forged}, {real}"
        ).status_code

    statuses = [via_proxy(f"198.51.100.{n}", "203.0.113.7") for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert via_proxy("198.51.100.1", "203.0.113.8") == 200


def test_simultaneous_requests_cannot_slip_past_the_limit(settings, clock):
    settings.CERTIFICATE_VERIFY_RATE = "5/m"
    requests = RequestFactory()

    def verify(_):
        request = requests.get("/verify/", REMOTE_ADDR="192.0.2.50")
        return verification.verification_rate_consume(request=request)

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(verify, range(40)))
    assert answers.count(None) == 5


def test_uploads_count_towards_the_limit(client, certificate, three_per_minute):
    for _ in range(3):
        upload(client, b"%PDF-1.7 not ours")
    assert upload(client, b"%PDF-1.7 not ours").status_code == 429


# --- Checking a PDF file -----------------------------------------------------------------------


def test_the_issued_pdf_is_recognised_as_the_original_with_its_status(client, certificate):
    response = upload(client, stored_pdf(certificate))
    assert response.status_code == 200
    assert shown(response, msg.FILE_MATCHES % {"code": certificate.code_display})
    assert shown(response, status_line("valid"))
    assert shown(response, "Anna Lernt")


def test_the_original_of_a_revoked_certificate_says_revoked(client, certificate, centre_admin):
    services.certificate_revoke(certificate=certificate, by=centre_admin, reason="Fehler")
    response = upload(client, stored_pdf(certificate))
    assert shown(response, msg.FILE_MATCHES % {"code": certificate.code_display})
    assert shown(response, status_line("revoked"))


def test_a_pdf_with_one_byte_changed_does_not_match(client, certificate):
    data = bytearray(stored_pdf(certificate))
    data[len(data) // 2] ^= 0x01
    response = upload(client, bytes(data))
    assert response.status_code == 200
    assert shown(response, msg.FILE_DOES_NOT_MATCH)
    assert not shown(response, msg.FILE_MATCHES % {"code": certificate.code_display})


def test_an_empty_file_gets_a_clear_message(client, db):
    response = upload(client, b"")
    assert response.status_code == 200
    assert shown(response, msg.ERROR_FILE_EMPTY)


def test_a_file_that_is_no_pdf_gets_a_clear_message(client, db):
    response = upload(client, b"\x89PNG\r\n\x1a\n" + b"\0" * 100, name="foto.png")
    assert response.status_code == 200
    assert shown(response, msg.ERROR_FILE_NOT_PDF)


def test_a_file_just_over_the_limit_is_refused_with_a_clear_message(client, db):
    response = upload(client, b"%PDF-" + b"x" * MAX_UPLOAD_BYTES)
    assert response.status_code == 413
    assert shown(response, msg.ERROR_FILE_TOO_LARGE % {"megabytes": 10})


def test_a_far_too_large_upload_is_refused_before_it_is_read(client, db):
    response = upload(client, b"%PDF-" + b"x" * (MAX_UPLOAD_BYTES + 200 * 1024))
    assert response.status_code == 413
    assert shown(response, msg.ERROR_FILE_TOO_LARGE % {"megabytes": 10})


def test_sending_the_file_form_without_a_file_asks_for_one(client, db):
    response = client.post("/verify/", {})
    assert response.status_code == 200
    assert shown(response, msg.ERROR_FILE_REQUIRED)


def test_the_file_form_works_with_csrf_protection_and_without_it_is_refused(certificate):
    browser = Client(enforce_csrf_checks=True)
    form = browser.get("/verify/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    data = stored_pdf(certificate)
    checked = browser.post(
        "/verify/",
        {"csrfmiddlewaretoken": token, "file": SimpleUploadedFile("z.pdf", data)},
    )
    assert shown(checked, msg.FILE_MATCHES % {"code": certificate.code_display})
    forged = Client(enforce_csrf_checks=True).post(
        "/verify/", {"file": SimpleUploadedFile("z.pdf", data)}
    )
    assert forged.status_code == 403


# --- For everyone, and not kept anywhere --------------------------------------------------------


def test_verification_needs_no_sign_in(client, certificate):
    assert client.get("/verify/").status_code == 200
    assert client.get(page_url(certificate)).status_code == 200
    assert client.get(json_url(certificate)).status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/verify/", "/verify/{code}/", "/verify/{code}.json", f"/verify/{UNKNOWN_DISPLAY}/"],
)
def test_responses_are_not_stored_indexed_or_passed_on_as_referrer(client, certificate, path):
    response = client.get(path.format(code=certificate.code_display))
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    # The code in the URL goes to no other site; same-origin, not no-referrer, so that
    # Chromium sends the form's own origin with the file check (not "null", refused as CSRF).
    assert response["Referrer-Policy"] == "same-origin"


def test_the_page_has_one_heading_and_labels_for_its_fields(client, db):
    content = client.get("/verify/").content.decode()
    assert content.count("<h1") == 1
    assert '<label for="id_code">' in content and 'id="id_code"' in content
    assert '<label for="id_file">' in content and 'id="id_file"' in content


def test_the_json_is_the_same_data_as_the_page(client, certificate):
    data = json.loads(client.get(json_url(certificate)).content)
    page = client.get(page_url(certificate)).content.decode()
    assert escape(data["name"]) in page and escape(data["course"]) in page
