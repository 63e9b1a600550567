"""Seeding the demo again after it was used: `make run` a second time must start the site."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from certificates.models import Certificate
from courses.models import CoursePage, Enrolment, LessonProgress, QuizAttempt, QuizPage
from courses.quizzes.services import attempt_start, attempt_submit
from courses.selectors import course_lessons
from courses.services import enrolment_create, enrolment_drop, lesson_complete, lesson_open
from lms.people.imports import users_import
from lms.people.models import User
from lms.privacy.erasure import is_erased, person_erase

pytestmark = pytest.mark.django_db

# Sorts before every demo learner: a person the seed picked up shifted all of their courses.
NEWCOMER_CSV = (
    "E-Mail;Vorname;Nachname;Behörde\r\n"
    "aaron.neu@demo.example;Aaron;Neu;HZD\r\n"
    "zora.neu@demo.example;Zora;Neu;RPDA\r\n"
).encode()


@pytest.fixture
def seeded(demo_seeded):
    """The demo as seeded once for this module (tests/conftest.py)."""


def _quiz(slug):
    return QuizPage.objects.child_of(CoursePage.objects.get(slug=slug)).get()


def _fail_quiz(user, slug):
    return attempt_submit(attempt=attempt_start(user=user, quiz=_quiz(slug)))


def _state_of(person):
    """What a person did, as the site keeps it."""
    return {
        "enrolments": sorted(
            Enrolment.objects.filter(user=person).values_list(
                "course__slug", "source", "progress_percent", "completed_at", "due_on"
            )
        ),
        "lessons": sorted(
            LessonProgress.objects.filter(enrolment__user=person).values_list(
                "lesson_id", "completed_at"
            )
        ),
        "attempts": sorted(
            QuizAttempt.objects.filter(user=person).values_list("pk", "status", "percent")
        ),
        "certificates": sorted(Certificate.objects.filter(user=person).values_list("pk", "code")),
    }


@pytest.fixture
def used_demo(seeded):
    """The demo after people used it: new people imported, courses started and left, quizzes
    taken, a demo learner erased."""
    admin = User.objects.get(email="admin@demo.example")
    report = users_import(data=NEWCOMER_CSV, by=admin)
    assert report.ok, report.errors
    aaron = User.objects.get(email="aaron.neu@demo.example")
    zora = User.objects.get(email="zora.neu@demo.example")
    documents = CoursePage.objects.get(slug="barrierefreie-dokumente")
    for newcomer in (aaron, zora):
        enrolment_create(user=newcomer, course=documents)
        first = course_lessons(course=documents)[0]
        lesson_open(user=newcomer, lesson=first)
        lesson_complete(user=newcomer, lesson=first)
        _fail_quiz(newcomer, "barrierefreie-dokumente")
    enrolment_create(user=zora, course=CoursePage.objects.get(slug="ozg-grundlagen"))
    enrolment_drop(user=zora, course=CoursePage.objects.get(slug="ozg-grundlagen"))

    # A demo learner leaves a course they chose; Anna fails her OZG quiz once.
    leaver = (
        Enrolment.objects.filter(
            user__email__endswith="@demo.example",
            source=Enrolment.Source.SELF,
            completed_at__isnull=True,
        )
        .exclude(user__email__in=["anna.lernt@demo.example", "ben.lernt@demo.example"])
        .order_by("user__email")
        .first()
    )
    enrolment_drop(user=leaver.user, course=leaver.course)
    anna = User.objects.get(email="anna.lernt@demo.example")
    _fail_quiz(anna, "ozg-grundlagen")

    # A demo learner with a certificate is erased.
    holder = (
        Certificate.objects.filter(user__email__endswith="@demo.example", revoked_at__isnull=True)
        .exclude(user__email__in=["anna.lernt@demo.example", "ben.lernt@demo.example"])
        .order_by("user__email")
        .first()
        .user
    )
    assert person_erase(person=holder, by=admin)
    return {
        "newcomers": [aaron, zora],
        "leaver": (leaver.user, leaver.course),
        "anna": anna,
        "erased": User.objects.get(pk=holder.pk),
    }


def test_seeding_a_used_demo_again_succeeds_and_leaves_new_people_alone(used_demo):
    before = {person.pk: _state_of(person) for person in used_demo["newcomers"]}
    call_command("seed_demo")
    assert before == {person.pk: _state_of(person) for person in used_demo["newcomers"]}


def test_seeding_again_keeps_what_demo_learners_did(used_demo):
    anna = used_demo["anna"]
    anna_before = _state_of(anna)
    leaver, course = used_demo["leaver"]
    call_command("seed_demo")
    assert _state_of(anna) == anna_before
    assert not Enrolment.objects.filter(user=leaver, course=course).exists()
    assert is_erased(User.objects.get(pk=used_demo["erased"].pk))


def test_seeding_again_keeps_the_demos_own_state(used_demo):
    ben = User.objects.get(email="ben.lernt@demo.example")
    ben_before = _state_of(ben)
    revoked = set(Certificate.objects.filter(revoked_at__isnull=False).values_list("pk"))
    call_command("seed_demo")
    assert _state_of(ben) == ben_before
    assert set(Certificate.objects.filter(revoked_at__isnull=False).values_list("pk")) == revoked
    for email in ("admin@demo.example", "trainer@demo.example", "anna.lernt@demo.example"):
        assert User.objects.filter(email=email, is_active=True).exists(), email


def test_a_seed_step_that_fails_is_reported_by_name_and_the_rest_is_kept(seeded, monkeypatch):
    from home.management.commands import seed_demo

    def broken():
        raise PermissionError("disk full")

    monkeypatch.setattr(seed_demo, "seed_certificates", broken)
    with translation.override("de"), pytest.raises(CommandError) as failure:
        call_command("seed_demo")
    message = str(failure.value)
    assert "„Demo-Zertifikate“ ist fehlgeschlagen" in message and "disk full" in message
    assert User.objects.filter(email="anna.lernt@demo.example").exists()
