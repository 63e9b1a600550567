import copy
import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from certificates.models import Certificate, CertificateSignature, CertificateTemplate
from courses.models import (
    Assignment,
    AssignmentRule,
    CatalogPage,
    CoursePage,
    Enrolment,
    LessonPage,
    QuizPage,
)
from courses.services import enrolment_create
from home.models import HomePage
from lms.people.models import Authority, AuthorityKind, User
from lms.people.roles import ROLE_GROUP_NAMES, Role
from lms.people.services import authority_create, user_move, user_set_roles

DEFAULT_PASSWORD = "correct-horse-battery-9"


class AuthorityFactory(factory.Factory):
    """Builds nodes through the service so the tree stays consistent."""

    class Meta:
        model = Authority

    name = factory.Sequence(lambda n: f"Behörde {n}")
    abbreviation = factory.Sequence(lambda n: f"B{n}")
    kind = AuthorityKind.MINISTRY
    parent = None

    @classmethod
    def _create(cls, model_class, *, parent=None, **kwargs):
        if parent is not None and "kind" not in kwargs:
            kwargs["kind"] = AuthorityKind.AUTHORITY
        return authority_create(parent=parent, **kwargs)

    @classmethod
    def _build(cls, model_class, *, parent=None, **kwargs):
        return model_class(**kwargs)


def ministry(**kwargs):
    return AuthorityFactory(kind=AuthorityKind.MINISTRY, **kwargs)


def authority_under(parent, **kwargs):
    kind = AuthorityKind.UNIT if parent.kind != AuthorityKind.MINISTRY else AuthorityKind.AUTHORITY
    return AuthorityFactory(parent=parent, kind=kwargs.pop("kind", kind), **kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@verwaltung.example")
    first_name = factory.Sequence(lambda n: f"Vorname{n}")
    last_name = factory.Sequence(lambda n: f"Nachname{n}")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @classmethod
    def _create(cls, model_class, *args, authority=None, roles=(), hr_scopes=None, **kwargs):
        user = super()._create(model_class, *args, **kwargs)
        if authority is not None:
            user_move(user=user, authority=authority)
        if roles:
            user_set_roles(user=user, roles=roles, hr_scopes=hr_scopes)
        return user

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """Record the person's address with allauth, verified unless verified=False is passed."""
        if create:
            from allauth.account.models import EmailAddress

            obj.save()
            EmailAddress.objects.update_or_create(
                user=obj,
                email=obj.email,
                defaults={"verified": extracted is not False, "primary": True},
            )


def role_group(role: Role) -> Group:
    return Group.objects.get(name=ROLE_GROUP_NAMES[role])


def person_form_data(person, **changes):
    """The admin's person form as a browser sends it back for this person, with changes."""
    return {
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "preferred_language": "de",
        "authority": person.authority_id or "",
        "personnel_number": person.personnel_number,
        "is_active": "on",
        "groups": list(person.groups.values_list("pk", flat=True)),
        "hr_scopes": list(person.hr_scopes.values_list("authority_id", flat=True)),
        **changes,
    }


# Learning content. Pages are added below their parent as the admin adds them, and published
# with a revision (publish=False leaves a draft that was never live).


class PageFactory(factory.Factory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *, parent, publish=True, **kwargs):
        page = parent.add_child(instance=model_class(live=publish, **kwargs))
        revision = page.save_revision()
        if publish:
            revision.publish()
        page.refresh_from_db()
        return page

    @classmethod
    def _build(cls, model_class, *, parent=None, publish=True, **kwargs):
        return model_class(**kwargs)


class CatalogPageFactory(PageFactory):
    """The course catalogue, below the site's home page unless a parent is given."""

    class Meta:
        model = CatalogPage

    title = "Kurse"
    parent = factory.LazyFunction(lambda: HomePage.objects.first())


class CoursePageFactory(PageFactory):
    """A course; lessons=N adds N live lessons "Lektion 1".. with a text each."""

    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"Kurs {n}")
    summary = "Arbeiten mit der elektronischen Akte."
    duration_minutes = 45
    parent = factory.SubFactory(CatalogPageFactory)

    @factory.post_generation
    def lessons(course, create, extracted, **kwargs):
        for number in range(1, (extracted or 0) + 1):
            LessonPageFactory(
                parent=course, title=f"Lektion {number}", body=lesson_body(f"Inhalt {number}")
            )


def lesson_body(*paragraphs):
    """A lesson's body (StreamField data): one text block per paragraph."""
    return [("text", f"<p>{text}</p>") for text in paragraphs]


class LessonPageFactory(PageFactory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"Lektion {n}")
    body = factory.LazyAttribute(lambda lesson: lesson_body(f"Inhalt von {lesson.title}"))
    parent = factory.SubFactory(CoursePageFactory)


