"""The load test's data, written into the stack's database before Locust starts.

One authority under a ministry, N learners in it who share one password hash (hashed once
with the configured hasher), their HR coordinator with a TOTP authenticator of known secret,
and a mandatory course with a certificate template whose only step is a 16-question quiz of
every question type, assigned to the whole authority.

    python -m bench.load.scenario --learners 200 --out scenario.json

Runs with the dev settings on the stack's database and Redis cache but without its broker or
mail server: the assignment e-mails are rendered here, to the console, instead of queueing
thousands of tasks that would compete with the exam for the worker. What Locust needs
(URLs, passwords, the TOTP secret, the answers by question text) goes to the JSON file.
"""

import argparse
import base64
import json
import os
import secrets
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

AUTHORITY = ("LT", "Lasttest-Behörde")
MINISTRY = ("LT-M", "Ministerium für Lasttests")
COURSE_SLUG = "lasttest-pruefung"
EMAIL = "lernende-{index:05d}@lasttest.example"
HR_EMAIL = "hr@lasttest.example"
# Every FAIL_EVERY-th learner (index % FAIL_EVERY == FAIL_EVERY - 1) answers the questions in
# WRONG_FOR_FAILING wrong and fails; the others answer everything right and pass.
FAIL_EVERY = 10
QUESTIONS_PER_PAGE = 4
PASS_MARK = 70


def _single(prompt, right, *wrong, points=1):
    options = [{"text": right, "correct": True, "feedback": ""}]
    options += [{"text": text, "correct": False, "feedback": ""} for text in wrong]
    return "single_choice", {"prompt": prompt, "points": Decimal(points), "options": options}


def _multiple(prompt, right, wrong, points=2):
    options = [{"text": text, "correct": True, "feedback": ""} for text in right]
    options += [{"text": text, "correct": False, "feedback": ""} for text in wrong]
    value = {"prompt": prompt, "points": Decimal(points), "options": options}
    return "multiple_choice", {**value, "partial_credit": True}


def _true_false(prompt, correct):
    return "true_false", {"prompt": prompt, "points": Decimal(1), "correct": correct}


def _short_text(prompt, *accepted):
    return "short_text", {
        "prompt": prompt,
        "points": Decimal(1),
        "accepted_answers": list(accepted),
    }


def _number(prompt, answer, tolerance=0, unit=""):
    value = {"prompt": prompt, "points": Decimal(1), "answer": Decimal(str(answer))}
    return "number", {**value, "tolerance": Decimal(str(tolerance)), "unit": unit}


def _ordering(prompt, items):
    value = {"prompt": prompt, "points": Decimal(2), "items": list(items)}
    return "ordering", {**value, "partial_credit": True}


def _matching(prompt, pairs):
    value = {"prompt": prompt, "points": Decimal(2)}
    value["pairs"] = [{"left": left, "right": right} for left, right in pairs]
    return "matching", {**value, "partial_credit": True}


# Fictitious exam questions on data protection in an authority, every type at least twice.
QUESTIONS = [
    _single(
        "Wofür steht die Abkürzung DSGVO?",
        "Datenschutz-Grundverordnung",
        "Datensicherheits-Gesamtverordnung",
        "Dienststellen-Grundordnung",
    ),
    _true_false("Eine IP-Adresse kann ein personenbezogenes Datum sein.", True),
    _multiple(
        "Welche Angaben sind personenbezogene Daten?",
        ["Name einer Antragstellerin", "Personalnummer", "Kfz-Kennzeichen einer Privatperson"],
        ["Öffnungszeiten der Behörde", "Aktenplan der Abteilung"],
    ),
    _short_text(
        "Wie heißt die Person, die die Behörde in Datenschutzfragen berät? (Kurzform)", "DSB"
    ),
    _number("Innerhalb wie vieler Stunden ist eine Datenpanne der Aufsicht zu melden?", 72),
    _ordering(
        "Bringen Sie die Schritte nach einer Datenpanne in die richtige Reihenfolge.",
        [
            "Vorfall erkennen",
            "Vorgesetzte und DSB informieren",
            "Risiko bewerten",
            "Aufsichtsbehörde benachrichtigen",
            "Maßnahmen dokumentieren",
        ],
    ),
    _matching(
        "Ordnen Sie die Betroffenenrechte ihrem Inhalt zu.",
        [
            ("Auskunft", "erfahren, welche Daten verarbeitet werden"),
            ("Berichtigung", "falsche Daten korrigieren lassen"),
            ("Löschung", "Daten entfernen lassen"),
            ("Widerspruch", "einer Verarbeitung entgegentreten"),
        ],
    ),
    _single(
        "Was gilt für eine E-Mail mit Gesundheitsdaten an eine externe Stelle?",
        "Sie wird nur verschlüsselt versandt.",
        "Sie darf unverschlüsselt versandt werden, wenn es eilt.",
        "Sie wird in Kopie an alle Beteiligten gesandt.",
    ),
    _true_false("Eine Einwilligung muss nie dokumentiert werden.", False),
    _multiple(
        "Welche Maßnahmen schützen Akten am Arbeitsplatz?",
        ["Bildschirm sperren beim Verlassen", "Akten wegschließen"],
        ["Passwort auf einen Zettel am Monitor schreiben", "Tür offen lassen"],
    ),
    _short_text("Wie heißt das Verzeichnis aller Verarbeitungen einer Behörde? (Kurzform)", "VVT"),
    _number("Bis zu wie viel Prozent des Jahresumsatzes kann ein Bußgeld betragen?", 4, unit="%"),
    _ordering(
        "Bringen Sie die Phasen der Datenverarbeitung in die richtige Reihenfolge.",
        ["Erheben", "Speichern", "Nutzen", "Löschen"],
    ),
    _matching(
        "Ordnen Sie die Schutzziele zu.",
        [
            ("Vertraulichkeit", "nur Befugte sehen die Daten"),
            ("Integrität", "Daten bleiben unverfälscht"),
            ("Verfügbarkeit", "Daten sind bei Bedarf zugänglich"),
        ],
    ),
    _single(
        "Wer ist in der Behörde für die Einhaltung des Datenschutzes verantwortlich?",
        "die Behördenleitung",
        "die oder der Datenschutzbeauftragte allein",
        "die IT-Abteilung",
    ),
    _true_false("Daten dürfen für jeden beliebigen Zweck weiterverwendet werden.", False),
]
# The questions a failing learner answers wrong (by position in QUESTIONS): 10 of 22 points.
WRONG_FOR_FAILING = {0, 2, 5, 6, 8, 9}


