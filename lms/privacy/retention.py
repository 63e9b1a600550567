"""The daily retention job: rows past their retention period are deleted or anonymised, as the
registry declares (`Declaration.expired_rows`, the same rule the processing-activities page
shows).

Conservative on purpose:
- Accounts (`people.User`) are never deleted here: an account is erased with `person_erase`,
  which keeps the learning records for the reports; an expired account is logged for review.
- DELETE: rows go with their files (after the commit). A row that other data still protects
  (an enrolment with a certificate kept longer) stays until that data is gone.
- Each model whose rows were deleted records up to when (RetentionRun), so that the reports
  of past days can say which days they can no longer show completely.
- ANONYMISE: the nullable links to the person are cleared; a declaration whose link cannot be
  cleared (a certificate's holder) is left alone and logged.
"""

import logging
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone

from lms.audit.models import AuditEntry
from lms.audit.services import audit_entries_anonymise
from lms.personal_data.registry import Erasure, registry

from .erasure import _Files, rows_delete
from .models import RetentionRun

logger = logging.getLogger(__name__)

BATCH = 1000


def _delete_expired(declaration, now) -> int:
    files = _Files()
    try:
        with transaction.atomic():
            deleted = rows_delete(declaration.expired_rows(now=now), files)
            files.delete_after_commit()
            return deleted
    except (ProtectedError, RestrictedError):
        pass
    # Some rows are protected: delete the others one by one.
    deleted = skipped = 0
    for pk in declaration.expired_rows(now=now).values_list("pk", flat=True)[:BATCH]:
        files = _Files()
        try:
            with transaction.atomic():
                deleted += rows_delete(declaration.model._default_manager.filter(pk=pk), files)
                files.delete_after_commit()
        except (ProtectedError, RestrictedError):
            skipped += 1
    if skipped:
        logger.info("Retention: %s rows of %s still protected", skipped, declaration.label)
    return deleted


@transaction.atomic
def _anonymise_expired(declaration, now) -> int:
    if declaration.model is AuditEntry:
        # The access log is append-only; its own service removes the traces.
        return audit_entries_anonymise(entries=declaration.expired_rows(now=now))
    fields = declaration.person_fields()
    if not fields or any(not f.null for f in fields):
        if declaration.expired_rows(now=now).exists():
            logger.warning("Retention: %s cannot be anonymised here", declaration.label)
        return 0
    changed = 0
    for f in fields:
        changed += (
            declaration.expired_rows(now=now)
            .filter(**{f"{f.name}__isnull": False})
            .update(**{f.name: None})
        )
    return changed


def _deleted_before_record(declaration, now) -> None:
    """Remember up to when rows of this model are gone (never moving backwards)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=declaration.retention.days())
    run, created = RetentionRun.objects.get_or_create(
        model_label=declaration.label, defaults={"deleted_before": cutoff, "ran_at": now}
    )
    if not created and cutoff > run.deleted_before:
        run.deleted_before, run.ran_at = cutoff, now
        run.save(update_fields=["deleted_before", "ran_at"])


def retention_deleted_before(*, model) -> datetime | None:
    """The time before which the retention job has deleted rows of `model` (a model class);
    None while it has deleted none. Rows dated later are all still there."""
    run = RetentionRun.objects.filter(model_label=model._meta.label).first()
    return run.deleted_before if run is not None else None


def retention_apply(*, now=None) -> dict[str, int]:
    """Apply every declaration's retention; returns the rows changed per model label."""
    user_model = get_user_model()
    done = {}
    for declaration in registry.declarations:
        if declaration.retention.setting is None:
            continue
        if declaration.model is user_model:
            due = declaration.expired_rows(now=now).filter(is_active=True).count()
            if due:
                logger.warning("Retention: %s accounts are past their retention period", due)
            continue
        if declaration.erasure == Erasure.DELETE:
            count = _delete_expired(declaration, now)
            if count:
                _deleted_before_record(declaration, now)
        else:
            count = _anonymise_expired(declaration, now)
        if count:
            done[declaration.label] = count
    return done
