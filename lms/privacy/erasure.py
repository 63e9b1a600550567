"""Art. 17 GDPR: erase a person's data at their request, by a centre admin.

What the registry declares about the person is deleted or anonymised in one transaction, except
the learning records (`KEPT_FOR_REPORTS`): they stay attached to the anonymised account, so the
reports' figures of the past stay right; their own retention period deletes them later.
Certificates are revoked and lose the name, so a verification says only "revoked". Files go
from storage after the commit. Who erased whom is in Wagtail's log, without the person's name.

Certificates, the access log and the account are changed by the services of the apps that own
them; the other rows as the owning apps declared them in the registry (delete or anonymise).
"""

import logging
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from wagtail.log_actions import log

from certificates.services import certificates_anonymise_for
from lms.audit.services import audit_person_anonymise
from lms.people.services import person_anonymise
from lms.personal_data.registry import Erasure, registry

from . import messages as msg

logger = logging.getLogger(__name__)

ERASE_ACTION = "lms.person_erased"

# Proof of training that reports count: kept, linked to the anonymised account.
KEPT_FOR_REPORTS = {
    "courses.Enrolment",
    "courses.LessonProgress",
    "courses.ProgressEvent",
    "courses.QuizAttempt",
    "people.AuthorityMembership",
}
# Handled by their own step below.
HANDLED = {"people.User", "certificates.Certificate", "audit.AuditEntry"}


def erased_email(person) -> str:
    return f"deleted-{person.pk}@invalid"


def is_erased(person) -> bool:
    return person.email == erased_email(person)


@dataclass
class _Files:
    """Files to delete once the transaction is committed (a rollback keeps them)."""

    names: list = field(default_factory=list)

    def collect(self, obj) -> None:
        for f in obj._meta.concrete_fields:
            if isinstance(f, models.FileField):
                value = getattr(obj, f.attname)
                if value:
                    self.names.append((value.storage, value.name))

    def delete_after_commit(self) -> None:
        names = list(self.names)

        def delete_files():
            for storage, name in names:
                try:
                    storage.delete(name)
                except OSError:
                    logger.exception("Erasure: file %s could not be deleted", name)

        transaction.on_commit(delete_files)


def rows_delete(queryset, files: _Files) -> int:
    """Delete the rows and (after the commit) their files; returns how many rows."""
    has_files = any(isinstance(f, models.FileField) for f in queryset.model._meta.concrete_fields)
    if has_files:
        for obj in queryset.iterator():
            files.collect(obj)
    return queryset.delete()[0]


def _direct_person_fields(declaration):
    return [f for f in declaration.person_fields() if f.null]


def _sessions_end(person) -> None:
    pk = str(person.pk)
    ended = [
        s.session_key
        for s in Session.objects.iterator()
        if str(s.get_decoded().get("_auth_user_id")) == pk
    ]
    Session.objects.filter(session_key__in=ended).delete()


def _require_centre_admin(by) -> None:
    if not (by.is_authenticated and by.is_active and by.is_centre_admin):
        raise PermissionDenied(msg.ERROR_ERASE_NOT_ALLOWED)


def person_erase(*, person, by) -> bool:
    """Erase the person's data; False (and nothing done) when it was erased before.

    Raises PermissionDenied for anyone but a centre admin, ValidationError for oneself.
    """
    _require_centre_admin(by)
    if person.pk == by.pk:
        raise ValidationError(msg.ERROR_ERASE_SELF)
    with transaction.atomic():
        person = get_user_model().objects.select_for_update().get(pk=person.pk)
        if is_erased(person):
            return False
        files = _Files()
        # The apps that own these rows change them; the registry's declarations cover the rest.
        files.names += certificates_anonymise_for(
            person=person, by=by, name=msg.ERASED_NAME, reason=msg.ERASED_REASON
        )
        audit_person_anonymise(person=person)
        for declaration in registry.declarations:
            if declaration.label in KEPT_FOR_REPORTS | HANDLED:
                continue
            rows = declaration.rows_of(person)
            if declaration.erasure == Erasure.DELETE:
                rows_delete(rows, files)
            else:
                for f in _direct_person_fields(declaration):
                    declaration.model._default_manager.filter(**{f.name: person.pk}).update(
                        **{f.name: None}
                    )
        _sessions_end(person)
        person_anonymise(person=person, name=msg.ERASED_NAME, email=erased_email(person))
        log(instance=person, action=ERASE_ACTION, user=by)
        files.delete_after_commit()
    return True
