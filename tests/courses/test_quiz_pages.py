"""Taking a quiz through the site: pages, answers, submitting, result and review."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

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
    # Ordering items are listed as drawn for the attempt, and no position is preselected.
    ordering = next(q for q in attempt.questions if q["type"] == "ordering")
    shown = re.findall(rf'name="q-{ordering["id"]}-(\w+)"', html)
    assert shown[:3] == [item["key"] for item in ordering["items"]]
    assert " selected>" not in html


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


# Odd input and odd moments


def question_of(attempt, kind):
    return next(q for q in attempt.questions if q["type"] == kind)


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("short_text", "Antwort\x00", "Die Antwort enthält Zeichen, die nicht erlaubt sind."),
        ("number", "1\x002", "Die Antwort enthält Zeichen, die nicht erlaubt sind."),
        ("number", "zwölf", "Bitte geben Sie eine Zahl ein, zum Beispiel 12,5."),
    ],
)
def test_unstorable_or_wrong_text_gets_a_message(client, enrolled, quiz, kind, value, message):
    attempt, _location = start(client, quiz)
    question = question_of(attempt, kind)
    response = save(
        client, attempt, attempt.page_of(question["id"]), {f"q-{question['id']}": value}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.answers == {} and attempt.version == 0


def test_a_huge_ordering_position_gets_a_message(client, enrolled, quiz):
    attempt, _location = start(client, quiz)
    question = question_of(attempt, "ordering")
    data = {f"q-{question['id']}-{item['key']}": "9" * 5000 for item in question["items"]}
    response = save(client, attempt, attempt.page_of(question["id"]), data)
    assert response.status_code == 200
    assert "Diese Antwort gehört nicht zu den Antwortmöglichkeiten" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/lernen/test/99999999999999999999999/starten/",
        "/lernen/versuch/99999999999999999999999/",
        "/lernen/versuch/1/seite/99999999999999999999999/",
        "/lernen/kurs/99999999999999999999999/einschreiben/",
    ],
)
def test_ids_too_long_for_the_database_are_not_found(client, enrolled, url):
    assert client.post(url).status_code == 404


def test_when_time_runs_out_valid_answers_count_and_a_half_done_one_is_left_out(
    client, enrolled, course
):
    quiz = publish(
        course.add_child(
            instance=QuizPage(
                title="Zeittest",
                questions=every_type(),
                questions_per_page=7,
                time_limit_minutes=10,
                shuffle_options=False,
            )
        )
    )
    attempt, _location = start(client, quiz)
    data = right_answers(attempt)[1]
    ordering = question_of(attempt, "ordering")
    for key in ordering["correct_order"][1:]:
        data.pop(f"q-{ordering['id']}-{key}")  # one position given, the others not
    QuizAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=3))
    attempt.refresh_from_db()

    response = save(client, attempt, 1, data, action="timeout")
    assert response.status_code == 302 and response["Location"] == f"/lernen/versuch/{attempt.pk}/"
    attempt.refresh_from_db()
    assert attempt.status == "timed_out"
    assert ordering["id"] not in attempt.answers and len(attempt.answers) == 6
    assert attempt.score == attempt.max_score - 1


def test_an_early_timeout_from_the_browser_only_saves(client, enrolled, course):
    quiz = publish(
        course.add_child(
            instance=QuizPage(title="Zeittest", questions=every_type(), time_limit_minutes=10)
        )
    )
    attempt, _location = start(client, quiz)
    response = save(client, attempt, 1, right_answers(attempt)[1], action="timeout")
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.is_open and attempt.answers


def test_an_unpublished_quiz_takes_no_more_answers(client, enrolled, quiz):
    attempt, _location = start(client, quiz)
    quiz.unpublish()
    response = save(client, attempt, 1, right_answers(attempt)[1])
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.post(f"/lernen/versuch/{attempt.pk}/abgeben/")["Location"] == "/"
    attempt.refresh_from_db()
    assert attempt.is_open and attempt.answers == {}
    assert not ProgressEvent.objects.filter(kind="quiz_submitted").exists()


def test_after_leaving_the_course_the_attempt_cannot_be_submitted(client, enrolled, quiz, course):
    from courses.services import enrolment_drop

    attempt, _location = start(client, quiz)
    enrolment_drop(user=enrolled, course=course)
    client.post(f"/lernen/versuch/{attempt.pk}/abgeben/")
    attempt.refresh_from_db()
    assert attempt.is_open
    assert not ProgressEvent.objects.filter(kind="quiz_submitted").exists()


def test_enter_moves_forward_and_pages_are_not_cached(client, enrolled, quiz):
    attempt, _location = start(client, quiz)
    response = client.get(f"/lernen/versuch/{attempt.pk}/seite/2/")
    buttons = re.findall(
        r'<button type="submit" name="action" value="(\w+)"', response.content.decode()
    )
    assert buttons == ["summary", "previous"]  # Enter in a field uses the first button
    assert "no-store" in response["Cache-Control"]


def test_a_fail_never_shows_as_the_pass_mark_and_the_exact_best_counts(enrolled, course):
    from courses.quizzes.selectors import quiz_standing

    quiz = publish(
        course.add_child(
            instance=QuizPage(
                title="Knapp",
                pass_mark=70,
                max_attempts=3,
                questions=[
                    ("true_false", {"prompt": f"F{i}", "points": Decimal(1), "correct": True})
                    for i in range(20)
                ],
            )
        )
    )

    def attempt(number, score):
        return QuizAttempt.objects.create(
            user=enrolled,
            quiz=quiz,
            number=number,
            status="submitted",
            pass_mark=70,
            submitted_at=timezone.now(),
            score=Decimal(score),
            max_score=Decimal(20),
            percent=Decimal("69.9") if Decimal(score) < 14 else Decimal(70),
            passed=Decimal(score) >= 14,
        )

    attempt(1, "13.99")
    second = attempt(2, "14.00")
    standing = quiz_standing(quiz=quiz, user=enrolled)
    assert standing.counted.pk == second.pk and standing.passed


def test_grading_rounds_the_shown_percentage_down(enrolled, course):
    from courses.quizzes.services import grade_attempt

    fake = QuizAttempt(
        pass_mark=70,
        questions=[
            {
                "id": str(i),
                "type": "true_false",
                "prompt": "x",
                "points": "1.00",
                "correct": True,
                "feedback": "",
            }
            for i in range(2000)
        ],
        answers={str(i): "true" for i in range(1399)},
    )
    _score, _max, percent, passed, _results = grade_attempt(fake)
    assert percent == Decimal("69.9") and not passed  # 69.95 % is not shown as 70 %


def test_after_the_last_attempt_needs_a_limit(course):
    from django.core.exceptions import ValidationError

    quiz = QuizPage(
        title="X",
        slug="x",
        questions=every_type(),
        max_attempts=None,
        review=QuizPage.Review.AFTER_LAST,
    )
    with pytest.raises(ValidationError) as error:
        quiz.clean()
    assert "review" in error.value.message_dict


def test_after_the_last_lesson_mein_lernen_offers_no_finished_lesson(
    client, enrolled, quiz, course
):
    for lesson in lessons_of(course):
        lesson_complete(user=enrolled, lesson=lesson)
    home = client.get("/").content.decode()
    assert "Weiter mit" not in home
    page = client.get(course.url).content.decode()
    assert 'id="quiz-link"' in page and "Zum Test „Abschlusstest“" in page
