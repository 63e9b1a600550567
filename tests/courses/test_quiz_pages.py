"""Taking a quiz through the site: pages, answers, submitting, result and review."""

import re
from decimal import Decimal

import pytest

from courses.models import Enrolment, ProgressEvent, QuizAttempt, QuizPage
from courses.services import enrolment_create, lesson_complete
from tests.courses.conftest import lessons_of, publish
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Distinctive texts that may only appear once review is allowed.
SECRET_FEEDBACK = "GEHEIM-RUECKMELDUNG"
SECRET_TEXT_ANSWER = "Onlinezugangsgesetz-Geheim"
SECRET_NUMBER = "4711.0815"


def every_type():
    return [
        (
            "single_choice",
            {
                "prompt": "Wofür steht OZG?",
                "points": Decimal(2),
                "feedback": SECRET_FEEDBACK + "-frage",
                "options": [
                    {"text": "Onlinezugangsgesetz", "correct": True, "feedback": SECRET_FEEDBACK},
                    {"text": "Ordnungszuständigkeitsgesetz", "correct": False, "feedback": ""},
                ],
            },
        ),
        (
            "multiple_choice",
            {
                "prompt": "Welche sind Vertrauensniveaus?",
                "points": Decimal(2),
                "partial_credit": True,
                "options": [
                    {"text": "substanziell", "correct": True, "feedback": ""},
                    {"text": "hoch", "correct": True, "feedback": ""},
                    {"text": "egal", "correct": False, "feedback": SECRET_FEEDBACK + "-mc"},
                ],
            },
        ),
        (
            "true_false",
            {"prompt": "Die E-Akte ist Pflicht.", "points": Decimal(1), "correct": True},
        ),
        (
            "short_text",
            {
                "prompt": "Name des Gesetzes?",
                "points": Decimal(1),
                "accepted_answers": [SECRET_TEXT_ANSWER],
            },
        ),
        (
            "number",
            {
                "prompt": "Eine Zahl?",
                "points": Decimal(1),
                "answer": Decimal(SECRET_NUMBER),
                "tolerance": Decimal("0.5"),
            },
        ),
        (
            "ordering",
            {"prompt": "Ordnen Sie.", "points": Decimal(1), "items": ["Erst", "Dann", "Zuletzt"]},
        ),
        (
            "matching",
            {
                "prompt": "Ordnen Sie zu.",
                "points": Decimal(1),
                "pairs": [
                    {"left": "BSI", "right": "Sicherheit"},
                    {"left": "FITKO", "right": "Föderal"},
                ],
            },
        ),
    ]


@pytest.fixture
def learner(org):
    return UserFactory(authority=org["rpda"], verified=True)


@pytest.fixture
def quiz(course):
    page = course.add_child(
        instance=QuizPage(
            title="Abschlusstest",
            questions=every_type(),
            questions_per_page=4,
            max_attempts=3,
            pass_mark=60,
            review=QuizPage.Review.AFTER_PASS,
        )
    )
    return publish(page)


@pytest.fixture
def enrolled(client, learner, course):
    enrolment_create(user=learner, course=course)
    client.force_login(learner)
    return learner


def start(client, quiz):
    response = client.post(f"/lernen/test/{quiz.pk}/starten/")
    assert response.status_code == 302
    return QuizAttempt.objects.get(quiz=quiz, status="open"), response["Location"]


def right_answers(attempt):
    """Form data answering every question of the attempt correctly, by page."""
    pages = {}
    for question in attempt.questions:
        name, kind = f"q-{question['id']}", question["type"]
        data = pages.setdefault(attempt.page_of(question["id"]), {})
        if kind == "single_choice":
            data[name] = next(o["key"] for o in question["options"] if o["correct"])
        elif kind == "multiple_choice":
            data[name] = [o["key"] for o in question["options"] if o["correct"]]
        elif kind == "true_false":
            data[name] = "true" if question["correct"] else "false"
        elif kind == "short_text":
            data[name] = "  " + question["accepted"][0].upper() + " "
        elif kind == "number":
            data[name] = question["value"].replace(".", ",")
        elif kind == "ordering":
            for position, key in enumerate(question["correct_order"], start=1):
                data[f"{name}-{key}"] = str(position)
        elif kind == "matching":
            for left, right in question["pairs"].items():
                data[f"{name}-{left}"] = right
    return pages


def save(client, attempt, page, data, action="next"):
    attempt.refresh_from_db()
    return client.post(
        f"/lernen/versuch/{attempt.pk}/seite/{page}/",
        {**data, "version": attempt.version, "action": action},
    )


def test_quiz_page_needs_enrolment(client, learner, quiz, course):
    client.force_login(learner)
    response = client.get(quiz.url)
    assert response.status_code == 302 and response["Location"] == course.url


