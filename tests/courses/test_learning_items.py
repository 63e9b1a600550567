"""Learning items: a course answers what assignments, reminders, reports and certificates ask of
it through one interface, and another kind that implements it is certified and reminded alike."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import translation

from certificates.services import certificate_fields
from courses.items import ItemProgress, LearningItem, learning_item_types
from courses.models import CoursePage
from courses.services import enrolment_create, lesson_complete
from lms.notifications.selectors import item_context
from tests.courses.conftest import add_course, lessons_of
from tests.factories import CertificateTemplateFactory, UserFactory

BERLIN = ZoneInfo("Europe/Berlin")


def test_courses_are_the_learning_item_type_today(db):
    assert CoursePage in learning_item_types()


def test_a_course_answers_the_learning_item_questions_from_its_own_fields(catalog):
    template = CertificateTemplateFactory()
    course = add_course(
        catalog,
        title="Datenschutz kompakt",
        certificate_template=template,
        validity_months=24,
        duration_minutes=45,
        is_mandatory=True,
    )
    with translation.override("de"):
        assert str(course.item_kind_label) == "Kurs"
    assert course.item_title == "Datenschutz kompakt"
    assert course.item_learner_url().startswith("http://testserver/")
    assert course.item_learner_url().endswith(f"/{course.slug}/")
    assert course.item_assignable is True
    assert course.item_mandatory is True
    assert course.item_certificate_template == template
    assert course.item_certificate_template_id == template.pk
    assert course.item_validity_months == 24
    assert course.item_duration_minutes == 45


def test_a_course_without_lessons_cannot_be_assigned(catalog):
    assert add_course(catalog, lessons=0).item_assignable is False


def test_a_course_is_complete_by_its_own_rule_once_its_lessons_are_done(catalog):
    course = add_course(catalog, lessons=2)
    person = UserFactory()
    enrolment, _created = enrolment_create(user=person, course=course)
    assert course.item_progress(enrolment=enrolment) == ItemProgress(percent=0, complete=False)
    first, second = lessons_of(course)
    lesson_complete(user=person, lesson=first)
    assert course.item_progress(enrolment=enrolment) == ItemProgress(percent=50, complete=False)
    enrolment = lesson_complete(user=person, lesson=second)
    assert course.item_progress(enrolment=enrolment) == ItemProgress(percent=100, complete=True)
    assert enrolment.completed_at is not None


class Seminar(LearningItem):
    """A second kind, for these tests only: a seminar day, complete once attended.

    Not a page model (that would need a table); it shows that issuing and reminders ask a
    learning item only what the interface offers.
    """

    item_kind_label = "Seminar"

    def __init__(self, title, *, attended):
        self.title = title
        self.attended = attended

    def item_learner_url(self):
        return "http://testserver/seminare/fuehren-in-teilzeit/"

    @property
    def item_assignable(self):
        return True

    @property
    def item_validity_months(self):
        return 36

    @property
    def item_duration_minutes(self):
        return 480

    def item_progress(self, *, enrolment):
        return ItemProgress(percent=100 if self.attended else 0, complete=self.attended)


def test_another_kind_of_item_is_certified_with_its_own_title_duration_and_validity(db):
    seminar = Seminar("Führen in Teilzeit", attended=True)
    person = UserFactory(first_name="Erika", last_name="Muster")
    completed_at = datetime(2026, 1, 31, 15, 0, tzinfo=BERLIN)
    fields = certificate_fields(user=person, item=seminar, completed_at=completed_at)
    assert fields["course"] == "Führen in Teilzeit"
    assert fields["name"] == "Erika Muster"
    assert fields["duration_minutes"] == 480
    assert fields["completed_on"] == "2026-01-31"
    assert fields["valid_until"] == "2029-01-31"


def test_an_item_without_validity_issues_certificates_that_do_not_expire(db):
    class Workshop(Seminar):
        @property
        def item_validity_months(self):
            return None

    fields = certificate_fields(
        user=UserFactory(),
        item=Workshop("Barrierefreie Dokumente", attended=True),
        completed_at=datetime(2026, 3, 1, 9, 0, tzinfo=BERLIN),
    )
    assert fields["valid_until"] is None


def test_reminders_about_another_kind_link_to_it_and_name_it(db):
    context = item_context(Seminar("Führen in Teilzeit", attended=False), due_on=None)
    assert context["course"].item_title == "Führen in Teilzeit"
    assert context["course_url"] == "http://testserver/seminare/fuehren-in-teilzeit/"
