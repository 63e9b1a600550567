"""Writes about certificates: issuing exactly once, storing the PDF, revoking, renewing.

Issuing has two steps, each safe to repeat: `_certificate_create` makes the row (one per
completion, guaranteed by a unique constraint) with everything the certificate says frozen in
`content`; `certificate_store_pdf` renders and stores the PDF under a row lock, and does nothing
once a PDF is stored. A worker dying between the two leaves a row without a PDF, which the next
run or the periodic reconciliation completes.
"""

import hashlib
import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.items import LearningItem
from courses.models import CoursePage, Enrolment
from lms.dates import add_months

from . import messages as msg
from .models import Certificate, CertificateTemplate
from .models.certificates import certificate_upload_to

logger = logging.getLogger(__name__)

CONTENT_SCHEMA = 1
RECONCILE_BATCH = 500


def _language_for(user) -> str:
    return "en" if getattr(user, "preferred_language", "de") == "en" else "de"


def _placeholder_values(fields: dict, language: str) -> dict:
    """The placeholder values as the certificate prints them, in its language."""
    with translation.override(language):
        completed = date.fromisoformat(fields["completed_on"])
        valid_until = fields["valid_until"]
        minutes = fields["duration_minutes"] or 0
        if minutes and minutes % 60 == 0:
            hours = minutes // 60
            duration = ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
        else:
            duration = ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
        return {
            "name": fields["name"],
            "course": fields["course"],
            "date": formats.date_format(completed, "DATE_FORMAT"),
            "duration": duration,
            "authority": fields["authority"],
            "valid_until": (
                formats.date_format(date.fromisoformat(valid_until), "DATE_FORMAT")
                if valid_until
                else _("unlimited")
            ),
        }


def content_build(*, template: CertificateTemplate, fields: dict, language: str) -> dict:
    """What a certificate says: the template's texts filled with `fields`, and its design.

    `fields` holds name, course, completed_on, duration_minutes, authority and valid_until
    (ISO dates or None). The result is JSON, stored with the certificate and embedded in its PDF.
    """
    title, body = template.texts(language)
    signatures = [
        {
            "name": signature.name,
            "function": signature.function,
            "image": signature.image.file.name if signature.image else None,
        }
        for signature in template.signatures.all()[:2]
    ]
    return {
        "schema": CONTENT_SCHEMA,
        "language": language,
        "fields": fields,
        "title": title,
        "body_template": body,
        "body": body.format_map(_placeholder_values(fields, language)),
        "issuer": template.issuer,
        "colour_primary": template.colour_primary,
        "colour_accent": template.colour_accent,
        "logo": template.logo.file.name if template.logo else None,
        "signatures": signatures,
        "template": {"id": template.pk, "name": template.name, "version": template.version},
    }


def content_with_name(content: dict, name: str) -> dict:
    """The same certificate with a corrected name: fields and the filled text change, no more."""
    fields = {**content["fields"], "name": name}
    values = _placeholder_values(fields, content["language"])
    return {**content, "fields": fields, "body": content["body_template"].format_map(values)}


def certificate_sample_content(*, template: CertificateTemplate, language: str) -> dict:
    """Content for a template preview: made-up person and course, nothing stored."""
    today = timezone.localdate()
    fields = {
        "name": "Erika Mustermann",
        "course": _("Basics of the Online Access Act (OZG)")
        if language == "en"
        else ("Grundlagen des Onlinezugangsgesetzes (OZG)"),
        "completed_on": today.isoformat(),
        "duration_minutes": 90,
        "authority": "Regierungspräsidium Darmstadt",
        "valid_until": add_months(today, 12).isoformat(),
    }
    return content_build(template=template, fields=fields, language=language)


def certificate_fields(*, user, item: LearningItem, completed_at) -> dict:
    """What a certificate of this completion says, read from the learning item's interface
    only: any kind of item is certified the same way."""
    completed_on = timezone.localdate(completed_at)
    months = item.item_validity_months
    valid_until = add_months(completed_on, months) if months else None
    return {
        "name": user.get_full_name() or user.email,
        "course": item.item_title,
        "completed_on": completed_on.isoformat(),
        "duration_minutes": item.item_duration_minutes,
        "authority": user.authority.name if user.authority_id else "",
        "valid_until": valid_until.isoformat() if valid_until else None,
    }


