"""Forms take the fields they show and nothing else: fields a person adds to a POST by hand
(a score, another person's id, a role, an authority, certificate data) change nothing."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate, CertificateArchive
from courses.assignments.services import assignment_rule_create
from courses.models import Assignment, AssignmentRule, Enrolment, QuizAttempt
from courses.quizzes.services import attempt_start
from courses.services import enrolment_create
from lms.people.models import HRScope, User
from lms.people.roles import Role
from lms.privacy.models import DataExport
from tests.courses.conftest import add_course
from tests.courses.quizzes.conftest import add_quiz, answer_page
from tests.factories import UserFactory, person_form_data, role_group
from tests.reports.conftest import certificate_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def stranger(org):
    """Someone of another ministry whose id is slipped into the forms."""
    return UserFactory(authority=org["hzd"], last_name="Fremd")


def hand_added(stranger, org):
    """Fields no form of the platform shows, with values that would grant or fake something."""
    later = (timezone.localdate() + timedelta(days=400)).isoformat()
    return {
        "user": stranger.pk,
        "user_id": stranger.pk,
        "person": stranger.pk,
        "person_id": stranger.pk,
        "requested_by": stranger.pk,
        "created_by": stranger.pk,
        "authority": org["hzd"].pk,
        "authority_id": org["hzd"].pk,
        "is_staff": "on",
        "is_superuser": "on",
        "is_active": "on",
        "role": Role.CENTRE_ADMIN,
        "roles": Role.CENTRE_ADMIN,
        "groups": role_group(Role.HR).pk,
        "hr_scopes": org["innen"].pk,
        "user_permissions": "1",
        "status": "ready",
        "score": "100",
        "percent": "100",
        "passed": "on",
        "completed_at": timezone.now().isoformat(),
        "progress_percent": "100",
        "source": Enrolment.Source.ASSIGNED,
        "certificate": "1",
        "code": "0" * 28,
        "valid_until": later,
        "sha256": "f" * 64,
        "file": "../../etc/passwd",
        "count": "999",
    }


def row(model, pk):
    return model.objects.filter(pk=pk).values().get()


# --- Learners ---------------------------------------------------------------------------------


@pytest.fixture
def quiz(course):
    return add_quiz(course)


@pytest.fixture
def attempt(learner_client, learner, quiz):
    return attempt_start(user=learner, quiz=quiz)


def test_saving_a_quiz_page_stores_the_answers_and_nothing_else(
    learner_client, learner, attempt, stranger, org
):
    data = {**hand_added(stranger, org), **answer_page(attempt, 1).dict()}
    data.update(version=attempt.version, action="next")
    learner_client.post(reverse("courses:attempt_page", args=[attempt.pk, 1]), data)
    attempt.refresh_from_db()
    assert attempt.user == learner
    assert attempt.status == QuizAttempt.Status.OPEN
    assert (attempt.score, attempt.percent, attempt.passed) == (None, None, None)
    assert set(attempt.answers) == {q["id"] for q in attempt.page_questions(1)}
    assert not QuizAttempt.objects.filter(user=stranger).exists()


def test_submitting_a_quiz_with_a_claimed_score_grades_the_real_answers(
    learner_client, learner, attempt, stranger, org, course
):
    learner_client.post(
        reverse("courses:attempt_summary", args=[attempt.pk]), hand_added(stranger, org)
    )
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.SUBMITTED
    assert attempt.user == learner
    assert attempt.score == 0 and attempt.passed is False
    assert Enrolment.objects.get(user=learner, course=course).completed_at is None
    assert not Certificate.objects.exists()


def test_enrolling_with_another_persons_id_enrols_only_oneself(client, org, catalog, stranger):
    learner = UserFactory(authority=org["rpda"])
    course = add_course(catalog, title="Freiwilliger Kurs", lessons=1)
    client.force_login(learner)
    client.post(reverse("courses:enrol", args=[course.pk]), hand_added(stranger, org))
    enrolment = Enrolment.objects.get(course=course)
    assert enrolment.user == learner
    assert enrolment.source == Enrolment.Source.SELF
    assert (enrolment.due_on, enrolment.completed_at, enrolment.progress_percent) == (None, None, 0)


def test_switching_the_language_changes_only_the_language(client, learner, stranger, org):
    client.force_login(learner)
    before = row(User, learner.pk)
    data = {
        **hand_added(stranger, org),
        "email": "neu@verwaltung.example",
        "first_name": "Neu",
        "personnel_number": "PN-GEKAPERT",
        "language": "en",
        "next": "/",
    }
    client.post(reverse("language_set"), data)
    assert row(User, learner.pk) == {**before, "preferred_language": "en"}
    assert not learner.groups.exists()


def test_asking_for_a_data_export_exports_only_oneself(client, learner, stranger, org):
    client.force_login(learner)
    client.post(reverse("privacy:my_data"), hand_added(stranger, org))
    export = DataExport.objects.get()
    assert (export.person, export.requested_by) == (learner, learner)
    assert export.status == DataExport.Status.QUEUED and not export.file


def test_signing_up_with_role_fields_gives_no_rights(client, settings, stranger, org):
    settings.ACCOUNT_SIGNUP_DOMAINS = ["verwaltung.example"]
    password = "lange-sichere-passphrase-42"
    data = {
        **hand_added(stranger, org),
        "email": "neuling@verwaltung.example",
        "password1": password,
        "password2": password,
        "personnel_number": "PN-GEKAPERT",
    }
    client.post("/accounts/signup/", data)
    person = User.objects.get(email="neuling@verwaltung.example")
    assert not (person.is_superuser or person.is_staff)
    assert not person.groups.exists() and not person.user_permissions.exists()
    assert person.authority is None and person.personnel_number == ""


# --- Staff ------------------------------------------------------------------------------------


@pytest.fixture
def colleague(org):
    """A person in the interior ministry's scope."""
    return UserFactory(authority=org["rpda"], first_name="Carla", last_name="Kollegin")


