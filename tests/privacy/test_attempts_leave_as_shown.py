"""A quiz attempt leaves the server only as the learner saw it: every registered export, the
admin's person export, the learner's pages, the person record and e-mails carry the questions
and the answers given, never the key or feedback, until the quiz's review policy shows them."""

import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from courses.models import QuizAttempt, QuizPage
from courses.quizzes.services import attempt_save, attempt_start, attempt_submit
from courses.services import enrolment_create
from lms.personal_data.registry import registry
from lms.privacy.exports import person_data
from lms.privacy.models import DataExport
from tests.courses.conftest import add_course
from tests.courses.quizzes.conftest import add_quiz, answer_page
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Review = QuizPage.Review

# Texts that only the key and the feedback hold: none may leave before the review.
FEEDBACK = [
    "ANMERKUNG-EINFACH",
    "LOB-EINFACH",
    "TADEL-EINFACH",
    "ANMERKUNG-MEHRFACH",
    "LOB-MEHRFACH",
    "TADEL-MEHRFACH",
    "ANMERKUNG-WAHR",
    "LOB-WAHR",
    "TADEL-WAHR",
    "ANMERKUNG-TEXT",
    "ANMERKUNG-ZAHL",
    "ANMERKUNG-REIHE",
    "ANMERKUNG-PAARE",
]
KEY_TEXTS = ["ZUGANGSGESETZ-GEHEIM", "OZG-GEHEIM", "47113", "0.375", "0,375"]
# Names under which a snapshot or a review carries the key, feedback or per-question results.
SECRET_NAMES = {
    "correct",
    "accepted",
    "tolerance",
    "value",
    "correct_order",
    "pairs",
    "feedback",
    "feedback_true",
    "feedback_false",
    "correct_answer",
    "results",
}


def secret_questions():
    """One question of every type; every key and feedback text is recognisable."""
    return [
        (
            "single_choice",
            {
                "prompt": "Wofür steht OZG?",
                "points": Decimal(1),
                "feedback": "ANMERKUNG-EINFACH",
                "options": [
                    {"text": "Onlinezugangsgesetz", "correct": True, "feedback": "LOB-EINFACH"},
                    {
                        "text": "Ordnungszuständigkeitsgesetz",
                        "correct": False,
                        "feedback": "TADEL-EINFACH",
                    },
                ],
            },
        ),
        (
            "multiple_choice",
            {
                "prompt": "Welche sind Vertrauensniveaus der eID?",
                "points": Decimal(1),
                "partial_credit": True,
                "feedback": "ANMERKUNG-MEHRFACH",
                "options": [
                    {"text": "substanziell", "correct": True, "feedback": "LOB-MEHRFACH-1"},
                    {"text": "hoch", "correct": True, "feedback": "LOB-MEHRFACH-2"},
                    {"text": "egal", "correct": False, "feedback": "TADEL-MEHRFACH"},
                ],
            },
        ),
        (
            "true_false",
            {
                "prompt": "Die E-Akte ist Pflicht.",
                "points": Decimal(1),
                "correct": True,
                "feedback": "ANMERKUNG-WAHR",
                "feedback_true": "LOB-WAHR",
                "feedback_false": "TADEL-WAHR",
            },
        ),
        (
            "short_text",
            {
                "prompt": "Wie heißt das Gesetz?",
                "points": Decimal(1),
                "feedback": "ANMERKUNG-TEXT",
                "accepted_answers": ["ZUGANGSGESETZ-GEHEIM", "OZG-GEHEIM"],
            },
        ),
        (
            "number",
            {
                "prompt": "Wie viele Vorgänge?",
                "points": Decimal(1),
                "feedback": "ANMERKUNG-ZAHL",
                "answer": Decimal(47113),
                "tolerance": Decimal("0.375"),
                "unit": "Vorgänge",
            },
        ),
        (
            "ordering",
            {
                "prompt": "Bringen Sie die Schritte in die richtige Reihenfolge.",
                "points": Decimal(1),
                "feedback": "ANMERKUNG-REIHE",
                "items": ["Eingang", "Prüfung", "Bescheid", "Ablage"],
            },
        ),
        (
            "matching",
            {
                "prompt": "Welche Stelle ist wofür zuständig?",
                "points": Decimal(1),
                "feedback": "ANMERKUNG-PAARE",
                "pairs": [
                    {"left": "BSI", "right": "Informationssicherheit"},
                    {"left": "FITKO", "right": "Föderale IT"},
                    {"left": "HZD", "right": "Rechenzentrum"},
                ],
            },
        ),
    ]


