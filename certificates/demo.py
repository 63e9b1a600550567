"""Demo certificates: two templates, one per department of the centre, and certificates of
demo learners in every state (valid, expiring soon, expired, revoked, superseded).

Logos and signatures are drawn here with Pillow, so the demo needs nothing from outside.
Idempotent like the rest of `seed_demo`.
"""

import io
import math
from datetime import timedelta

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images.models import Image

from courses.models import CoursePage, Enrolment
from lms.audit import models as audit
from lms.audit.selectors import audit_entries_about
from lms.audit.services import audit_record
from lms.people.demo import demo_emails
from lms.people.models import User

from . import services
from .models import Certificate, CertificateSignature, CertificateTemplate
from .signatures import signature_images_secure

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

TEMPLATES = [
    {
        "name": "Fachbereich Digitale Verwaltung",
        "issuer": "E-Government-Kompetenz- und Lernzentrum · Fachbereich Digitale Verwaltung",
        "title_de": "Zertifikat",
        "body_de": (
            "{name} ({authority}) hat am {date} den Kurs „{course}“ mit einem Umfang von "
            "{duration} erfolgreich abgeschlossen.\n\nGültig bis: {valid_until}"
        ),
        "title_en": "Certificate",
        "body_en": (
            "{name} ({authority}) successfully completed the course “{course}” "
            "({duration}) on {date}.\n\nValid until: {valid_until}"
        ),
        "colour_primary": "#004B87",
        "colour_accent": "#C8102E",
        "logo": ("Logo Digitale Verwaltung", "DV", (0, 75, 135)),
        "signatures": [
            ("Dr. Miriam Sommer", "Leiterin des Kompetenz- und Lernzentrums"),
            ("Jonas Weber", "Fachbereichsleiter Digitale Verwaltung"),
        ],
        "courses": ["ozg-grundlagen", "e-akte-praxis", "barrierefreie-dokumente"],
    },
    {
        "name": "Fachbereich Informationssicherheit",
        "issuer": "E-Government-Kompetenz- und Lernzentrum · Fachbereich Informationssicherheit",
        "title_de": "Nachweis der Pflichtschulung",
        "body_de": (
            "{name} hat die Pflichtschulung „{course}“ ({duration}) am {date} erfolgreich "
            "abgeschlossen.\n\nDer Nachweis ist gültig bis {valid_until}."
        ),
        "title_en": "Proof of mandatory training",
        "body_en": (
            "{name} successfully completed the mandatory training “{course}” ({duration}) "
            "on {date}.\n\nThis proof is valid until {valid_until}."
        ),
        "colour_primary": "#1D4F3A",
        "colour_accent": "#B8860B",
        "logo": ("Logo Informationssicherheit", "IS", (29, 79, 58)),
        "signatures": [("Sabine Krüger", "Informationssicherheitsbeauftragte des Landes")],
        "courses": ["informationssicherheit"],
    },
]


def _png(draw_on, size) -> bytes:
    canvas = PILImage.new("RGBA", size, (255, 255, 255, 0))
    draw_on(ImageDraw.Draw(canvas))
    out = io.BytesIO()
    canvas.save(out, format="PNG")
    return out.getvalue()


def _logo_png(letters, colour) -> bytes:
    def draw(pen):
        pen.rounded_rectangle((8, 8, 232, 232), radius=36, fill=colour)
        pen.rounded_rectangle((24, 24, 216, 216), radius=28, outline=(255, 255, 255), width=6)
        font = ImageFont.truetype(FONT, 96)
        pen.text((120, 124), letters, font=font, fill=(255, 255, 255), anchor="mm")

    return _png(draw, (240, 240))


def _signature_png(seed: int) -> bytes:
    """A handwritten-looking stroke, different for each signer."""

    def draw(pen):
        points = [
            (20 + x * 4, 60 + 22 * math.sin(x / (3.0 + seed)) * math.cos(x / (7.0 + seed)))
            for x in range(0, 95)
        ]
        pen.line(points, fill=(20, 30, 80), width=4, joint="curve")
        pen.line([(30, 95), (360, 88)], fill=(20, 30, 80), width=2)

    return _png(draw, (400, 120))


def _image(title, data) -> Image:
    image = Image.objects.filter(title=title).first()
    if image is None:
        name = title.lower().replace(" ", "-") + ".png"
        image = Image(title=title, file=ImageFile(io.BytesIO(data), name=name))
        image.save()
    return image