def _answers(kind, value):
    """The right and a wrong answer as a learner would give them: by the texts shown."""
    if kind == "single_choice":
        right = next(o["text"] for o in value["options"] if o["correct"])
        wrong = next(o["text"] for o in value["options"] if not o["correct"])
        return right, wrong
    if kind == "multiple_choice":
        right = [o["text"] for o in value["options"] if o["correct"]]
        return right, [o["text"] for o in value["options"] if not o["correct"]]
    if kind == "true_false":
        return ("true", "false") if value["correct"] else ("false", "true")
    if kind == "short_text":
        return value["accepted_answers"][0], "weiß ich nicht"
    if kind == "number":
        return str(value["answer"]), str(value["answer"] + value["tolerance"] + 1)
    if kind == "ordering":
        items = value["items"]
        return items, items[1:] + items[:1]  # every item one place off
    lefts = [pair["left"] for pair in value["pairs"]]
    rights = [pair["right"] for pair in value["pairs"]]
    return dict(zip(lefts, rights, strict=True)), dict(
        zip(lefts, rights[1:] + rights[:1], strict=True)
    )


def answer_sheet():
    """By question text: type, points, the right answer and a wrong one."""
    sheet = {}
    for position, (kind, value) in enumerate(QUESTIONS):
        right, wrong = _answers(kind, value)
        sheet[value["prompt"]] = {
            "type": kind,
            "points": str(value["points"]),
            "right": right,
            "wrong": wrong,
            "wrong_when_failing": position in WRONG_FOR_FAILING,
        }
    return sheet


def planned_scores():
    """The score of a passing and of a failing learner, and the maximum."""
    maximum = sum(value["points"] for _kind, value in QUESTIONS)
    lost = sum(QUESTIONS[position][1]["points"] for position in WRONG_FOR_FAILING)
    assert (maximum - lost) * 100 < maximum * PASS_MARK <= maximum * 100
    return maximum, maximum - lost


def _catalog():
    from courses.authoring import catalogue_permissions_ensure
    from courses.models import CatalogPage
    from home.models import HomePage

    catalog = CatalogPage.objects.filter(slug="kurse").first()
    if catalog is None:
        catalog = HomePage.objects.first().add_child(
            instance=CatalogPage(title="Kursangebot", slug="kurse")
        )
        catalog.save_revision().publish()
    catalogue_permissions_ensure(catalog)
    return catalog


def _certificate_template():
    from certificates.models import CertificateTemplate

    return CertificateTemplate.objects.create(
        name="Lasttest",
        issuer="E-Government-Kompetenz- und Lernzentrum",
        title_de="Zertifikat",
        body_de=(
            "{name} ({authority}) hat am {date} den Kurs „{course}“ ({duration}) erfolgreich "
            "abgeschlossen.\n\nGültig bis: {valid_until}"
        ),
    )


