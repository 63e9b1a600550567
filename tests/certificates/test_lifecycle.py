"""Expiry and renewal of mandatory certificates, revocation and corrected re-issues."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from certificates import messages as msg
from certificates import services
from certificates.models import Certificate
from courses import services as course_services
from courses.models import Enrolment, ProgressEvent
from lms.dates import add_months
from tests.certificates.conftest import complete
from tests.courses.conftest import add_course, lessons_of


@pytest.fixture
def issued(learner, certified_course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complete(learner, certified_course)
    return Certificate.objects.get()


def expire_in(certificate, days):
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=timezone.localdate() + timedelta(days=days)
    )


def test_a_mandatory_certificate_about_to_expire_assigns_the_course_again(issued, settings):
    settings.CERTIFICATE_RENEWAL_DAYS = 60
    expire_in(issued, 59)
    assert services.certificates_renew_expiring() == 1
    enrolment = Enrolment.objects.get(pk=issued.enrolment_id)
    assert enrolment.completed_at is None
    assert enrolment.due_on == timezone.localdate() + timedelta(days=59)
    assert enrolment.progress_percent == 0
    assert enrolment.is_assigned
    event = ProgressEvent.objects.filter(kind=ProgressEvent.Kind.ASSIGNED).last()
    assert event.data["renewal"] is True
    # The old certificate stays valid until it expires.
    issued.refresh_from_db()
    assert issued.status() == Certificate.Status.VALID


def test_renewal_happens_once_however_often_the_job_runs(issued):
    expire_in(issued, 10)
    assert services.certificates_renew_expiring() == 1
    assert services.certificates_renew_expiring() == 0
    assert (
        ProgressEvent.objects.filter(kind=ProgressEvent.Kind.ASSIGNED, data__renewal=True).count()
        == 1
    )


def test_certificates_far_from_expiry_are_not_renewed(issued):
    expire_in(issued, 61)
    assert services.certificates_renew_expiring() == 0
    assert Enrolment.objects.get(pk=issued.enrolment_id).completed_at is not None


def test_a_voluntary_course_is_not_renewed(
    learner, catalog, certificate_template, django_capture_on_commit_callbacks
):
    course = add_course(
        catalog, lessons=1, certificate_template=certificate_template, validity_months=12
    )
    with django_capture_on_commit_callbacks(execute=True):
        complete(learner, course)
    expire_in(Certificate.objects.get(), 5)
    assert services.certificates_renew_expiring() == 0


def test_a_revoked_certificate_is_not_renewed(issued, centre_admin):
    services.certificate_revoke(certificate=issued, by=centre_admin, reason="Täuschung")
    expire_in(issued, 5)
    assert services.certificates_renew_expiring() == 0


def test_completing_the_renewed_course_issues_a_certificate_superseding_the_old(
    issued, learner, certified_course, django_capture_on_commit_callbacks
):
    expire_in(issued, 30)
    services.certificates_renew_expiring()
    lesson = lessons_of(certified_course)[0]
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = course_services.lesson_complete(user=learner, lesson=lesson)
    assert enrolment.completed_at is not None
    new = Certificate.objects.exclude(pk=issued.pk).get()
    issued.refresh_from_db()
    assert new.replaces_id == issued.pk
    assert new.status() == Certificate.Status.VALID
    assert issued.status() == Certificate.Status.SUPERSEDED
    assert new.valid_until == add_months(timezone.localdate(), 12)


def test_in_a_renewed_round_lessons_done_before_count_again_only_when_done_again(
    issued, learner, catalog, certificate_template
):
    expire_in(issued, 30)
    services.certificates_renew_expiring()
    enrolment = Enrolment.objects.get(pk=issued.enrolment_id)
    enrolment = course_services.enrolment_refresh(enrolment=enrolment)
    assert enrolment.completed_at is None
    assert enrolment.progress_percent == 0


def test_an_expired_certificate_says_so(issued):
    expire_in(issued, -1)
    issued.refresh_from_db()
    assert issued.status() == Certificate.Status.EXPIRED


def test_a_centre_admin_revokes_with_a_reason(issued, centre_admin):
    services.certificate_revoke(certificate=issued, by=centre_admin, reason="  Falscher Kurs ")
    issued.refresh_from_db()
    assert issued.status() == Certificate.Status.REVOKED
    assert issued.revoked_reason == "Falscher Kurs"
    assert issued.revoked_by == centre_admin


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_revoking_without_a_reason_is_refused(issued, centre_admin, reason):
    with pytest.raises(ValidationError) as error:
        services.certificate_revoke(certificate=issued, by=centre_admin, reason=reason)
    assert error.value.messages == [str(msg.ERROR_REASON_REQUIRED)]
    issued.refresh_from_db()
    assert issued.revoked_at is None


def test_revoking_twice_is_refused_and_keeps_the_first_reason(issued, centre_admin):
    services.certificate_revoke(certificate=issued, by=centre_admin, reason="Erster Grund")
    with pytest.raises(ValidationError):
        services.certificate_revoke(certificate=issued, by=centre_admin, reason="Zweiter Grund")
    issued.refresh_from_db()
    assert issued.revoked_reason == "Erster Grund"


def test_hr_cannot_revoke(issued, hr_innen):
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(certificate=issued, by=hr_innen, reason="Grund")
    issued.refresh_from_db()
    assert issued.revoked_at is None


def test_reissue_after_a_name_correction_supersedes_the_old_certificate(
    issued, learner, centre_admin
):
    learner.last_name = "Lernt-Richtig"
    learner.save()
    new = services.certificate_reissue(certificate=issued, by=centre_admin)
    issued.refresh_from_db()
    assert new.kind == Certificate.Kind.CORRECTION and new.is_issued
    assert new.content["fields"]["name"] == "Anna Lernt-Richtig"
    assert "Anna Lernt-Richtig" in new.content["body"]
    assert new.completed_at == issued.completed_at and new.valid_until == issued.valid_until
    assert new.code != issued.code and new.sha256 != issued.sha256
    assert issued.status() == Certificate.Status.SUPERSEDED
    assert new.status() == Certificate.Status.VALID


def test_a_certificate_is_reissued_once(issued, centre_admin):
    services.certificate_reissue(certificate=issued, by=centre_admin)
    with pytest.raises(ValidationError) as error:
        services.certificate_reissue(certificate=issued, by=centre_admin)
    assert error.value.messages == [str(msg.ERROR_ALREADY_REPLACED)]
    assert Certificate.objects.count() == 2


def test_a_reissued_completion_is_not_issued_again_by_reconciliation(issued, centre_admin):
    services.certificate_reissue(certificate=issued, by=centre_admin)
    assert services.certificates_reconcile() == {"issued": 0, "stored": 0, "failed": 0}
    assert Certificate.objects.count() == 2


def test_a_renewed_round_gives_the_quiz_attempts_afresh_and_needs_a_new_pass(
    learner, certified_course, django_capture_on_commit_callbacks
):
    from courses.quizzes import services as quiz_services
    from courses.quizzes.selectors import quiz_standing
    from tests.courses.quizzes.conftest import add_quiz, answer_page

    quiz = add_quiz(certified_course, max_attempts=1, wait_minutes=0)
    with django_capture_on_commit_callbacks(execute=True):
        complete(learner, certified_course)
        attempt = quiz_services.attempt_start(user=learner, quiz=quiz)
        for page in range(1, attempt.page_count + 1):
            quiz_services.attempt_save(
                attempt=attempt, page=page, data=answer_page(attempt, page), version=attempt.version
            )
            attempt.refresh_from_db()
        quiz_services.attempt_submit(attempt=attempt)
    first = Certificate.objects.get()
    assert quiz_standing(quiz=quiz, user=learner).attempts_left == 0

    expire_in(first, 20)
    services.certificates_renew_expiring()
    standing = quiz_standing(quiz=quiz, user=learner)
    assert standing.attempts_left == 1 and not standing.passed
    enrolment = course_services.enrolment_refresh(
        enrolment=Enrolment.objects.get(pk=first.enrolment_id)
    )
    assert enrolment.completed_at is None
