"""A course that issues certificates, learners who completed it, and a private file store."""

import pytest

from courses import services as course_services
from tests.courses.conftest import add_course, catalog, lessons_of  # noqa: F401
from tests.factories import CertificateTemplateFactory, UserFactory


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
    return CertificateTemplateFactory(
        name="Kompetenzzentrum",
        body_de=(
            "{name} hat am {date} den Kurs „{course}“ ({duration}) erfolgreich abgeschlossen. "
            "Gültig bis: {valid_until}."
        ),
        signatures=[("Dr. Maria Beispiel", "Leiterin des Lernzentrums")],
    )


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
