"""The certificate PDF: one A4 page, PDF/A-3b with its data attached, and a renderer that reads
only what a certificate may show, within its time limit."""

import builtins
import http.server
import io
import json
import re
import signal
import threading
import time

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from pypdf import PdfReader
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from weasyprint import HTML

from certificates import rendering
from certificates.codes import code_display
from certificates.models import Certificate, CertificateSignature
from certificates.rendering import (
    CertificateRenderTimeout,
    CertificateResourceError,
    CertificateURLFetcher,
    ResourceRefused,
    certificate_html,
    certificate_pdf,
    certificate_render,
    verify_url,
)
from certificates.services import certificate_sample_content, content_build
from tests.certificates.conftest import complete

CODE = "K7QM4T2X01ABCDEFGHJKMNPQRSTV"
DISPLAY = "K7QM-4T2X-01AB-CDEF-GHJK-MNPQ-RSTV"
LOGO_SIZE = (300, 100)
SIGNATURE_SIZE = (200, 60)


@pytest.fixture(autouse=True)
def _fresh_renderer(monkeypatch):
    # Images are kept by storage name between renders; every test has a storage of its own.
    monkeypatch.setattr(rendering.resources, "_shared", None)


def pdf_of(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def image_sizes(reader: PdfReader) -> set[tuple[int, int]]:
    sizes = set()
    for page in reader.pages:
        for xobject in page["/Resources"].get("/XObject", {}).values():
            xobject = xobject.get_object()
            if xobject["/Subtype"] == "/Image":
                sizes.add((xobject["/Width"], xobject["/Height"]))
    return sizes


def fields(**overrides):
    return {
        "name": "Anna Lernt",
        "course": "Informationssicherheit am Arbeitsplatz",
        "completed_on": "2025-03-14",
        "duration_minutes": 90,
        "authority": "Regierungspräsidium Darmstadt",
        "valid_until": "2026-03-14",
        **overrides,
    }


@pytest.fixture
def illustrated_template(certificate_template):
    """The template with a logo and a signature image, as a centre admin uploads them."""
    logo = Image.objects.create(
        title="Logo", file=get_test_image_file("logo.png", colour="navy", size=LOGO_SIZE)
    )
    autograph = Image.objects.create(
        title="Unterschrift",
        file=get_test_image_file("unterschrift.png", colour="black", size=SIGNATURE_SIZE),
    )
    certificate_template.logo = logo
    certificate_template.signatures = [
        CertificateSignature(
            name="Dr. Maria Beispiel", function="Leiterin des Lernzentrums", image=autograph
        )
    ]
    certificate_template.save()
    return certificate_template


@pytest.fixture
def illustrated(illustrated_template):
    return content_build(template=illustrated_template, fields=fields(), language="de")


class CountingServer:
    """A local HTTP server that counts the requests it gets; a render must send none."""

    def __init__(self):
        self.requests = 0
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                self.wfile.write(get_test_image_file().file.getvalue())

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    server = CountingServer()
    yield server
    server.close()


@pytest.fixture
def opened(monkeypatch):
    """The files opened with open() from now on."""
    paths = []
    real_open = builtins.open

    def recording_open(file, *args, **kwargs):
        paths.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", recording_open)
    return paths


@pytest.fixture
def storage_reads(monkeypatch):
    """The names read from the default storage from now on."""
    names = []
    real_open = FileSystemStorage.open

    def recording_open(storage, name, *args, **kwargs):
        names.append(name)
        return real_open(storage, name, *args, **kwargs)

    monkeypatch.setattr(FileSystemStorage, "open", recording_open)
    return names


# --- The document ----------------------------------------------------------------------------


def test_an_issued_certificate_is_one_a4_page_with_the_name_and_the_grouped_code(
    learner, certified_course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complete(learner, certified_course)
    certificate = Certificate.objects.get(user=learner)
    reader = pdf_of(certificate.pdf.open("rb").read())
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert sorted([round(float(box.width)), round(float(box.height))]) == [595, 842]
    text = flat(text_of(reader))
    assert "Anna Lernt" in text
    assert "Informationssicherheit am Arbeitsplatz" in text
    assert certificate.code_display in text
    assert verify_url(certificate.code) in text


def test_the_pdf_carries_the_certificate_data_as_json(certificate_template):
    content = content_build(template=certificate_template, fields=fields(), language="de")
    reader = pdf_of(certificate_render(content=content, code=CODE))
    assert list(reader.attachments) == ["certificate.json"]
    data = json.loads(reader.attachments["certificate.json"][0])
    assert data["fields"]["name"] == "Anna Lernt"
    assert data["code"] == DISPLAY
    assert data["verify_url"] == f"http://testserver/verify/{DISPLAY}/"
    assert data["body"] == content["body"] and data["template"] == content["template"]
    spec = reader.trailer["/Root"]["/Names"]["/EmbeddedFiles"]["/Names"][1].get_object()
    assert spec["/AFRelationship"] == "/Data"
    assert spec["/EF"]["/F"].get_object()["/Subtype"] == "/application/json"
    assert [ref.get_object() for ref in reader.trailer["/Root"]["/AF"]] == [spec]


def test_the_pdf_declares_pdf_a_3b_and_embeds_its_fonts(certificate_template):
    content = content_build(template=certificate_template, fields=fields(), language="de")
    reader = pdf_of(certificate_render(content=content, code=CODE))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfaid:part(="|>)3', xmp)
    assert re.search(r'pdfaid:conformance(="|>)B', xmp)
    assert reader.trailer["/Root"]["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    fonts = reader.pages[0]["/Resources"]["/Font"].values()
    descriptors = []
    for font in fonts:
        font = font.get_object()
        for descendant in font.get("/DescendantFonts", [font]):
            descriptors.append(descendant.get_object()["/FontDescriptor"].get_object())
    assert descriptors
    assert all("/FontFile2" in d or "/FontFile3" in d for d in descriptors)
    assert any("DejaVu" in d["/FontName"] for d in descriptors)
    # PDF/A forbids images that ask the viewer to smooth them.
    for xobject in reader.pages[0]["/Resources"]["/XObject"].values():
        assert xobject.get_object().get("/Interpolate") in (None, False)


def test_an_english_certificate_speaks_english(certificate_template):
    content = certificate_sample_content(template=certificate_template, language="en")
    reader = pdf_of(certificate_render(content=content, code=CODE))
    text = flat(text_of(reader))
    assert "Certificate" in text and "successfully completed the course" in text
    assert "Verification code" in text and "Verify this certificate at:" in text
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_a_german_certificate_says_what_the_german_template_says(certificate_template):
    content = certificate_sample_content(template=certificate_template, language="de")
    reader = pdf_of(certificate_render(content=content, code=CODE))
    text = flat(text_of(reader))
    assert "Zertifikat" in text and "erfolgreich abgeschlossen" in text
    assert reader.trailer["/Root"]["/Lang"] == "de"


LONGEST_NAME = ("Maximiliane Friederike Auguste Freifrau von und zu Hohenzollern-Sigmaringen " * 4)[
    :300
]
LONGEST_COURSE = (
    "Grundlagen der Verwaltungsdigitalisierung nach dem Onlinezugangsgesetz im Land Hessen " * 3
)[:255]
LONGEST_BODY = (
    "{name} aus der Behörde {authority} hat am {date} den Kurs „{course}“ ({duration}) mit "
    "Erfolg abgeschlossen und dabei die Prüfung bestanden. Gültig bis: {valid_until}. "
    + "Die Fortbildung umfasste Datenschutz, Informationssicherheit und Barrierefreiheit. "
    * 14
)[:1200]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(LONGEST_BODY, id="longest-prose"),
        pytest.param(("{name}\n" + "Zeile\n" * 200)[:1200], id="many-short-lines"),
        pytest.param("{name} " + "Donaudampfschifffahrtsgesellschaft" * 35, id="no-spaces"),
    ],
)
def test_the_longest_name_course_and_text_still_fit_on_one_page(certificate_template, body):
    certificate_template.issuer = ("Hessisches Ministerium des Innern und für Sport – " * 5)[:200]
    certificate_template.title_de = ("Teilnahmebescheinigung über eine Fortbildung " * 2)[:80]
    certificate_template.body_de = body
    certificate_template.signatures = [
        CertificateSignature(
            name=("Prof. Dr. Dr. h.c. Maximilian Mustermann-Beispielhausen " * 3)[:120],
            function=("Präsident des Landesamtes für Verwaltungsfortbildung " * 4)[:160],
        )
        for _ in range(2)
    ]
    certificate_template.save()
    long_fields = fields(name=LONGEST_NAME, course=LONGEST_COURSE)
    content = content_build(template=certificate_template, fields=long_fields, language="de")
    reader = pdf_of(certificate_render(content=content, code=CODE))
    assert len(reader.pages) == 1
    text = flat(text_of(reader))
    assert DISPLAY in text
    assert "Maximiliane Friederike" in text


def test_a_short_certificate_keeps_the_largest_type(certificate_template):
    content = content_build(template=certificate_template, fields=fields(), language="de")
    assert rendering.layout_for(content).size == 0
    assert 'class="size-0"' in certificate_html(content=content, code=CODE)


def test_logo_and_signature_images_from_the_template_appear(illustrated):
    reader = pdf_of(certificate_render(content=illustrated, code=CODE))
    assert {LOGO_SIZE, SIGNATURE_SIZE} <= image_sizes(reader)
    assert len(reader.pages) == 1


def test_markup_in_the_template_text_is_printed_as_text_and_fetches_nothing(
    certificate_template, server
):
    certificate_template.body_de = (
        '{name}: <script>alert("x")</script> <img src="' + server.url + '/spur.png"> Ende.'
    )
    certificate_template.save()
    content = content_build(template=certificate_template, fields=fields(), language="de")
    html = certificate_html(content=content, code=CODE)
    assert "<script>" not in html and f'<img src="{server.url}' not in html
    reader = pdf_of(certificate_render(content=content, code=CODE))
    text = flat(text_of(reader))
    assert '<script>alert("x")</script>' in text
    assert f'<img src="{server.url}/spur.png">' in text
    assert server.requests == 0


def test_a_colour_that_is_no_colour_falls_back_to_the_default(certificate_template):
    content = content_build(template=certificate_template, fields=fields(), language="de")
    content["colour_primary"] = "red; background: url(http://127.0.0.1/)"
    html = certificate_html(content=content, code=CODE)
    assert "--primary: #004B87" in html and "127.0.0.1" not in html


# --- What the renderer may read --------------------------------------------------------------


def test_the_fetcher_refuses_local_files_and_reads_nothing(tmp_path, opened):
    secret = tmp_path / "secret.txt"
    secret.write_text("geheim")
    fetcher = CertificateURLFetcher()
    for url in ["file:///etc/passwd", secret.as_uri(), "FILE:///etc/passwd"]:
        with pytest.raises(ResourceRefused):
            fetcher.fetch(url)
    # Nor does a whole render that asks for them.
    page = f'<img src="file:///etc/passwd"><img src="{secret.as_uri()}"><p>Text</p>'
    data = HTML(string=page, url_fetcher=fetcher).write_pdf()
    assert b"geheim" not in data
    assert not [path for path in opened if "passwd" in path or "secret" in path]


def test_the_fetcher_refuses_the_network_and_sends_no_request(server):
    fetcher = CertificateURLFetcher()
    for url in [f"{server.url}/logo.png", server.url.replace("http:", "https:"), "ftp://x/y"]:
        with pytest.raises(ResourceRefused):
            fetcher.fetch(url)
    page = (
        f'<link rel="stylesheet" href="{server.url}/style.css">'
        f'<img src="{server.url}/logo.png"><p style="background: url({server.url}/bg.png)">x</p>'
    )
    HTML(string=page, url_fetcher=fetcher).write_pdf()
    assert server.requests == 0


@pytest.mark.parametrize(
    "name",
    [
        "../secret.txt",
        "%2e%2e/secret.txt",
        "original_images/../../secret.txt",
        "/etc/passwd",
        "%2Fetc%2Fpasswd",
        "original_images\\..\\..\\secret.txt",
        "",
    ],
)
def test_the_fetcher_refuses_names_that_leave_the_media_storage(tmp_path, storage_reads, name):
    (tmp_path / "secret.txt").write_text("geheim")  # next to the media root of the test
    with pytest.raises(ResourceRefused):
        CertificateURLFetcher().fetch(rendering.MEDIA_SCHEME + name)
    assert storage_reads == []


def test_the_fetcher_reads_stored_images_through_the_storage(illustrated, storage_reads):
    response = CertificateURLFetcher().fetch(rendering.media_src(illustrated["logo"]))
    assert response.read().startswith(b"\x89PNG")
    assert response.content_type == "image/png"
    assert storage_reads == [illustrated["logo"]]


def test_the_fetcher_reads_data_urls_and_static_files_only_under_their_root(settings, tmp_path):
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "siegel.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    settings.STATICFILES_DIRS = [tmp_path / "static"]
    fetcher = CertificateURLFetcher()
    assert fetcher.fetch("data:text/plain;base64,SGFsbG8=").read() == b"Hallo"
    response = fetcher.fetch(rendering.static_src("siegel.svg"))
    assert response.read().startswith(b"<svg") and response.content_type == "image/svg+xml"
    assert fetcher.fetch(rendering.static_src("certificates/certificate.css")).read()
    for path in ["../../etc/passwd", "/etc/passwd", "fehlt.svg"]:
        with pytest.raises(ResourceRefused):
            fetcher.fetch(rendering.STATIC_SCHEME + path)


def test_a_missing_image_leaves_it_out_and_still_issues_the_certificate(illustrated):
    default_storage.delete(illustrated["logo"])
    reader = pdf_of(certificate_render(content=illustrated, code=CODE))
    assert LOGO_SIZE not in image_sizes(reader)
    assert SIGNATURE_SIZE in image_sizes(reader)
    assert "Anna Lernt" in text_of(reader)


def test_a_failing_storage_stops_the_render(illustrated, monkeypatch):
    def unreachable(storage, name, *args, **kwargs):
        raise ConnectionError("storage unreachable")

    monkeypatch.setattr(FileSystemStorage, "open", unreachable)
    with pytest.raises(CertificateResourceError, match="storage unreachable"):
        certificate_render(content=illustrated, code=CODE)


def test_images_are_read_once_per_process_and_a_missed_one_again(illustrated, monkeypatch):
    reads = []
    real_open = FileSystemStorage.open
    missing = {illustrated["logo"]}

    def flaky_open(storage, name, *args, **kwargs):
        reads.append(name)
        if name in missing:
            raise FileNotFoundError(name)
        return real_open(storage, name, *args, **kwargs)

    monkeypatch.setattr(FileSystemStorage, "open", flaky_open)
    first = pdf_of(certificate_render(content=illustrated, code=CODE))
    assert LOGO_SIZE not in image_sizes(first)
    missing.clear()  # the storage has it again
    second = pdf_of(certificate_render(content=illustrated, code=CODE))
    third = pdf_of(certificate_render(content=illustrated, code=CODE))
    assert LOGO_SIZE in image_sizes(second) and LOGO_SIZE in image_sizes(third)
    assert reads.count(illustrated["logo"]) == 2  # missed once, then read once
    assert reads.count(illustrated["signatures"][0]["image"]) == 1


def test_a_file_uploaded_under_a_deleted_ones_name_is_not_taken_for_it(illustrated):
    name = illustrated["logo"]
    certificate_render(content=illustrated, code=CODE)
    default_storage.delete(name)
    replacement = get_test_image_file("logo.png", colour="red", size=(120, 120))
    time.sleep(0.01)  # a new modification time, even on coarse file systems' clocks
    assert default_storage.save(name, replacement) == name
    reader = pdf_of(certificate_render(content=illustrated, code=CODE))
    assert (120, 120) in image_sizes(reader) and LOGO_SIZE not in image_sizes(reader)


# --- Time limit ------------------------------------------------------------------------------


@pytest.fixture
def slow_storage(monkeypatch):
    real_open = FileSystemStorage.open

    def slow_open(storage, name, *args, **kwargs):
        time.sleep(1)
        return real_open(storage, name, *args, **kwargs)

    monkeypatch.setattr(FileSystemStorage, "open", slow_open)


def test_a_render_past_its_time_limit_is_stopped_on_the_main_thread(
    illustrated, slow_storage, settings
):
    assert threading.current_thread() is threading.main_thread()
    settings.CERTIFICATE_RENDER_SECONDS = 0.2

    def previous_handler(signum, frame):
        pass

    old = signal.signal(signal.SIGALRM, previous_handler)
    try:
        with pytest.raises(CertificateRenderTimeout):
            certificate_render(content=illustrated, code=CODE)
        assert signal.getsignal(signal.SIGALRM) is previous_handler
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    finally:
        signal.signal(signal.SIGALRM, old)


def test_a_render_within_its_time_limit_leaves_the_alarm_as_it_was(certificate_template):
    content = content_build(template=certificate_template, fields=fields(), language="de")
    before = signal.getsignal(signal.SIGALRM)
    assert pdf_of(certificate_render(content=content, code=CODE))
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_off_the_main_thread_the_time_limit_holds_at_the_next_image(
    illustrated, slow_storage, settings
):
    settings.CERTIFICATE_RENDER_SECONDS = 0.2
    outcome = []

    def render():
        try:
            certificate_render(content=illustrated, code=CODE)
        except CertificateRenderTimeout as error:
            outcome.append(error)

    thread = threading.Thread(target=render)
    thread.start()
    thread.join(timeout=30)
    assert len(outcome) == 1  # the logo took its second, the signature was not read


def test_the_public_helpers_agree_with_the_stored_certificate(
    learner, certified_course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complete(learner, certified_course)
    certificate = Certificate.objects.get(user=learner)
    assert verify_url(certificate.code) == (
        f"http://testserver/verify/{code_display(certificate.code)}/"
    )
    reader = pdf_of(certificate_pdf(certificate=certificate))
    data = json.loads(reader.attachments["certificate.json"][0])
    assert data["code"] == certificate.code_display
    assert data["fields"] == certificate.content["fields"]