@pytest.fixture
def learner(org, catalog):
    person = UserFactory(
        authority=org["rpda"], first_name="Annabell", last_name="Zaunkoenig", roles=[]
    )
    return person


def quiz_for(catalog, learner, review) -> QuizPage:
    course = add_course(catalog, title=f"Onlinezugang {review}")
    quiz = add_quiz(course, secret_questions(), review=review, max_attempts=3)
    enrolment_create(user=learner, course=course)
    return quiz


def answered_wrong(learner, quiz, *, submit) -> QuizAttempt:
    attempt = attempt_start(user=learner, quiz=quiz)
    for page in range(1, attempt.page_count + 1):
        attempt = attempt_save(
            attempt=attempt,
            page=page,
            data=answer_page(attempt, page, right=False),
            version=attempt.version,
        )
    if submit:
        attempt = attempt_submit(attempt=attempt)
        assert attempt.passed is False
    return attempt


def walk(value):
    """Every (name, value) pair in nested dicts and lists, and every value itself."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield name, item
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield None, item
            yield from walk(item)


def key_shapes(attempt):
    """The key in the shapes a dump would carry it: orders and pairs of option keys."""
    orders, pairs = [], []
    for question in attempt.questions:
        if question["type"] == "ordering":
            orders.append(question["correct_order"])
        if question["type"] == "matching":
            pairs.extend(question["pairs"].items())
    return orders, pairs


def leaks_in_text(text) -> list[str]:
    return [marker for marker in [*FEEDBACK, *KEY_TEXTS] if marker in text]


def leaks_in_data(data, attempt) -> list[str]:
    """What of the key a JSON structure holds: secret names, the correct order, right pairs."""
    found = leaks_in_text(json.dumps(data, default=str, ensure_ascii=False))
    orders, pairs = key_shapes(attempt)
    for name, value in walk(data):
        if name in SECRET_NAMES:
            found.append(f"field {name!r}")
        if isinstance(value, list) and value in orders:
            found.append("correct order")
        if isinstance(value, dict) and any(value.get(left) == right for left, right in pairs):
            found.append("right pair")
    return found


def zip_texts(client, export) -> dict[str, str]:
    response = client.get(reverse("privacy:data_export_download", args=[export.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return {name: archive.read(name).decode("utf-8", "replace") for name in archive.namelist()}


def requested_export(client, by, person, capture) -> dict[str, str]:
    client.force_login(by)
    url = (
        reverse("privacy:my_data")
        if by == person
        else reverse("privacy_person_export", args=[person.pk])
    )
    with capture(execute=True):
        assert client.post(url).status_code == 302
    export = DataExport.objects.filter(person=person).first()
    assert export.status == DataExport.Status.READY
    return zip_texts(client, export)


HIDING = [Review.SCORE_ONLY, Review.AFTER_PASS, Review.AFTER_LAST]


@pytest.fixture(params=["open", *HIDING])
def hidden_attempt(request, catalog, learner):
    """An attempt whose key the learner may not see: open, or submitted (failed) under a
    review policy that hides the key so far."""
    review = Review.AFTER_EACH if request.param == "open" else request.param
    quiz = quiz_for(catalog, learner, review)
    return answered_wrong(learner, quiz, submit=request.param != "open")


def test_no_registered_export_holds_the_key(hidden_attempt, learner):
    data = person_data(person=learner)
    assert set(data["records"]) == {d.label for d in registry.declarations}
    for label, record in data["records"].items():
        assert leaks_in_data(record, hidden_attempt) == [], label
    attempts = data["records"]["courses.QuizAttempt"]["rows"]
    assert len(attempts) == 1
    # What the learner saw and answered is there.
    everything = json.dumps(attempts, default=str, ensure_ascii=False)
    for shown in ("Wofür steht OZG?", "Ordnungszuständigkeitsgesetz", "keine Ahnung", "Eingang"):
        assert shown in everything


@pytest.mark.parametrize("requester", ["learner", "centre_admin"])
def test_the_zip_holds_no_key(
    client, hidden_attempt, learner, centre_admin, requester, django_capture_on_commit_callbacks
):
    by = learner if requester == "learner" else centre_admin
    files = requested_export(client, by, learner, django_capture_on_commit_callbacks)
    assert leaks_in_data(json.loads(files["data.json"]), hidden_attempt) == []
    for name, text in files.items():
        assert leaks_in_text(text) == [], name


def test_the_learners_pages_hold_no_key(client, hidden_attempt, learner):
    client.force_login(learner)
    attempt = hidden_attempt
    urls = [attempt.quiz.url]
    if attempt.is_open:
        urls += [
            reverse("courses:attempt_page", args=[attempt.pk, page])
            for page in range(1, attempt.page_count + 1)
        ]
        urls.append(reverse("courses:attempt_summary", args=[attempt.pk]))
    else:
        urls.append(reverse("courses:attempt_result", args=[attempt.pk]))
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert leaks_in_text(response.content.decode()) == [], url


def test_the_person_record_and_e_mails_hold_no_key(client, hidden_attempt, learner, centre_admin):
    client.force_login(centre_admin)
    response = client.get(reverse("reports_person", args=[learner.pk]))
    assert response.status_code == 200
    assert leaks_in_text(response.content.decode()) == []
    for message in mail.outbox:
        bodies = [
            message.subject,
            message.body,
            *(c for c, _ in getattr(message, "alternatives", [])),
        ]
        assert leaks_in_text("\n".join(bodies)) == [], message.subject


def test_the_export_shows_the_key_once_the_review_allows_it(
    client, catalog, learner, django_capture_on_commit_callbacks
):
    quiz = quiz_for(catalog, learner, Review.AFTER_EACH)
    answered_wrong(learner, quiz, submit=True)
    files = requested_export(client, learner, learner, django_capture_on_commit_callbacks)
    (attempt,) = json.loads(files["data.json"])["records"]["courses.QuizAttempt"]["rows"]
    assert attempt["review_shown"] is True
    text = json.dumps(attempt, ensure_ascii=False)
    for shown in ("ANMERKUNG-EINFACH", "TADEL-EINFACH", "TADEL-WAHR", "OZG-GEHEIM", "47113"):
        assert shown in text
    by_type = {question["type"]: question for question in attempt["questions"]}
    assert by_type["single_choice"]["correct_answer_in_words"] == ["Onlinezugangsgesetz"]
    assert "BSI → Informationssicherheit" in by_type["matching"]["correct_answer_in_words"]
    assert by_type["true_false"]["correct"] is False
    summaries = [text for name, text in files.items() if name.endswith(".html")]
    assert summaries and "ANMERKUNG-PAARE" in summaries[0]


def test_the_key_of_a_failed_attempt_shows_once_the_last_attempt_is_used(catalog, learner):
    quiz = quiz_for(catalog, learner, Review.AFTER_LAST)
    quiz.max_attempts = 1
    quiz.save_revision().publish()
    answered_wrong(learner, quiz, submit=True)
    (attempt,) = person_data(person=learner)["records"]["courses.QuizAttempt"]["rows"]
    assert attempt["review_shown"] is True
    assert "ANMERKUNG-ZAHL" in json.dumps(attempt, default=str, ensure_ascii=False)
