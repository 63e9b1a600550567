"""Demo courses, quizzes, assignments, progress and attempts for `manage.py seed_demo`.

Never in production.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from courses.assignments.services import assignment_rule_create
from courses.models import (
    Assignment,
    AssignmentRule,
    CatalogPage,
    CoursePage,
    Enrolment,
    LessonPage,
    QuizAttempt,
    QuizPage,
)
from courses.quizzes import questions as q
from courses.quizzes.services import attempt_save, attempt_start, attempt_submit
from courses.selectors import course_lessons
from courses.services import enrolment_create, lesson_complete, lesson_open
from lms.people.demo import demo_emails
from lms.people.models import Authority, User
from lms.people.selectors import authority_subtree

from .quiz_questions import QUIZZES


def _lesson(heading, text, takeaway=None, notice=None, sections=()):
    body = [("heading", {"text": heading, "level": "h2"}), ("text", text)]
    if notice:
        body.append(("notice", {"kind": "info", "text": notice}))
    if sections:
        body.append(("accordion", {"items": [{"title": t, "content": c} for t, c in sections]}))
    if takeaway:
        body.append(("takeaway", {"text": takeaway}))
    return body


COURSES = [
    {
        "slug": "ozg-grundlagen",
        "title": "Grundlagen des Onlinezugangsgesetzes",
        "summary": "Was das OZG von Bund, Ländern und Kommunen verlangt, wie der Portalverbund "
        "funktioniert und was „Einer für Alle“ für Ihre Behörde bedeutet.",
        "objectives": "<ul><li>Ziele und Pflichten des OZG erklären</li>"
        "<li>Portalverbund und Nutzerkonten einordnen</li>"
        "<li>EfA-Leistungen nachnutzen</li></ul>",
        "target_group": "everyone",
        "duration_minutes": 60,
        "is_mandatory": True,
        "topics": ["OZG", "Digitale Verwaltung"],
        "lessons": [
            (
                "Was regelt das OZG?",
                "<p>Das Onlinezugangsgesetz verpflichtet Bund und Länder, ihre "
                "Verwaltungsleistungen auch elektronisch über Verwaltungsportale anzubieten.</p>",
                "<p>Verwaltungsleistungen müssen digital und über den Portalverbund "
                "erreichbar sein.</p>",
            ),
            (
                "Portalverbund und Nutzerkonto",
                "<p>Die Portale von Bund und Ländern sind zu einem "
                "Portalverbund verknüpft. Bürgerinnen, Bürger und Unternehmen melden sich "
                "mit einem Nutzerkonto an.</p>",
                None,
            ),
            (
                "Einer für Alle (EfA)",
                "<p>Ein Land entwickelt eine Online-Leistung, die anderen "
                "nutzen sie nach. So muss nicht jede Behörde dieselbe Lösung selbst bauen.</p>",
                "<p>EfA heißt: einmal entwickeln, vielfach nachnutzen.</p>",
            ),
            (
                "Das OZG-Änderungsgesetz",
                "<p>Das OZG 2.0 stärkt Ende-zu-Ende-Digitalisierung, "
                "die BundID als zentrales Nutzerkonto und das Once-Only-Prinzip.</p>",
                None,
            ),
        ],
    },
    {
        "slug": "e-akte-praxis",
        "title": "E-Akte in der Praxis",
        "summary": "Vom Posteingang bis zur Aussonderung: wie Sie Vorgänge in der elektronischen "
        "Akte rechtssicher führen.",
        "objectives": "<ul><li>Dokumente dem Aktenplan zuordnen</li>"
        "<li>Vorgänge elektronisch bearbeiten und mitzeichnen</li></ul>",
        "target_group": "caseworkers",
        "duration_minutes": 90,
        "is_mandatory": False,
        "topics": ["E-Akte", "Schriftgut"],
        "lessons": [
            (
                "Warum die E-Akte?",
                "<p>Die elektronische Akte macht Vorgänge orts- und "
                "zeitunabhängig bearbeitbar und nachvollziehbar.</p>",
                None,
            ),
            (
                "Aktenplan und Ablage",
                "<p>Der Aktenplan ordnet jedes Schriftstück einem Aktenzeichen zu.</p>",
                "<p>Ohne Aktenzeichen keine Ablage.</p>",
            ),
            (
                "Dokumente erfassen und scannen",
                "<p>Papierpost wird nach der TR-RESISCAN ersetzend gescannt.</p>",
                None,
            ),
            (
                "Vorgänge bearbeiten und mitzeichnen",
                "<p>Mitzeichnungen laufen als elektronischer Geschäftsgang.</p>",
                None,
            ),
            (
                "Aufbewahrung und Aussonderung",
                "<p>Nach Ablauf der Aufbewahrungsfrist werden "
                "Akten dem Landesarchiv angeboten.</p>",
                None,
            ),
        ],
    },
    {
        "slug": "informationssicherheit",
        "title": "Informationssicherheit am Arbeitsplatz",
        "summary": "Phishing erkennen, sichere Passwörter nutzen, Vorfälle richtig melden – die "
        "jährliche Pflichtschulung für alle Beschäftigten.",
        "objectives": "<ul><li>Phishing-Mails erkennen</li><li>Vorfälle melden</li></ul>",
        "target_group": "everyone",
        "duration_minutes": 30,
        "is_mandatory": True,
        "validity_months": 12,
        "self_enrolment": True,
        "topics": ["Informationssicherheit"],
        "lessons": [
            (
                "Warum Informationssicherheit?",
                "<p>Vertraulichkeit, Integrität und Verfügbarkeit sind die drei Schutzziele.</p>",
                None,
            ),
            (
                "Phishing erkennen",
                "<p>Prüfen Sie Absender, Links und Anhänge, bevor Sie klicken.</p>",
                "<p>Im Zweifel nicht klicken, sondern nachfragen.</p>",
            ),
            (
                "Sichere Passwörter und Zwei-Faktor-Anmeldung",
                "<p>Lange Passphrasen und ein zweiter Faktor schützen Ihr Konto.</p>",
                None,
            ),
            (
                "Vorfälle melden",
                "<p>Melden Sie Verdachtsfälle sofort dem "
                "Informationssicherheitsbeauftragten Ihrer Behörde.</p>",
                None,
            ),
        ],
    },
    {
        "slug": "barrierefreie-dokumente",
        "title": "Barrierefreie Dokumente erstellen",
        "summary": "Wie Sie Word- und PDF-Dokumente so gestalten, dass alle sie lesen können.",
        "objectives": "<ul><li>Überschriften und Alternativtexte richtig setzen</li></ul>",
        "target_group": "everyone",
        "duration_minutes": 45,
        "is_mandatory": False,
        "language": "de",
        "topics": ["Barrierefreiheit"],
        "lessons": [
            (
                "Grundlagen der Barrierefreiheit",
                "<p>Die BITV 2.0 verpflichtet öffentliche Stellen zu barrierefreien Inhalten.</p>",
                None,
            ),
            (
                "Überschriften und Struktur",
                "<p>Nutzen Sie Formatvorlagen statt manueller Formatierung.</p>",
                "<p>Struktur entsteht durch Formatvorlagen.</p>",
            ),
            (
                "Alternativtexte für Bilder",
                "<p>Beschreiben Sie, was ein Bild aussagt, nicht wie es aussieht.</p>",
                None,
            ),
        ],
    },
]


# Final quizzes: every course ends with an "Abschlusstest" mixing the question types.


def _publish(page):
    page.save_revision().publish()
    return page


CATALOG_INTRO_EN = "<p>All courses of the e-government competence and learning centre.</p>"


def _catalog(home_page):
    """The demo catalogue, added below `home_page` (the site's home page) when there is none."""
    catalog = CatalogPage.objects.filter(slug="kurse").first()
    if catalog is None:
        catalog = home_page.add_child(
            instance=CatalogPage(
                title="Kursangebot",
                slug="kurse",
                intro="<p>Alle Kurse des E-Government-Kompetenz- und Lernzentrums.</p>",
                intro_en=CATALOG_INTRO_EN,
            )
        )
        _publish(catalog)
    elif not catalog.intro_en:
        # A catalogue seeded before pages had an English introduction gets the demo's one.
        catalog.intro_en = CATALOG_INTRO_EN
        _publish(catalog)
    from courses.authoring import catalogue_permissions_ensure

    catalogue_permissions_ensure(catalog)
    return catalog


def _course(catalog, spec):
    course = CoursePage.objects.filter(slug=spec["slug"]).first()
    if course is not None:
        return course
    fields = {k: v for k, v in spec.items() if k not in ("lessons", "topics")}
    course = catalog.add_child(instance=CoursePage(**fields))
    course.topics.add(*spec["topics"])
    _publish(course)
    for title, text, takeaway in spec["lessons"]:
        lesson = course.add_child(
            instance=LessonPage(
                title=title,
                body=_lesson(
                    title,
                    text,
                    takeaway=takeaway,
                    notice="<p>Diese Lektion dauert etwa zehn Minuten.</p>",
                    sections=[("Zum Nachlesen", "<p>Weiterführende Hinweise im Intranet.</p>")],
                ),
            )
        )
        _publish(lesson)
    return CoursePage.objects.get(pk=course.pk)


def _quiz(course, spec):
    """The course's final quiz, added after its lessons (also to courses seeded before)."""
    quiz = QuizPage.objects.child_of(course).first()
    if quiz is None:
        quiz = course.add_child(
            instance=QuizPage(
                title="Abschlusstest",
                slug="abschlusstest",
                intro=spec["intro"],
                questions=spec["questions"],
                **spec["settings"],
            )
        )
        _publish(quiz)
    return QuizPage.objects.get(pk=quiz.pk)


def _form_data(questions, right_ids):
    """Posted form data answering these questions: right if their id is in right_ids."""
    data = QueryDict(mutable=True)
    for question in questions:
        right = question["id"] in right_ids
        answer = q.correct_answer(question) if right else q.wrong_answer(question)
        for name, value in q.form_data(question, answer).items():
            data.setlist(name, value if isinstance(value, list) else [value])
    return data


def _right_ids(questions, share):
    """Questions to answer right so that the score is close to, and at most, share of the points."""
    budget = share * sum(Decimal(question["points"]) for question in questions)
    right, scored = set(), Decimal(0)
    for question in questions:
        points = Decimal(question["points"])
        if scored + points <= budget:
            right.add(question["id"])
            scored += points
    return right


# The share of the points a demo attempt scores: at most this, and at most one question (2 points)
# less, which keeps a passed attempt above every demo pass mark and a failed one below.
OUTCOMES = {"passed": Decimal("0.9"), "failed": Decimal("0.4"), "open": Decimal("0.75")}


def _take_quiz(user, quiz, outcome, *, share=None):
    """A demo attempt through the services, once: passed, failed, or open with page 1 saved."""
    if QuizAttempt.objects.filter(user=user, quiz=quiz).exists():
        return None
    attempt = attempt_start(user=user, quiz=quiz)
    right = _right_ids(attempt.questions, share or OUTCOMES[outcome])
    pages = [1] if outcome == "open" else range(1, attempt.page_count + 1)
    for page in pages:
        data = _form_data(attempt.page_questions(page), right)
        attempt = attempt_save(attempt=attempt, page=page, data=data, version=attempt.version)
    if outcome != "open":
        attempt = attempt_submit(attempt=attempt)
    return attempt


def _assign(course, authority, due_on, by, fresh):
    """Demo assignments may lie in the past (overdue), which the admin screen refuses."""
    assignment, created = Assignment.objects.get_or_create(
        course=course, authority=authority, defaults={"due_on": due_on, "created_by": by}
    )
    if not created:
        return  # assigned on an earlier run; since then, enrolments may have moved on
    people = User.objects.filter(authority__in=authority_subtree(authority=authority), pk__in=fresh)
    for person in people:
        enrolment_create(
            user=person,
            course=course,
            source=Enrolment.Source.ASSIGNED,
            due_on=assignment.due_on,
            assignment=assignment,
        )


def _progress(user, course, lessons_done):
    enrolment, _ = enrolment_create(user=user, course=course)
    for lesson in course_lessons(course=course)[:lessons_done]:
        lesson_open(user=user, lesson=lesson)
        lesson_complete(user=user, lesson=lesson)
    return enrolment


def _fresh_demo_people():
    """The ids of the demo's own people who have done nothing yet: new in this run (or
    erased and made again). Everyone else keeps what they did: the seed's progress and
    attempts are a starting point, laid down once, and seeding again never replays them over
    what people did since (left a course, took a quiz), nor touches anyone the seed did not
    create."""
    return set(
        User.objects.filter(email__in=demo_emails())
        .exclude(pk__in=Enrolment.objects.values("user_id"))
        .exclude(pk__in=QuizAttempt.objects.values("user_id"))
        .values_list("pk", flat=True)
    )


@transaction.atomic
def seed_courses(*, home_page):
    catalog = _catalog(home_page)
    courses = {spec["slug"]: _course(catalog, spec) for spec in COURSES}
    quizzes = {slug: _quiz(course, QUIZZES[slug]) for slug, course in courses.items()}
    fresh = _fresh_demo_people()
    admin = User.objects.get(email="admin@demo.example")
    today = timezone.localdate()
    org = {a.abbreviation: a for a in Authority.objects.all()}
    security, ozg, eakte = (
        courses["informationssicherheit"],
        courses["ozg-grundlagen"],
        courses["e-akte-praxis"],
    )
    _assign(security, org["HMdI"], today + timedelta(days=14), admin, fresh)  # due soon
    _assign(security, org["HMdF"], today - timedelta(days=10), admin, fresh)  # overdue
    _assign(ozg, org["RPDA"], today - timedelta(days=5), admin, fresh)  # overdue for Anna
    # Made once: a trainer may have changed or switched off the rule since, and applying it
    # would enrol everyone in the subtree, not only the demo's people.
    if not AssignmentRule.objects.filter(course=eakte, authority=org["HZD"]).exists():
        assignment_rule_create(by=admin, course=eakte, authority=org["HZD"], due_after_days=60)

    anna = User.objects.get(email="anna.lernt@demo.example")
    if anna.pk in fresh:
        _progress(anna, security, 2)
        # Anna's lessons of the OZG course are done; its quiz is left for her to take (the
        # demo journey: fail, retry, pass, course completed). She takes no demo attempts.
        _progress(anna, ozg, len(course_lessons(course=ozg)))
    ben = User.objects.get(email="ben.lernt@demo.example")
    if ben.pk in fresh:
        _progress(ben, security, 4)
        _take_quiz(ben, quizzes["informationssicherheit"], "passed")  # completes the course
    # The other demo learners at varied progress, the same on every run. Who has done every
    # lesson has passed the quiz too; of the others, one has failed it and one is in the middle.
    learners = (
        User.objects.filter(email__in=demo_emails())
        .exclude(email__in=["anna.lernt@demo.example", "ben.lernt@demo.example"])
        .filter(is_superuser=False, groups__isnull=True)
        .order_by("email")
    )
    rotation = [security, ozg, eakte, courses["barrierefreie-dokumente"]]
    pending = ["failed", "open"]
    for i, learner in enumerate(learners):
        course, lessons_done = rotation[i % 4], i % 6
        outcome = None
        if lessons_done >= len(course_lessons(course=course)):
            outcome = "passed"
        elif lessons_done and pending:
            outcome = pending.pop(0)
        if learner.pk not in fresh:
            continue
        _progress(learner, course, lessons_done)
        if outcome:
            share = Decimal(1) - Decimal("0.05") * (i % 3) if outcome == "passed" else None
            _take_quiz(learner, quizzes[course.slug], outcome, share=share)
    return courses