def _course(template):
    from courses.models import CoursePage, QuizPage

    course = _catalog().add_child(
        instance=CoursePage(
            title="Datenschutz-Prüfung (Lasttest)",
            slug=COURSE_SLUG,
            summary="Die jährliche Prüfung zum Datenschutz, für die ganze Behörde zur selben Zeit.",
            duration_minutes=45,
            is_mandatory=True,
            self_enrolment=False,
            validity_months=12,
            certificate_template=template,
        )
    )
    course.save_revision().publish()
    quiz = course.add_child(
        instance=QuizPage(
            title="Abschlussprüfung",
            slug="pruefung",
            questions=QUESTIONS,
            pass_mark=PASS_MARK,
            max_attempts=1,
            time_limit_minutes=60,
            shuffle_questions=True,
            shuffle_options=True,
            questions_per_page=QUESTIONS_PER_PAGE,
            review=QuizPage.Review.SCORE_ONLY,
        )
    )
    quiz.save_revision().publish()
    return CoursePage.objects.get(pk=course.pk), QuizPage.objects.get(pk=quiz.pk)


def _people(*, learners, password):
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP
    from django.contrib.auth.hashers import make_password

    from lms.people.models import AuthorityKind, User
    from lms.people.roles import Role
    from lms.people.services import authority_create, user_create, user_set_roles, users_create_many

    ministry = authority_create(
        name=MINISTRY[1], abbreviation=MINISTRY[0], kind=AuthorityKind.MINISTRY
    )
    authority = authority_create(
        name=AUTHORITY[1], abbreviation=AUTHORITY[0], kind=AuthorityKind.AUTHORITY, parent=ministry
    )
    people = users_create_many(
        people=[
            {
                "email": EMAIL.format(index=index),
                "first_name": f"Lernende {index}",
                "last_name": "Lasttest",
                "authority": authority,
                "personnel_number": f"LT-{index:05d}",
            }
            for index in range(learners)
        ]
    )
    # One hash for everyone: the server still verifies each sign-in with the real hasher, which
    # is what the test measures; hashing N passwords here would only slow the seed.
    password_hash = make_password(password)
    ids = [person.pk for person in people]
    User.objects.filter(pk__in=ids).update(password=password_hash)
    # As if each had set a first password through the reset link, which verifies the address.
    EmailAddress.objects.filter(user_id__in=ids).update(verified=True)

    hr = user_create(
        email=HR_EMAIL,
        first_name="Hanna",
        last_name="Personal",
        authority=authority,
        password=password,
    )
    EmailAddress.objects.filter(user=hr).update(verified=True)
    user_set_roles(user=hr, roles=[Role.HR], hr_scopes=[authority])
    totp_secret = base64.b32encode(secrets.token_bytes(20)).decode()
    TOTP.activate(hr, totp_secret)
    return authority, hr, totp_secret


def seed(*, learners, password):
    from django.db import transaction
    from django.utils import timezone

    from courses.assignments.services import assignment_create
    from courses.signals import course_assigned
    from lms.notifications.receivers import notify_after_commit
    from lms.notifications.services import notifications_send_due
    from lms.routing import routes_forget

    started = time.perf_counter()
    with transaction.atomic():
        authority, hr, totp_secret = _people(learners=learners, password=password)
        course, quiz = _course(_certificate_template())
    people_seconds = time.perf_counter() - started
    # The assignment e-mails go out in one sweep afterwards, as the periodic sweep would send
    # them, instead of one sweep per person right after the commit (minutes for thousands).
    course_assigned.disconnect(notify_after_commit)
    try:
        assignment_create(
            by=hr,
            course=course,
            due_on=timezone.localdate() + timedelta(days=14),
            authority=authority,
        )
    finally:
        course_assigned.connect(notify_after_commit)
    notifications_send_due()
    routes_forget()  # the catalogue and course are new to the servers' route cache
    maximum, failing = planned_scores()
    return {
        "learners": learners,
        "email": EMAIL,
        "password": password,
        "hr_email": HR_EMAIL,
        "hr_totp_secret": totp_secret,
        "authority": AUTHORITY[1],
        "course_id": course.pk,
        "course_title": course.title,
        "quiz_id": quiz.pk,
        "quiz_url": quiz.url,
        "questions": len(QUESTIONS),
        "pages": -(-len(QUESTIONS) // QUESTIONS_PER_PAGE),
        "fail_every": FAIL_EVERY,
        "max_score": str(maximum),
        "failing_score": str(failing),
        "answers": answer_sheet(),
        "seed_people_s": round(people_seconds, 1),
        "seed_s": round(time.perf_counter() - started, 1),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
    import django

    django.setup()
    # A fresh password per run; it only has to pass the password validators' rules.
    password = "Lt-" + secrets.token_urlsafe(12)
    scenario = seed(learners=args.learners, password=password)
    Path(args.out).write_text(json.dumps(scenario, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
