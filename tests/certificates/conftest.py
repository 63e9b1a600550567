"""A course that issues certificates, learners who completed it, and a private file store."""

import pytest

from certificates.models import CertificateSignature, CertificateTemplate
from courses import services as course_services
from tests.courses.conftest import add_course, catalog, lessons_of  # noqa: F401
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _private_files_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "certificates": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }


@pytest.fixture
def certificate_template(db):
    template = CertificateTemplate(
        name="Kompetenzzentrum",
        issuer="E-Government-Kompetenz- und Lernzentrum",
        title_de="Zertifikat",
        body_de=(
            "{name} hat am {date} den Kurs „{course}“ ({duration}) erfolgreich abgeschlossen. "
            "Gültig bis: {valid_until}."
        ),
        title_en="Certificate",
        body_en="{name} successfully completed the course “{course}” ({duration}) on {date}.",
    )
    template.signatures = [
        CertificateSignature(name="Dr. Maria Beispiel", function="Leiterin des Lernzentrums")
    ]
    template.save()
    return template


@pytest.fixture
def certified_course(catalog, certificate_template):  # noqa: F811
    return add_course(
        catalog,
        title="Informationssicherheit am Arbeitsplatz",
        lessons=1,
        certificate_template=certificate_template,
        validity_months=12,
        is_mandatory=True,
    )


def complete(user, course):
    """Enrol and finish every lesson; with tasks eager, this issues the certificate."""
    course_services.enrolment_create(user=user, course=course)
    for lesson in lessons_of(course):
        enrolment = course_services.lesson_complete(user=user, lesson=lesson)
    return enrolment


@pytest.fixture
def learner(org):
    return UserFactory(
        email="anna.lernt@verwaltung.example",
        first_name="Anna",
        last_name="Lernt",
        authority=org["rpda"],
    )
