"""Issuing: exactly one certificate per completion, whatever happens on the way."""

import pytest
from django.core.files.storage import storages
from django.db import transaction

from certificates import services, tasks
from certificates.models import Certificate
from courses.models import Enrolment
from lms.dates import add_months
from tests.certificates.conftest import complete
from tests.courses.conftest import add_course


def stored_files():
    storage = storages["certificates"]
    found = []

    def walk(path):
        dirs, files = storage.listdir(path)
        found.extend(f"{path}/{name}" for name in files)
        for name in dirs:
            walk(f"{path}/{name}" if path else name)

    if storage.exists("certificates"):
        walk("certificates")
    return found


def test_completing_a_course_issues_its_certificate_after_the_commit(
    learner, certified_course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enrolment = complete(learner, certified_course)
        assert not Certificate.objects.exists()  # nothing before the completion is committed
    assert len(callbacks) == 1
    callbacks[0]()
    certificate = Certificate.objects.get()
    assert certificate.user == learner and certificate.enrolment == enrolment
    assert certificate.completed_at == enrolment.completed_at
    assert certificate.status() == Certificate.Status.VALID
    assert certificate.pdf.open("rb").read(5) == b"%PDF-"
    assert len(stored_files()) == 1


def test_a_rolled_back_completion_queues_no_certificate(
    learner, certified_course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                complete(learner, certified_course)
                raise RuntimeError("rollback")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not Certificate.objects.exists()


def test_the_issuing_task_run_twice_leaves_one_certificate_and_one_file(
    learner, certified_course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = complete(learner, certified_course)
    first = Certificate.objects.get()
    tasks.certificate_issue(enrolment.pk, enrolment.completed_at.isoformat())
    tasks.certificate_issue.delay(enrolment.pk, enrolment.completed_at.isoformat())
    again = Certificate.objects.get()
    assert (again.pk, again.sha256, again.code) == (first.pk, first.sha256, first.code)
    assert len(stored_files()) == 1


def test_a_crash_between_rendering_and_saving_is_completed_by_the_next_run(
    learner, certified_course, django_capture_on_commit_callbacks, monkeypatch
):
    storage_class = type(storages["certificates"])
    real_save = storage_class.save

    def crash(self, name, content, **kwargs):
        raise SystemExit("worker killed while storing")

    monkeypatch.setattr(storage_class, "save", crash)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enrolment = complete(learner, certified_course)
    with pytest.raises(SystemExit):
        callbacks[0]()
    pending = Certificate.objects.get()
    assert pending.status() == Certificate.Status.PENDING and not pending.pdf
    assert stored_files() == []

    monkeypatch.setattr(storage_class, "save", real_save)
    tasks.certificate_issue(enrolment.pk, enrolment.completed_at.isoformat())
    issued = Certificate.objects.get()
    assert issued.pk == pending.pk and issued.code == pending.code
    assert issued.status() == Certificate.Status.VALID
    assert len(stored_files()) == 1


def test_a_file_left_by_a_crashed_run_is_replaced_not_duplicated(
    learner, certified_course, django_capture_on_commit_callbacks, monkeypatch
):
    from certificates.models import certificates as certificate_models

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enrolment = complete(learner, certified_course)

    # The file was stored, then the worker died before the row was updated (rolled back).
    real_save = Certificate.save

    def die_after_storing(self, *args, **kwargs):
        if kwargs.get("update_fields") == ["pdf", "sha256", "issued_at"]:
            raise SystemExit("killed after storing")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(certificate_models.Certificate, "save", die_after_storing)
    with pytest.raises(SystemExit):
        callbacks[0]()
    assert len(stored_files()) == 1
    assert not Certificate.objects.get().is_issued

    monkeypatch.setattr(certificate_models.Certificate, "save", real_save)
    services.certificates_reconcile()
    certificate = Certificate.objects.get()
    assert certificate.is_issued
    assert stored_files() == [certificate.pdf.name]
    assert enrolment.pk == certificate.enrolment_id


def test_reconciliation_issues_completions_whose_task_never_ran(
    learner, certified_course, org, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    other = UserFactory(authority=org["hzd"])
    # The broker was down: the queued callbacks never ran.
    with django_capture_on_commit_callbacks(execute=False):
        complete(learner, certified_course)
        complete(other, certified_course)
    assert not Certificate.objects.exists()

    assert services.certificates_reconcile() == {"issued": 2, "stored": 0, "failed": 0}
    assert Certificate.objects.filter(sha256__gt="").count() == 2
    assert services.certificates_reconcile() == {"issued": 0, "stored": 0, "failed": 0}
    assert Certificate.objects.count() == 2


def test_completion_stands_and_reconciliation_issues_when_the_broker_is_down(
    learner, certified_course, django_capture_on_commit_callbacks
):
    """A real publish to a port where no broker listens: the completion is kept."""
    from lms.celery import app

    changes = {
        "task_always_eager": False,
        "broker_url": "redis://127.0.0.1:9/0",
        "broker_connection_retry": False,
        "broker_connection_max_retries": 0,
        "task_publish_retry": False,
    }
    saved = {key: app.conf[key] for key in changes}
    app.conf.update(changes)
    app._pool = None  # connections are made for the broker configured now
    try:
        with django_capture_on_commit_callbacks(execute=True):
            enrolment = complete(learner, certified_course)
    finally:
        app.conf.update(saved)
        app._pool = None
    assert Enrolment.objects.get(pk=enrolment.pk).completed_at is not None
    assert not Certificate.objects.exists()

    services.certificates_reconcile()
    assert Certificate.objects.get().is_issued


def test_a_course_without_template_issues_no_certificate(
    learner, catalog, django_capture_on_commit_callbacks
):
    course = add_course(catalog, title="Ohne Zertifikat", lessons=1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        complete(learner, course)
    assert callbacks == []
    assert services.certificates_reconcile() == {"issued": 0, "stored": 0, "failed": 0}
    assert not Certificate.objects.exists()


def test_what_a_certificate_says_is_frozen_when_it_is_issued(
    learner, certified_course, certificate_template, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complete(learner, certified_course)
    certificate = Certificate.objects.get()
    pdf_before = certificate.pdf.open("rb").read()

    certified_course.title = "Neuer Kurstitel"
    certified_course.save_revision().publish()
    learner.last_name = "Umbenannt"
    learner.save()
    certificate_template.body_de = "Ganz anderer Text für {name}."
    certificate_template.save()

    certificate.refresh_from_db()
    fields = certificate.content["fields"]
    assert fields["name"] == "Anna Lernt"
    assert fields["course"] == "Informationssicherheit am Arbeitsplatz"
    assert "Informationssicherheit am Arbeitsplatz" in certificate.content["body"]
    assert certificate.template_version == 1
    assert certificate_template.version == 2
    assert certificate.pdf.open("rb").read() == pdf_before


def test_validity_runs_from_the_completion_date_by_the_courses_months(
    learner, certified_course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = complete(learner, certified_course)
    certificate = Certificate.objects.get()
    completed = enrolment.completed_at.astimezone().date()
    assert certificate.valid_until == add_months(completed, 12)
    assert certificate.content["fields"]["valid_until"] == certificate.valid_until.isoformat()


def test_unlimited_validity_when_the_course_sets_none(
    learner, catalog, certificate_template, django_capture_on_commit_callbacks
):
    course = add_course(catalog, lessons=1, certificate_template=certificate_template)
    with django_capture_on_commit_callbacks(execute=True):
        complete(learner, course)
    certificate = Certificate.objects.get()
    assert certificate.valid_until is None
    assert "Gültig bis: unbegrenzt" in certificate.content["body"]


def test_an_english_speaking_learner_gets_the_english_text(
    learner, certified_course, django_capture_on_commit_callbacks
):
    learner.preferred_language = "en"
    learner.save()
    with django_capture_on_commit_callbacks(execute=True):
        complete(learner, certified_course)
    certificate = Certificate.objects.get()
    assert certificate.language == "en"
    assert certificate.content["title"] == "Certificate"
    assert certificate.content["body"].startswith("Anna Lernt successfully completed the course")