def _predecessor(*, user_id, course_id):
    """The newest certificate of this person and course that nothing replaces yet."""
    return (
        Certificate.objects.filter(user_id=user_id, course_id=course_id, replaced_by__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )


@transaction.atomic
def _certificate_create(*, enrolment: Enrolment, completed_at) -> Certificate | None:
    existing = Certificate.objects.filter(
        enrolment=enrolment, completed_at=completed_at, kind=Certificate.Kind.COMPLETION
    ).first()
    if existing is not None:
        return existing
    # The participation still points at a course page (docs/decisions/0027).
    course = CoursePage.objects.select_related("certificate_template").get(pk=enrolment.course_id)
    template = course.item_certificate_template
    if template is None:
        return None
    language = _language_for(enrolment.user)
    fields = certificate_fields(user=enrolment.user, item=course, completed_at=completed_at)
    try:
        with transaction.atomic():
            return Certificate.objects.create(
                user_id=enrolment.user_id,
                course=course,
                enrolment=enrolment,
                completed_at=completed_at,
                replaces=_predecessor(user_id=enrolment.user_id, course_id=course.pk),
                template=template,
                template_version=template.version,
                language=language,
                content=content_build(template=template, fields=fields, language=language),
                valid_until=date.fromisoformat(fields["valid_until"])
                if fields["valid_until"]
                else None,
            )
    except IntegrityError:
        # Another run issued this completion first (theirs is the one), or a re-issue took the
        # predecessor meanwhile (the next run links to the new one).
        existing = Certificate.objects.filter(
            enrolment=enrolment, completed_at=completed_at, kind=Certificate.Kind.COMPLETION
        ).first()
        if existing is None:
            raise
        return existing


def certificate_issue(*, enrolment: Enrolment, completed_at=None) -> Certificate | None:
    """The certificate of this completion, created and stored if it was not yet; None when the
    course issues none or the enrolment is not complete."""
    completed_at = completed_at or enrolment.completed_at
    if completed_at is None:
        return None
    certificate = _certificate_create(enrolment=enrolment, completed_at=completed_at)
    if certificate is None or certificate.is_issued:
        return certificate
    return certificate_store_pdf(certificate_id=certificate.pk)


def certificate_store_pdf(*, certificate_id: int) -> Certificate:
    """Render and store the PDF once.

    Rendering happens outside any transaction (it may take seconds, and SQLite has a single
    write lock). Storing happens under the row lock: a run that finds a PDF stored by another
    meanwhile drops its own rendering; a run that died before its commit may have left a file
    at the same name, which is replaced.
    """
    from .rendering import certificate_pdf

    certificate = Certificate.objects.get(pk=certificate_id)
    if certificate.is_issued:
        return certificate
    data = certificate_pdf(certificate=certificate)
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
        if certificate.is_issued:
            return certificate
        storage = certificate.pdf.storage
        name = certificate_upload_to(certificate, f"{certificate.code}.pdf")
        if storage.exists(name):
            storage.delete(name)
        certificate.pdf.name = storage.save(name, ContentFile(data))
        certificate.sha256 = hashlib.sha256(data).hexdigest()
        certificate.issued_at = timezone.now()
        certificate.save(update_fields=["pdf", "sha256", "issued_at"])
    return certificate


def certificates_reconcile(*, limit: int = RECONCILE_BATCH) -> dict[str, int]:
    """Issue what was missed: completions without their certificate (the broker was down, a
    task was lost) and certificates whose PDF was never stored (a worker died)."""
    missing = (
        Enrolment.objects.filter(
            completed_at__isnull=False, course__certificate_template__isnull=False
        )
        .exclude(
            Exists(
                Certificate.objects.filter(
                    enrolment=OuterRef("pk"),
                    completed_at=OuterRef("completed_at"),
                    kind=Certificate.Kind.COMPLETION,
                )
            )
        )
        .select_related("user__authority")
        .order_by("completed_at")[:limit]
    )
    issued = stored = failed = 0
    for enrolment in missing:
        try:
            if certificate_issue(enrolment=enrolment) is not None:
                issued += 1
        except Exception:
            # One broken certificate must not keep everyone else's from being issued.
            logger.exception("Certificate for enrolment %s could not be issued", enrolment.pk)
            failed += 1
    pending = Certificate.objects.pending().order_by("created_at", "pk")
    for pk in pending.values_list("pk", flat=True)[:limit]:
        try:
            certificate_store_pdf(certificate_id=pk)
            stored += 1
        except Exception:
            logger.exception("PDF of certificate %s could not be stored", pk)
            failed += 1
    return {"issued": issued, "stored": stored, "failed": failed}


def _require_centre_admin(user):
    if not (user.is_active and user.is_superuser):
        raise PermissionDenied(msg.ERROR_NOT_ALLOWED)


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Revoke with a reason; the verification page says so from now on."""
    _require_centre_admin(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(msg.ERROR_REASON_REQUIRED)
    if len(reason) > 500:
        raise ValidationError(msg.ERROR_REASON_TOO_LONG)
    now = timezone.now()
    updated = Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_reason=reason, revoked_by=by
    )
    if not updated:
        raise ValidationError(msg.ERROR_ALREADY_REVOKED)
    certificate.revoked_at, certificate.revoked_reason, certificate.revoked_by = now, reason, by
    return certificate


def certificate_reissue(*, certificate: Certificate, by) -> Certificate:
    """Issue the certificate again with the person's current name, e.g. after a correction.

    Same completion, dates and validity; the old one is then superseded by the new one.
    """
    _require_centre_admin(by)
    with transaction.atomic():
        old = Certificate.objects.select_for_update().select_related("user").get(pk=certificate.pk)
        if not old.is_issued:
            raise ValidationError(msg.ERROR_NOT_ISSUED)
        if old.revoked_at is not None:
            raise ValidationError(msg.ERROR_REVOKED_NOT_REISSUED)
        if Certificate.objects.filter(replaces=old).exists():
            raise ValidationError(msg.ERROR_ALREADY_REPLACED)
        try:
            with transaction.atomic():
                new = Certificate.objects.create(
                    user_id=old.user_id,
                    course_id=old.course_id,
                    enrolment_id=old.enrolment_id,
                    completed_at=old.completed_at,
                    kind=Certificate.Kind.CORRECTION,
                    replaces=old,
                    template_id=old.template_id,
                    template_version=old.template_version,
                    language=old.language,
                    content=content_with_name(
                        old.content, old.user.get_full_name() or old.user.email
                    ),
                    valid_until=old.valid_until,
                )
        except IntegrityError:
            raise ValidationError(msg.ERROR_ALREADY_REPLACED) from None
    try:
        return certificate_store_pdf(certificate_id=new.pk)
    except Exception:
        # The corrected certificate exists; the reconciliation stores its PDF later.
        logger.exception("PDF of re-issued certificate %s could not be stored yet", new.pk)
        return new


def certificates_renew_expiring(*, today: date | None = None) -> int:
    """Assign the course again to people whose mandatory certificate expires soon.

    The new due date is the expiry date. A certificate is renewed once: afterwards its
    enrolment's completion is no longer the one it certifies. Returns how many were renewed.
    """
    from courses.services import enrolment_renew

    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.CERTIFICATE_RENEWAL_DAYS)
    candidates = (
        Certificate.objects.current()
        .filter(
            valid_until__lte=horizon,
            # Not yet renewed: the enrolment's completion is still the certified one.
            enrolment__completed_at=F("completed_at"),
            user__is_active=True,
            course__live=True,
        )
        .filter(Q(course__is_mandatory=True) | ~Q(enrolment__source=Enrolment.Source.SELF))
        .select_related("enrolment", "course")
        .order_by("valid_until", "pk")
    )
    renewed = 0
    for certificate in candidates:
        # A course valid for less than twice the window is renewed in the second half of its
        # validity, not on the day it is completed.
        window = settings.CERTIFICATE_RENEWAL_DAYS
        months = certificate.course.item_validity_months
        if months:
            window = min(window, months * 30 // 2)
        if (certificate.valid_until - today).days > window:
            continue
        if enrolment_renew(
            enrolment=certificate.enrolment, due_on=max(certificate.valid_until, today)
        ):
            renewed += 1
    return renewed


@transaction.atomic
def certificates_anonymise_for(*, person, by, name: str, reason: str) -> list[tuple]:
    """Erasure of a person (lms.privacy.erasure): each of their certificates is revoked with
    `reason` and carries `name` instead of theirs, without its PDF; revocations the person made
    as a centre admin stay, without naming them.

    The hash stays: an old copy of the PDF is still recognised, as revoked. Returns the PDFs as
    (storage, name) pairs for the caller to delete once committed (a rollback keeps them).
    """
    files = []
    for certificate in Certificate.objects.select_for_update().filter(user=person):
        if certificate.revoked_at is None:
            certificate_revoke(certificate=certificate, by=by, reason=reason)
        if certificate.pdf:
            files.append((certificate.pdf.storage, certificate.pdf.name))
        Certificate.objects.filter(pk=certificate.pk).update(
            content=content_with_name(certificate.content, name),
            revoked_reason=reason,
            pdf="",
        )
    Certificate.objects.filter(revoked_by=person).update(revoked_by=None)
    return files