def seed_certificate_templates() -> dict[str, CertificateTemplate]:
    templates = {}
    for spec in TEMPLATES:
        template = CertificateTemplate.objects.filter(name=spec["name"]).first()
        if template is None:
            title, letters, colour = spec["logo"]
            template = CertificateTemplate(
                name=spec["name"],
                issuer=spec["issuer"],
                title_de=spec["title_de"],
                body_de=spec["body_de"],
                title_en=spec["title_en"],
                body_en=spec["body_en"],
                colour_primary=spec["colour_primary"],
                colour_accent=spec["colour_accent"],
                logo=_image(title, _logo_png(letters, colour)),
            )
            template.signatures = [
                CertificateSignature(
                    name=name,
                    function=function,
                    image=_image(f"Unterschrift {name}", _signature_png(index + len(name) % 3)),
                )
                for index, (name, function) in enumerate(spec["signatures"])
            ]
            template.save()
        signature_images_secure(template=template)
        templates[spec["name"]] = template
        for course in CoursePage.objects.filter(slug__in=spec["courses"]):
            if course.certificate_template_id is None:
                course.certificate_template = template
                if course.slug == "ozg-grundlagen" and not course.validity_months:
                    course.validity_months = 36
                course.save_revision().publish()
    return templates


# Demo learners whose completion of the security training lies in the past, so that their
# certificates show every state. Days before today.
BACKDATED = {
    "expiring": 335,  # valid for another ~30 days: renewed (assigned again)
    "expired": 400,
}


@transaction.atomic
def _backdate_security_completions():
    """Move some completions of the yearly security training into the past before their
    certificates are issued, so what the certificates say matches their enrolments."""
    course = CoursePage.objects.get(slug="informationssicherheit")
    completed = list(
        Enrolment.objects.filter(
            course=course, completed_at__isnull=False, user__email__in=demo_emails()
        )
        .exclude(user__email="ben.lernt@demo.example")
        .filter(certificates__isnull=True)
        .order_by("user__email")
    )
    now = timezone.now()
    for enrolment, days in zip(completed, BACKDATED.values(), strict=False):
        Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=now - timedelta(days=days))


def seed_certificates():
    seed_certificate_templates()
    _backdate_security_completions()
    services.certificates_reconcile()
    admin = User.objects.get(email="admin@demo.example")
    # Only certificates of the demo's own people are revoked or corrected for show.
    issued = Certificate.objects.issued().filter(
        replaced_by__isnull=True, user__email__in=demo_emails()
    )
    if not Certificate.objects.filter(revoked_at__isnull=False).exists():
        victim = (
            issued.exclude(course__slug="informationssicherheit")
            .exclude(user__email__in=["anna.lernt@demo.example", "ben.lernt@demo.example"])
            .order_by("user__email")
            .first()
        )
        if victim is not None:
            services.certificate_revoke(
                certificate=victim,
                by=admin,
                reason="Versehentlich ausgestellt (Demo)",
            )
    if not Certificate.objects.filter(kind=Certificate.Kind.CORRECTION).exists():
        corrected = (
            issued.filter(revoked_at__isnull=True)
            .exclude(user__email__in=["anna.lernt@demo.example", "ben.lernt@demo.example"])
            .order_by("-user__email")
            .first()
        )
        if corrected is not None:
            services.certificate_reissue(certificate=corrected, by=admin)
    services.certificates_renew_expiring()
    _seed_a_staff_download()


def _seed_a_staff_download():
    """Ben's page "Wer hat meine Lerndaten eingesehen?" shows an entry on a fresh demo: the HR
    coordinator of his ministry downloaded his certificate. Written once."""
    ben = User.objects.filter(email="ben.lernt@demo.example").first()
    hr = User.objects.filter(email="hr.finanzen@demo.example").first()
    if ben is None or hr is None:
        return
    if audit_entries_about(person=ben).filter(report=audit.CERTIFICATE).exists():
        return
    certificate = Certificate.objects.issued().filter(user=ben).order_by("pk").first()
    if certificate is None:
        return
    audit_record(
        actor=hr,
        action=audit.AuditEntry.Action.DOWNLOADED,
        report=audit.CERTIFICATE,
        report_title=gettext("Certificate"),
        filters={"course": certificate.content["fields"]["course"]},
        subject=ben,
    )