# One question of every type the quiz offers (courses/quizzes/blocks.py), 1 point each; the key
# is in the data: correct options, "accepted_answers", "answer", items and pairs in order.
QUESTION_TYPES = (
    "single_choice",
    "multiple_choice",
    "true_false",
    "short_text",
    "number",
    "ordering",
    "matching",
)
_QUESTIONS = {
    "single_choice": {
        "prompt": "Wofür steht OZG?",
        "points": Decimal(1),
        "options": [
            {"text": "Onlinezugangsgesetz", "correct": True},
            {"text": "Ordnungszuständigkeitsgesetz", "correct": False},
            {"text": "Organisationszentralgesetz", "correct": False},
        ],
    },
    "multiple_choice": {
        "prompt": "Welche sind Vertrauensniveaus der eID?",
        "points": Decimal(1),
        "partial_credit": True,
        "options": [
            {"text": "substanziell", "correct": True},
            {"text": "hoch", "correct": True},
            {"text": "egal", "correct": False},
        ],
    },
    "true_false": {
        "prompt": "Die E-Akte ist in der Landesverwaltung Pflicht.",
        "points": 1,
        "correct": True,
    },
    "short_text": {
        "prompt": "Wie heißt das Gesetz über den Zugang zu Verwaltungsleistungen?",
        "points": Decimal(1),
        "accepted_answers": ["Onlinezugangsgesetz", "OZG"],
    },
    "number": {
        "prompt": "Wie viele Tage hat die Widerspruchsfrist?",
        "points": Decimal(1),
        "answer": Decimal(30),
        "tolerance": Decimal(0),
        "unit": "Tage",
    },
    "ordering": {
        "prompt": "Bringen Sie die Schritte in die richtige Reihenfolge.",
        "points": Decimal(1),
        "items": ["Eingang", "Prüfung", "Bescheid", "Ablage"],
    },
    "matching": {
        "prompt": "Welche Stelle ist wofür zuständig?",
        "points": Decimal(1),
        "pairs": [
            {"left": "BSI", "right": "Informationssicherheit"},
            {"left": "FITKO", "right": "Föderale IT"},
            {"left": "HZD", "right": "Rechenzentrum"},
        ],
    },
}


def quiz_question(block_type, **changes):
    """One valid question of this block type as StreamField data; `changes` replace fields."""
    return (block_type, {**copy.deepcopy(_QUESTIONS[block_type]), **changes})


def quiz_questions(*block_types):
    """Questions for QuizPage.questions, one per block type given (none given: every type)."""
    return [quiz_question(block_type) for block_type in block_types or QUESTION_TYPES]


class QuizPageFactory(PageFactory):
    """A quiz at the end of its course; by default one question of every type."""

    class Meta:
        model = QuizPage

    title = "Abschlusstest"
    questions = factory.LazyFunction(quiz_questions)
    pass_mark = 70
    max_attempts = 3
    questions_per_page = 4
    parent = factory.SubFactory(CoursePageFactory)


# What happens with learning items.


class EnrolmentFactory(factory.Factory):
    """An enrolment made by the service, so the event log has it as reports replay it;
    completed_at= then marks it complete (100 %) without going through the lessons."""

    class Meta:
        model = Enrolment

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CoursePageFactory, lessons=1)
    source = Enrolment.Source.SELF
    due_on = None

    @classmethod
    def _create(cls, model_class, *, completed_at=None, **kwargs):
        enrolment, _created = enrolment_create(**kwargs)
        if completed_at is not None:
            model_class.objects.filter(pk=enrolment.pk).update(
                completed_at=completed_at, progress_percent=100
            )
            enrolment.refresh_from_db()
        return enrolment


def _in_days(days):
    return factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=days))


class AssignmentFactory(factory.django.DjangoModelFactory):
    """The assignment row alone: nobody is enrolled by it (that is the service's work)."""

    class Meta:
        model = Assignment

    course = factory.SubFactory(CoursePageFactory, lessons=1)
    authority = factory.SubFactory(AuthorityFactory)
    due_on = _in_days(30)
    created_by = factory.SubFactory(UserFactory)


class AssignmentRuleFactory(factory.django.DjangoModelFactory):
    """The rule row alone: nobody is enrolled by it (that is the service's work)."""

    class Meta:
        model = AssignmentRule

    course = factory.SubFactory(CoursePageFactory, lessons=1)
    authority = factory.SubFactory(AuthorityFactory)
    due_after_days = 30
    recurrence_months = None
    active = True
    created_by = factory.SubFactory(UserFactory)


class CertificateTemplateFactory(factory.django.DjangoModelFactory):
    """A template with German and English texts and signatures, given as (name, function)."""

    class Meta:
        model = CertificateTemplate

    name = factory.Sequence(lambda n: f"Vorlage {n}")
    issuer = "E-Government-Kompetenz- und Lernzentrum"
    title_de = "Zertifikat"
    body_de = "{name} hat am {date} den Kurs „{course}“ ({duration}) erfolgreich abgeschlossen."
    title_en = "Certificate"
    body_en = "{name} successfully completed the course “{course}” ({duration}) on {date}."
    signatures = (("Dr. Maria Beispiel", "Leiterin des Lernzentrums"),)

    @classmethod
    def _create(cls, model_class, *, signatures=(), **kwargs):
        # Saved once: every further save raises the template's version.
        template = model_class(**kwargs)
        template.signatures = [
            CertificateSignature(name=name, function=function) for name, function in signatures
        ]
        template.save()
        return template


class CertificateFactory(factory.django.DjangoModelFactory):
    """A certificate row for a completed enrolment, as issuing leaves it but without a PDF;
    revoked=True revokes it."""

    class Meta:
        model = Certificate

    class Params:
        revoked = factory.Trait(
            revoked_at=factory.LazyFunction(timezone.now), revoked_reason="Fehler"
        )

    enrolment = factory.SubFactory(
        EnrolmentFactory, completed_at=factory.LazyFunction(timezone.now)
    )
    user = factory.SelfAttribute("enrolment.user")
    course = factory.SelfAttribute("enrolment.course")
    completed_at = factory.SelfAttribute("enrolment.completed_at")
    issued_at = factory.SelfAttribute("completed_at")
    kind = Certificate.Kind.COMPLETION
    template_version = 1
    language = "de"
    content = factory.LazyFunction(dict)
    valid_until = None
    sha256 = "a" * 64
