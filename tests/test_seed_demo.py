import pytest
from django.core.management import CommandError, call_command

from lms.people.models import Authority, AuthorityKind, AuthorityMembership, User
from lms.people.selectors import authorities_visible_to

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "demo-lms-2026"


@pytest.fixture
def seeded(demo_seeded):
    """The demo as seeded once for this module (tests/conftest.py)."""


def test_seeding_twice_changes_nothing(seeded):
    from courses.models import (
        CoursePage,
        Enrolment,
        LessonProgress,
        ProgressEvent,
        QuizAttempt,
        QuizPage,
    )

    models = [
        User,
        Authority,
        AuthorityMembership,
        CoursePage,
        Enrolment,
        LessonProgress,
        ProgressEvent,
        QuizPage,
        QuizAttempt,
    ]
    counts = [model.objects.count() for model in models]
    call_command("seed_demo")
    assert counts == [model.objects.count() for model in models]


def test_the_demo_organisation_resembles_a_state_administration(seeded):
    ministries = Authority.objects.filter(kind=AuthorityKind.MINISTRY)
    assert ministries.count() >= 4
    interior = Authority.objects.get(abbreviation="HMdI")
    regierungspraesidien = interior.get_children().filter(name__startswith="Regierungspräsidium")
    assert regierungspraesidien.count() == 3
    assert Authority.objects.get(abbreviation="HZD").get_parent().abbreviation == "HMdF"
    assert Authority.objects.filter(kind=AuthorityKind.UNIT).exists()


def test_demo_accounts_have_their_roles(seeded):
    admin = User.objects.get(email="admin@demo.example")
    trainer = User.objects.get(email="trainer@demo.example")
    hr_innen = User.objects.get(email="hr.innen@demo.example")
    anna = User.objects.get(email="anna.lernt@demo.example")
    ben = User.objects.get(email="ben.lernt@demo.example")
    assert admin.is_centre_admin
    assert trainer.is_trainer and not trainer.is_hr
    assert hr_innen.is_hr
    assert anna.authority.get_parent().abbreviation == "HMdI"
    assert ben.authority.get_parent().abbreviation == "HMdF"
    assert User.objects.count() >= 6 + 30


def test_demo_hr_scopes_are_their_ministries(seeded):
    hr_innen = User.objects.get(email="hr.innen@demo.example")
    hr_finanzen = User.objects.get(email="hr.finanzen@demo.example")
    innen = set(authorities_visible_to(user=hr_innen).values_list("abbreviation", flat=True))
    finanzen = set(authorities_visible_to(user=hr_finanzen).values_list("abbreviation", flat=True))
    assert {"HMdI", "RPDA", "RPGI", "RPKS"} <= innen
    assert "HZD" in finanzen
    assert not innen & finanzen


DEMO_ACCOUNTS = [
    "admin@demo.example",
    "trainer@demo.example",
    "hr.innen@demo.example",
    "hr.finanzen@demo.example",
    "anna.lernt@demo.example",
    "ben.lernt@demo.example",
]


def test_every_demo_account_signs_in_with_the_demo_password(seeded, client):
    for email in DEMO_ACCOUNTS:
        client.logout()
        response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        assert client.session.get("_auth_user_id") == str(User.objects.get(email=email).pk)


def test_the_demo_admin_reaches_the_wagtail_admin(seeded, client):
    client.post(
        "/accounts/login/?next=/admin/",
        {"login": "admin@demo.example", "password": DEMO_PASSWORD},
    )
    assert client.get("/admin/").status_code == 200


def test_demo_data_is_refused_in_production(settings):
    before = User.objects.count()
    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert User.objects.count() == before


def test_demo_courses_assignments_and_progress(seeded):
    from django.utils import timezone

    from courses.models import CoursePage, Enrolment, LessonPage

    assert CoursePage.objects.live().count() >= 3
    for course in CoursePage.objects.live():
        assert 3 <= LessonPage.objects.child_of(course).live().count() <= 6
    anna = User.objects.get(email="anna.lernt@demo.example")
    assigned = Enrolment.objects.filter(user=anna, source__in=["assigned", "rule"])
    today = timezone.localdate()
    assert any(e.is_overdue(today) for e in assigned)
    assert any(e.due_on and e.due_on >= today for e in assigned)
    progress = set(Enrolment.objects.values_list("progress_percent", flat=True))
    assert 0 in progress and 100 in progress and progress - {0, 100}


def demo_quizzes():
    from courses.models import CoursePage, QuizPage

    return {
        course.slug: QuizPage.objects.child_of(course).live().get()
        for course in CoursePage.objects.live()
    }


def test_every_demo_course_ends_with_a_quiz_mixing_the_question_types(seeded):
    from collections import Counter

    from courses.models import CoursePage, QuizPage

    quizzes = demo_quizzes()
    assert len(quizzes) == CoursePage.objects.live().count() == 4
    used = Counter()
    for slug, quiz in quizzes.items():
        course = CoursePage.objects.get(slug=slug)
        assert course.get_children().order_by("path").last().pk == quiz.pk  # after the lessons
        assert 8 <= len(quiz.questions) <= 16, slug
        types = {block.block_type for block in quiz.questions}
        assert len(types) >= 5, slug
        used.update(types)
        # Valid as a trainer would have to author it in the admin.
        QuizPage.questions.field.stream_block.clean(quiz.questions)
    assert len(used) == 7 and min(used.values()) >= 3


def test_demo_quizzes_vary_their_settings(seeded):
    from courses.models import QuizPage

    quizzes = list(demo_quizzes().values())
    assert {quiz.pass_mark for quiz in quizzes} <= {60, 70}
    assert {quiz.max_attempts for quiz in quizzes} == {3}
    assert any(quiz.time_limit_minutes == 20 for quiz in quizzes)
    assert any(quiz.draw_count and quiz.draw_count < len(quiz.questions) for quiz in quizzes)
    reviews = {quiz.review for quiz in quizzes}
    assert {QuizPage.Review.AFTER_PASS, QuizPage.Review.AFTER_EACH} <= reviews


def test_demo_learners_have_passed_failed_and_open_attempts(seeded):
    from courses.models import Enrolment, QuizAttempt

    ben = User.objects.get(email="ben.lernt@demo.example")
    passed = QuizAttempt.objects.get(user=ben)
    assert passed.status == "submitted" and passed.passed
    assert Enrolment.objects.get(user=ben, course__slug="informationssicherheit").is_complete
    failed = QuizAttempt.objects.filter(status="submitted", passed=False)
    assert failed.exists() and all(a.percent < a.pass_mark for a in failed)
    open_attempt = QuizAttempt.objects.get(status="open")
    assert open_attempt.answers and len(open_attempt.answers) < len(open_attempt.questions)
    assert open_attempt.deadline is None  # does not close itself while the demo runs


def test_anna_has_the_ozg_quiz_left_to_fail_retry_and_pass(seeded):
    from courses.models import Enrolment, LessonPage
    from courses.quizzes.selectors import quiz_standing

    anna = User.objects.get(email="anna.lernt@demo.example")
    quiz = demo_quizzes()["ozg-grundlagen"]
    enrolment = Enrolment.objects.get(user=anna, course=quiz.get_parent())
    lessons = LessonPage.objects.child_of(quiz.get_parent()).live()
    assert enrolment.lessons.filter(completed_at__isnull=False).count() == lessons.count()
    assert not enrolment.is_complete
    standing = quiz_standing(quiz=quiz, user=anna)
    assert standing.can_start and not standing.attempts and standing.attempts_left >= 2
    assert quiz.wait_minutes == 0