def test_hr_posting_the_person_form_changes_nobody(client, hr_innen, colleague, org):
    client.force_login(hr_innen)
    for person in (colleague, hr_innen):
        before = row(User, person.pk)
        data = person_form_data(
            person, first_name="Geändert", is_superuser="on", groups=[role_group(Role.HR).pk]
        )
        client.post(reverse("wagtailusers_users:edit", args=[person.pk]), data)
        assert row(User, person.pk) == before
    assert list(colleague.groups.all()) == []
    assert list(hr_innen.groups.values_list("name", flat=True)) == ["HR-Koordination"]


def test_the_person_form_ignores_fields_it_does_not_show(client, centre_admin, colleague):
    client.force_login(centre_admin)
    before = row(User, colleague.pk)
    data = person_form_data(
        colleague,
        first_name="Carlotta",
        is_staff="on",
        date_joined="2000-01-01 00:00",
        last_login="2000-01-01 00:00",
        password="md5$x$0000",
        user_permissions=["1", "2"],
    )
    response = client.post(reverse("wagtailusers_users:edit", args=[colleague.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    assert row(User, colleague.pk) == {**before, "first_name": "Carlotta"}
    assert not colleague.user_permissions.exists()


@pytest.fixture
def live_course(catalog):
    return add_course(catalog, title="Pflichtkurs Datenschutz", lessons=1)


def test_assigning_a_course_records_the_assigner_not_a_posted_one(
    client, hr_innen, colleague, live_course, stranger, org
):
    client.force_login(hr_innen)
    data = {
        **hand_added(stranger, org),
        "course": live_course.pk,
        "due_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "authority": "",
        "people": [colleague.pk],
        "created_at": "2000-01-01",
        "confirm": "1",
    }
    client.post(reverse("courses_assignments:add"), data)
    assignment = Assignment.objects.get()
    assert assignment.created_by == hr_innen and assignment.authority is None
    assert list(Enrolment.objects.values_list("user", "source", "completed_at")) == [
        (colleague.pk, Enrolment.Source.ASSIGNED, None)
    ]


def test_a_new_rule_records_its_creator_and_is_active(client, hr_innen, live_course, stranger, org):
    client.force_login(hr_innen)
    data = {
        **hand_added(stranger, org),
        "course": live_course.pk,
        "authority": org["rpda"].pk,
        "due_after_days": "30",
        "recurrence_months": "",
        "active": "",
        "confirm": "1",
    }
    client.post(reverse("courses_assignment_rules:add"), data)
    rule = AssignmentRule.objects.get()
    assert (rule.created_by, rule.authority, rule.active) == (hr_innen, org["rpda"], True)


def test_editing_a_rule_cannot_move_it_to_another_course_or_authority(
    client, hr_innen, live_course, catalog, stranger, org
):
    rule = assignment_rule_create(
        by=hr_innen, course=live_course, authority=org["rpda"], due_after_days=30
    )
    other_course = add_course(catalog, title="Anderer Kurs", lessons=1)
    client.force_login(hr_innen)
    data = {
        **hand_added(stranger, org),
        "course": other_course.pk,
        "authority": org["hzd"].pk,
        "due_after_days": "14",
        "recurrence_months": "",
        "active": "on",
        "confirm": "1",
    }
    client.post(reverse("courses_assignment_rules:edit", args=[rule.pk]), data)
    rule.refresh_from_db()
    assert (rule.course_id, rule.authority, rule.created_by) == (
        live_course.pk,
        org["rpda"],
        hr_innen,
    )
    assert rule.due_after_days == 14


@pytest.fixture
def certificate(colleague, live_course):
    enrolment, _created = enrolment_create(user=colleague, course=live_course)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        completed_at=timezone.now(), progress_percent=100
    )
    enrolment.refresh_from_db()
    return certificate_for(enrolment, valid_until=timezone.localdate() + timedelta(days=365))


def test_requesting_an_archive_records_the_requester_and_nothing_posted(
    client, hr_innen, certificate, stranger, org
):
    client.force_login(hr_innen)
    data = {
        **hand_added(stranger, org),
        "authority": org["rpda"].pk,
        "course": certificate.course_id,
    }
    client.post(reverse("certificate_archives:index"), data)
    archive = CertificateArchive.objects.get()
    assert archive.requested_by == hr_innen
    assert archive.status == CertificateArchive.Status.QUEUED
    assert archive.count == 0 and not archive.file


def test_revoking_a_certificate_changes_only_the_revocation(
    client, centre_admin, certificate, stranger, org
):
    client.force_login(centre_admin)
    before = row(Certificate, certificate.pk)
    data = {**hand_added(stranger, org), "reason": "Täuschung", "revoked_by": stranger.pk}
    client.post(reverse("issued_certificates:revoke", args=[certificate.pk]), data)
    after = row(Certificate, certificate.pk)
    revocation = {"revoked_at", "revoked_reason", "revoked_by_id"}
    assert {k: v for k, v in after.items() if k not in revocation} == {
        k: v for k, v in before.items() if k not in revocation
    }
    assert (after["revoked_reason"], after["revoked_by_id"]) == ("Täuschung", centre_admin.pk)


def test_an_import_with_extra_columns_grants_nothing(client, hr_innen, org):
    client.force_login(hr_innen)
    csv = (
        "E-Mail;Vorname;Nachname;Behörde;is_superuser;is_staff;groups;hr_scopes\n"
        "importiert@verwaltung.example;Ida;Import;RPDA;1;1;HR-Koordination;HMdF\n"
    ).encode()
    upload = SimpleUploadedFile("leute.csv", csv, content_type="text/csv")
    client.post(reverse("people_import"), {"file": upload})
    person = User.objects.get(email="importiert@verwaltung.example")
    assert not (person.is_superuser or person.is_staff)
    assert not person.groups.exists()
    assert not HRScope.objects.filter(user=person).exists()
    assert person.authority == org["rpda"]
