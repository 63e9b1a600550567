"""An organisation with learning records in both ministries, for the report tests.

Interior (HMdI): Anna Amsel (RPDA, overdue), Bernd Birke (RPDA unit, completed with a
certificate expiring soon), Clara Cedern (RPKS, in progress), Emil Espe (RPKS, self-enrolled).
Finance (HMdF): Dora Finanzfrau (HZD, overdue), Fritz Finanzmann (HZD, completed).
Names and personnel numbers are distinctive so a scope test can search every response for them.
"""

import datetime

import pytest
from django.utils import timezone

from certificates.models import Certificate
from courses.models import Enrolment
from tests.courses.conftest import add_course, catalog  # noqa: F401  (fixture)
from tests.factories import CertificateFactory, EnrolmentFactory, UserFactory

TODAY = datetime.date(2026, 11, 29)

INTERIOR_STRINGS = [
    "Amsel",
    "Birke",
    "Cedern",
    "Espe",
    "PN-INNEN-",
    "Ministerium des Innern",
    "HMdI",
    "Regierungspräsidium Darmstadt",
    "RPDA",
    "Regierungspräsidium Kassel",
    "RPKS",
    "Zentrale Dienste",
]


def person(org_node, first, last, number):
    return UserFactory(
        first_name=first,
        last_name=last,
        email=f"{first.lower()}.{last.lower()}@verwaltung.example",
        personnel_number=number,
        authority=org_node,
    )


def assign(user, course, due_on, *, completed_at=None, source=Enrolment.Source.ASSIGNED):
    return EnrolmentFactory(
        user=user, course=course, source=source, due_on=due_on, completed_at=completed_at
    )


def certificate_for(enrolment, *, valid_until, revoked=False, kind=Certificate.Kind.COMPLETION):
    return CertificateFactory(
        enrolment=enrolment, kind=kind, valid_until=valid_until, revoked=revoked
    )


@pytest.fixture
def security_course(catalog):  # noqa: F811
    return add_course(catalog, title="Informationssicherheit", is_mandatory=True)


@pytest.fixture
def records(org, security_course, catalog):  # noqa: F811
    today = timezone.localdate()
    done = timezone.now() - datetime.timedelta(days=30)
    people = {
        "anna": person(org["rpda"], "Anna", "Amsel", "PN-INNEN-1"),
        "bernd": person(org["rpda_unit"], "Bernd", "Birke", "PN-INNEN-2"),
        "clara": person(org["rpks"], "Clara", "Cedern", "PN-INNEN-3"),
        "emil": person(org["rpks"], "Emil", "Espe", "PN-INNEN-4"),
        "dora": person(org["hzd"], "Dora", "Finanzfrau", "PN-FIN-1"),
        "fritz": person(org["hzd"], "Fritz", "Finanzmann", "PN-FIN-2"),
    }
    overdue = today - datetime.timedelta(days=10)
    later = today + datetime.timedelta(days=20)
    enrolments = {
        "anna": assign(people["anna"], security_course, overdue),
        "bernd": assign(people["bernd"], security_course, overdue, completed_at=done),
        "clara": assign(people["clara"], security_course, later),
        "emil": assign(people["emil"], security_course, None, source=Enrolment.Source.SELF),
        "dora": assign(people["dora"], security_course, overdue),
        "fritz": assign(people["fritz"], security_course, overdue, completed_at=done),
    }
    certificate_for(enrolments["bernd"], valid_until=today + datetime.timedelta(days=40))
    certificate_for(enrolments["fritz"], valid_until=today + datetime.timedelta(days=40))
    return {"people": people, "enrolments": enrolments, "course": security_course}
