"""What a careful review found: failures that must stay local, and edge cases of the lifecycle."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from certificates import messages as msg
from certificates import rendering, services
from certificates.archives import certificate_archive_request, certificate_archives_resume
from certificates.models import Certificate, CertificateArchive
from certificates.models.templates import placeholders_check
from courses import messages as course_msg
from courses import services as course_services
from courses.models import Enrolment, QuizAttempt
from tests.certificates.conftest import complete
from tests.courses.conftest import add_course
from tests.factories import UserFactory


@pytest.fixture
def issued(learner, certified_course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complete(learner, certified_course)
    return Certificate.objects.get()


def fail_for(monkeypatch, names):
    """Rendering fails for the certificates of these people, as a broken file store would."""
    real = rendering.certificate_pdf

    def render(*, certificate):
        if certificate.content["fields"]["name"] in names:
            raise rendering.CertificateResourceError("store unreachable")
        return real(certificate=certificate)

    monkeypatch.setattr(rendering, "certificate_pdf", render)


def test_one_certificate_that_cannot_be_rendered_does_not_stop_the_others(
    learner, org, certified_course, django_capture_on_commit_callbacks, monkeypatch
):
    other = UserFactory(first_name="Otto", last_name="Später", authority=org["rpks"])
    with django_capture_on_commit_callbacks(execute=False):
        complete(learner, certified_course)  # older: would block everything behind it
        complete(other, certified_course)
    fail_for(monkeypatch, {"Anna Lernt"})

    result = services.certificates_reconcile()

    assert result == {"issued": 1, "stored": 0, "failed": 2}  # Anna's row, then its PDF again
    assert Certificate.objects.get(user=other).is_issued
    assert not Certificate.objects.get(user=learner).is_issued
    monkeypatch.undo()
    assert services.certificates_reconcile()["stored"] == 1
    assert Certificate.objects.filter(sha256="").count() == 0


def test_a_pdf_stored_by_another_run_meanwhile_is_kept(
    learner, certified_course, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=False):
        complete(learner, certified_course)
    services._certificate_create(
        enrolment=Enrolment.objects.get(user=learner),
        completed_at=Enrolment.objects.get(user=learner).completed_at,
    )
    pending = Certificate.objects.get()
    real = rendering.certificate_pdf
    calls = []

    def render_while_another_run_finishes(*, certificate):
        data = real(certificate=certificate)
        if not calls:
            calls.append(1)
            services.certificate_store_pdf(certificate_id=certificate.pk)  # the other run
        return data

    monkeypatch.setattr(rendering, "certificate_pdf", render_while_another_run_finishes)
    services.certificate_store_pdf(certificate_id=pending.pk)
    certificate = Certificate.objects.get()
    assert certificate.pdf.open("rb").read() and certificate.is_issued
    import hashlib

    assert hashlib.sha256(certificate.pdf.open("rb").read()).hexdigest() == certificate.sha256


@pytest.mark.parametrize("text", ["{name:d}", "{name!r}", "{}", "{0}", "{name.upper}"])
def test_placeholders_with_format_specs_or_positions_are_refused(text):
    with pytest.raises(ValidationError):
        placeholders_check(f"Für {text}")


def test_a_reissue_whose_pdf_fails_leaves_a_pending_certificate_for_the_reconciliation(
    issued, centre_admin, monkeypatch
):
    fail_for(monkeypatch, {"Anna Lernt"})
    new = services.certificate_reissue(certificate=issued, by=centre_admin)
    assert not new.is_issued and new.replaces_id == issued.pk
    issued.refresh_from_db()
    assert issued.status() == Certificate.Status.VALID  # until the new one is stored
    monkeypatch.undo()
    services.certificates_reconcile()
    issued.refresh_from_db()
    assert issued.status() == Certificate.Status.SUPERSEDED


def test_a_revoked_certificate_is_not_reissued(issued, centre_admin):
    services.certificate_revoke(certificate=issued, by=centre_admin, reason="Täuschung")
    with pytest.raises(ValidationError) as error:
        services.certificate_reissue(certificate=issued, by=centre_admin)
    assert error.value.messages == [str(msg.ERROR_REVOKED_NOT_REISSUED)]
    assert Certificate.objects.count() == 1


def test_a_revoked_successor_does_not_supersede(issued, centre_admin):
    new = services.certificate_reissue(certificate=issued, by=centre_admin)
    services.certificate_revoke(certificate=new, by=centre_admin, reason="Falsch berichtigt")
    issued.refresh_from_db()
    assert issued.status() == Certificate.Status.VALID


def test_a_completed_course_cannot_be_left(learner, catalog, certificate_template):
    course = add_course(catalog, lessons=1, certificate_template=certificate_template)
    complete(learner, course)
    with pytest.raises(ValidationError) as error:
        course_services.enrolment_drop(user=learner, course=course)
    assert error.value.messages == [str(course_msg.ERROR_COMPLETED_CANNOT_DROP)]
    assert Enrolment.objects.filter(user=learner, course=course).exists()


def expire_in(certificate, days):
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=timezone.localdate() + timedelta(days=days)
    )


def test_people_who_left_are_not_assigned_the_renewal(issued, learner):
    expire_in(issued, 10)
    learner.is_active = False
    learner.save()
    assert services.certificates_renew_expiring() == 0


def test_a_one_month_certificate_is_renewed_in_its_second_half_not_at_once(
    learner, catalog, certificate_template, django_capture_on_commit_callbacks
):
    course = add_course(
        catalog,
        lessons=1,
        certificate_template=certificate_template,
        validity_months=1,
        is_mandatory=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        complete(learner, course)
    certificate = Certificate.objects.get()
    assert services.certificates_renew_expiring() == 0
    half = certificate.valid_until - timedelta(days=15)
    assert services.certificates_renew_expiring(today=half - timedelta(days=1)) == 0
    assert services.certificates_renew_expiring(today=half) == 1


def test_an_attempt_left_open_is_handed_in_when_the_course_is_renewed(
    learner, certified_course, django_capture_on_commit_callbacks
):
    from courses.quizzes import services as quiz_services
    from courses.quizzes.selectors import quiz_standing
    from tests.courses.quizzes.conftest import add_quiz, answer_page

    quiz = add_quiz(certified_course, max_attempts=3, wait_minutes=0)
    with django_capture_on_commit_callbacks(execute=True):
        complete(learner, certified_course)
        attempt = quiz_services.attempt_start(user=learner, quiz=quiz)
        for page in range(1, attempt.page_count + 1):
            quiz_services.attempt_save(
                attempt=attempt, page=page, data=answer_page(attempt, page), version=attempt.version
            )
            attempt.refresh_from_db()
        quiz_services.attempt_submit(attempt=attempt)
        left_open = quiz_services.attempt_start(user=learner, quiz=quiz)
    certificate = Certificate.objects.get()
    expire_in(certificate, 20)

    assert services.certificates_renew_expiring() == 1

    left_open.refresh_from_db()
    assert left_open.status != QuizAttempt.Status.OPEN
    standing = quiz_standing(quiz=quiz, user=learner)
    assert standing.open_attempt is None and standing.attempts_left == 3


def test_an_archive_request_lost_with_the_broker_is_queued_again(
    hr_innen, learner, issued, certified_course, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the broker was down
        archive = certificate_archive_request(
            by=hr_innen, authority=org["innen"], course=certified_course
        )
    assert archive.status == CertificateArchive.Status.QUEUED
    assert certificate_archives_resume() == 0  # not yet stale

    later = timezone.now() + timedelta(minutes=11)
    assert certificate_archives_resume(now=later) == 1  # eager in tests: built at once
    archive.refresh_from_db()
    assert archive.status == CertificateArchive.Status.READY and archive.count == 1


def test_a_build_whose_worker_died_is_queued_again(
    hr_innen, issued, certified_course, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        archive = certificate_archive_request(
            by=hr_innen, authority=org["innen"], course=certified_course
        )
    started = timezone.now()
    CertificateArchive.objects.filter(pk=archive.pk).update(
        status=CertificateArchive.Status.BUILDING, started_at=started
    )
    assert certificate_archives_resume(now=started + timedelta(minutes=20)) == 0
    assert certificate_archives_resume(now=started + timedelta(hours=1)) == 1
    archive.refresh_from_db()
    assert archive.status == CertificateArchive.Status.READY


HUGE_ID = "9" * 25


def test_a_course_id_no_database_holds_filters_to_nothing_not_an_error(
    client, centre_admin, issued
):
    client.force_login(centre_admin)
    response = client.get(f"/admin/certificates/issued/?course={HUGE_ID}")
    assert response.status_code == 200


@pytest.mark.parametrize("field", ["course", "authority"])
def test_the_archive_form_refuses_ids_no_database_holds(
    client, hr_innen, issued, certified_course, org, field
):
    client.force_login(hr_innen)
    data = {"authority": org["innen"].pk, "course": certified_course.pk, field: HUGE_ID}
    response = client.post("/admin/certificates/archives/", data)
    assert response.status_code == 200
    assert not CertificateArchive.objects.exists()
