"""Seeds the stack's database for the fault scenarios; run in the stack's environment:

    python -m bench.faults.seed < SPEC_JSON  →  prints the ids and URLs as JSON

SPEC_JSON: {"password": "...", "courses": {"<name>": <number of learners>, ...}}. One authority,
learners with one shared password hash (hashing is the slow part of creating people), one
published course per name with a certificate template and a two-page true/false quiz (every
statement is true), each learner enrolled in their scenario's course.
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
QUESTIONS = 8
PER_PAGE = 4


def seed(spec):
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from certificates.demo import seed_certificate_templates
    from courses.demo import _catalog, _publish
    from courses.demo.quiz_questions import _true_false
    from courses.models import CoursePage, QuizPage
    from courses.services import enrolment_create
    from home.models import HomePage
    from lms.people.models import AuthorityKind, User
    from lms.people.services import authority_create, users_create_many

    # Guards against seeding anything but a throw-away database of tests/stack.py.
    if not connection.settings_dict["NAME"].startswith("lms_faults"):
        raise SystemExit(f"refusing to seed {connection.settings_dict['NAME']}")
    ministry = authority_create(
        name="Ministerium für Ausfälle", abbreviation="MFA-F", kind="ministry"
    )
    authority = authority_create(
        name="Amt für Wiederanlauf",
        abbreviation="AWA-F",
        kind=AuthorityKind.AUTHORITY,
        parent=ministry,
    )
    template = next(iter(seed_certificate_templates().values()))
    catalog = _catalog(HomePage.objects.first())
    password = make_password(spec["password"])
    result = {"courses": {}}
    for name, count in spec["courses"].items():
        course = catalog.add_child(
            instance=CoursePage(
                title=f"Wiederanlauf: {name}",
                slug=f"faults-{name}",
                summary="Kurs der Ausfalltests.",
                duration_minutes=30,
                validity_months=12,
                certificate_template=template,
            )
        )
        _publish(course)
        quiz = course.add_child(
            instance=QuizPage(
                title="Abschlusstest",
                slug="abschlusstest",
                questions=[
                    _true_false(f"Aussage {number} ist wahr.", True)
                    for number in range(1, QUESTIONS + 1)
                ],
                pass_mark=70,
                max_attempts=None,
                questions_per_page=PER_PAGE,
                shuffle_questions=False,
            )
        )
        _publish(quiz)
        course = CoursePage.objects.get(pk=course.pk)
        quiz = QuizPage.objects.get(pk=quiz.pk)
        people = users_create_many(
            people=[
                {
                    "email": f"{name}-{index:04d}@faults.example",
                    "first_name": "Lernende",
                    "last_name": f"{name} {index}",
                    "authority": authority,
                }
                for index in range(count)
            ]
        )
        ids = [person.pk for person in people]
        User.objects.filter(pk__in=ids).update(password=password)
        EmailAddress.objects.filter(user_id__in=ids).update(verified=True)
        for person in User.objects.filter(pk__in=ids):
            enrolment_create(user=person, course=course)
        result["courses"][name] = {
            "course_id": course.pk,
            "quiz_id": quiz.pk,
            "quiz_url": quiz.url,
            "learners": [person.email for person in people],
        }
    return result


def main():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.production")
    import django

    django.setup()
    print(json.dumps(seed(json.load(sys.stdin))))


if __name__ == "__main__":
    main()
