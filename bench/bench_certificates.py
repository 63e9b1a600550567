"""Rendering certificate PDFs, compared with WeasyPrint rendering the same HTML from scratch.

`certificate_render` keeps one font configuration, the parsed stylesheet and the images between
renders; the baseline is what a naive renderer does for every certificate: a fresh WeasyPrint
call with its default URL fetcher, the stylesheet parsed again and a new font configuration.
Both lay out the same final HTML with the same PDF options (PDF/A-3b, the JSON attachment), in
alternating samples, so drift affects both alike. Our side also fills the template and draws
the QR code, which the baseline is spared.
"""

import io
import logging
import os
import statistics
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from django.test import Client, override_settings
from django.utils import timezone
from pypdf import PdfReader
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from certificates import rendering
from certificates.models import CertificateSignature, CertificateTemplate
from certificates.services import certificate_issue, certificate_sample_content

SAMPLES = 20
WARMUP = 1
CODE = "K7QM4T2X01ABCDEFGHJKMNPQRSTV"


def _quiet():
    # Both log every rendering step at INFO, which the settings' root logger prints.
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.WARNING)


def sample_content() -> dict:
    """A certificate as the German default template issues it, with two signatures and no
    images: the baseline's default fetcher could not read stored images."""
    template = CertificateTemplate(
        name="Benchmark",
        issuer="E-Government-Kompetenz- und Lernzentrum",
        title_de="Zertifikat",
        body_de=(
            "{name} aus der Behörde {authority} hat am {date} den Kurs „{course}“ ({duration}) "
            "erfolgreich abgeschlossen. Gültig bis: {valid_until}."
        ),
    )
    template.signatures = [
        CertificateSignature(name="Dr. Maria Beispiel", function="Leiterin des Lernzentrums"),
        CertificateSignature(name="Max Mustermann", function="Referent für Fortbildung"),
    ]
    template.save()
    return certificate_sample_content(template=template, language="de")


def _pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def render_against_fresh(timed, content: dict, code: str) -> tuple[float, float]:
    """Median ms of `certificate_render` and of a fresh WeasyPrint render of its HTML."""
    html = rendering.certificate_html(content=content, code=code)

    def ours():
        return rendering.certificate_render(content=content, code=code)

    def fresh():
        options = rendering.pdf_options(content=content, code=code, url_fetcher=URLFetcher())
        return HTML(string=html, base_url=str(rendering.STYLESHEET_PATH.parent)).write_pdf(
            stylesheets=[CSS(filename=rendering.STYLESHEET_PATH)], **options
        )

    assert _pages(ours()) == _pages(fresh()) == 1  # also the warm-up
    for _ in range(WARMUP - 1):
        ours(), fresh()
    ours_ms, fresh_ms = [], []
    for _ in range(SAMPLES):
        ours_ms.append(timed(ours, repeat=1))
        fresh_ms.append(timed(fresh, repeat=1))
    return statistics.median(ours_ms), statistics.median(fresh_ms)


VERIFY_REQUESTS = 200


def issued_certificate(template):
    """One certificate issued the way a completion issues it, for the verification page."""
    from courses.models import CatalogPage, CoursePage, Enrolment
    from home.models import HomePage
    from lms.people.models import User

    home = HomePage.objects.first()
    catalog = home.add_child(instance=CatalogPage(title="Zertifikate", slug="bench-zertifikate"))
    course = catalog.add_child(
        instance=CoursePage(
            title="Grundlagen des Onlinezugangsgesetzes",
            slug="bench-zertifikatskurs",
            summary="Bench",
            duration_minutes=60,
            validity_months=36,
            certificate_template=template,
        )
    )
    course.save_revision().publish()
    person = User.objects.create_user(
        "verify.bench@verwaltung.example", first_name="Erika", last_name="Mustermann"
    )
    enrolment = Enrolment.objects.create(
        user=person,
        course_id=course.pk,
        source="self",
        completed_at=timezone.now() - timedelta(days=1),
    )
    return certificate_issue(enrolment=enrolment)


def verify_page_ms(timed, certificate) -> float:
    """Median ms of the public verification page of an issued certificate (no sign-in)."""
    client = Client()
    url = f"/verify/{certificate.code_display}/"
    # The rate limit per client address is not what is measured here.
    with override_settings(CERTIFICATE_VERIFY_RATE="1000000/m"):
        assert client.get(url).status_code == 200
        samples = [timed(lambda: client.get(url), repeat=1) for _ in range(VERIFY_REQUESTS)]
    return statistics.median(samples)


def worker_batch():
    """certificates_per_minute: 200 issued through a real Celery worker on Redis and PostgreSQL
    (bench/certificate_batch.py, in processes of its own)."""
    script = Path(__file__).with_name("certificate_batch.py")
    finished = subprocess.run(
        [sys.executable, str(script), "200"],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LMS_VAR_DIR")},
        timeout=1800,
    )
    if finished.returncode != 0:
        print(finished.stderr[-2000:], file=sys.stderr)
        raise SystemExit("certificate_batch.py failed (needs PostgreSQL and Redis)")
    for line in finished.stdout.splitlines():
        if "=" in line:
            name, value = line.split("=", 1)
            yield name, value


def run(timed):
    _quiet()
    content = sample_content()
    ours_ms, fresh_ms = render_against_fresh(timed, content, CODE)
    yield "certificate_render_ms_p50", round(ours_ms, 1)
    yield "certificate_render_fresh_ms_p50", round(fresh_ms, 1)
    yield "certificate_render_ratio", round(ours_ms / fresh_ms, 2)
    certificate = issued_certificate(CertificateTemplate.objects.get(name="Benchmark"))
    yield "verify_page_ms_p50", round(verify_page_ms(timed, certificate), 2)
    yield from worker_batch()