def test_nothing_of_the_key_is_sent_while_answering(client, enrolled, quiz):
    attempt, _location = start(client, quiz)
    pages = [client.get(f"/lernen/versuch/{attempt.pk}/seite/{n}/") for n in (1, 2)]
    pages.append(client.get(f"/lernen/versuch/{attempt.pk}/abgeben/"))
    pages.append(client.get(quiz.url))
    html = "".join(page.content.decode() for page in pages)
    assert all(page.status_code == 200 for page in pages)
    assert "Wofür steht OZG?" in html and "Ordnen Sie zu." in html
    for secret in (SECRET_FEEDBACK, SECRET_TEXT_ANSWER, SECRET_NUMBER, "4711,0815", "correct"):
        assert secret not in html
    # Ordering items are never listed in the right order.
    ordering = next(q for q in attempt.questions if q["type"] == "ordering")
    shown = re.findall(rf'name="q-{ordering["id"]}-(\w+)"', html)
    assert shown and shown != ordering["correct_order"]


def test_answering_everything_right_passes_and_completes_the_course(client, enrolled, quiz, course):
    for lesson in lessons_of(course):
        lesson_complete(user=enrolled, lesson=lesson)
    attempt, _location = start(client, quiz)
    for page, data in right_answers(attempt).items():
        assert save(client, attempt, page, data).status_code == 302
    response = client.post(f"/lernen/versuch/{attempt.pk}/abgeben/")
    assert response["Location"] == f"/lernen/versuch/{attempt.pk}/"
    result = client.get(response["Location"])
    html = result.content.decode()
    assert "100 %" in html and SECRET_FEEDBACK in html  # passed: review allowed by the policy
    assert Enrolment.objects.get(user=enrolled).completed_at is not None


def test_a_failed_attempt_shows_no_key_under_after_pass_policy(client, enrolled, quiz):
    attempt, _location = start(client, quiz)
    response = client.post(f"/lernen/versuch/{attempt.pk}/abgeben/")
    html = client.get(response["Location"]).content.decode()
    assert "0 %" in html
    assert SECRET_FEEDBACK not in html and SECRET_TEXT_ANSWER not in html
    assert 'id="retry-form"' in html


def test_submitting_twice_gives_one_result(client, enrolled, quiz):
    attempt, _location = start(client, quiz)
    client.post(f"/lernen/versuch/{attempt.pk}/abgeben/")
    client.post(f"/lernen/versuch/{attempt.pk}/abgeben/")
    assert ProgressEvent.objects.filter(kind="quiz_submitted").count() == 1
    assert QuizAttempt.objects.filter(quiz=quiz).count() == 1


def test_a_stale_tab_cannot_overwrite_newer_answers(client, enrolled, quiz):
    attempt, _location = start(client, quiz)
    page_one = right_answers(attempt)[1]
    old_version = attempt.version
    save(client, attempt, 1, page_one)
    stale = client.post(
        f"/lernen/versuch/{attempt.pk}/seite/1/", {"version": old_version, "action": "next"}
    )
    assert stale.status_code == 302 and stale["Location"].endswith("/seite/1/")
    attempt.refresh_from_db()
    assert len(attempt.answers) == len(page_one)


def test_forged_fields_are_ignored_and_foreign_values_refused(client, enrolled, quiz):
    attempt, _location = start(client, quiz)
    first = attempt.page_questions(1)[0]
    response = save(
        client,
        attempt,
        1,
        {f"q-{first['id']}": "not-an-option", "score": "100", "passed": "on", "q-unknown": "x"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Diese Antwort gehört nicht zu den Antwortmöglichkeiten der Frage." in html
    assert "Einige Antworten konnten nicht gespeichert werden." in html
    attempt.refresh_from_db()
    assert attempt.answers == {} and attempt.score is None and attempt.passed is None


def test_someone_elses_attempt_is_not_found(client, enrolled, quiz, org):
    attempt, _location = start(client, quiz)
    other = UserFactory(authority=org["rpda"], verified=True)
    client.force_login(other)
    for url in (
        f"/lernen/versuch/{attempt.pk}/seite/1/",
        f"/lernen/versuch/{attempt.pk}/abgeben/",
        f"/lernen/versuch/{attempt.pk}/",
    ):
        assert client.get(url).status_code == 404
    assert client.post(f"/lernen/versuch/{attempt.pk}/abgeben/").status_code == 404
    attempt.refresh_from_db()
    assert attempt.is_open


def test_trainer_preview_shows_the_key_only_in_answers_mode(client, centre_admin, quiz):
    client.force_login(centre_admin)
    plain = client.get(f"/admin/pages/{quiz.pk}/view_draft/")
    with_key = client.get(f"/admin/pages/{quiz.pk}/view_draft/?mode=answers")
    assert plain.status_code == 200 and with_key.status_code == 200
    assert SECRET_TEXT_ANSWER not in plain.content.decode()
    assert SECRET_TEXT_ANSWER in with_key.content.decode()
