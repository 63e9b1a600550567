"""Issued certificates and the ZIP archives HR download them in."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.codes import code_display, code_new
from lms.builds import BuildStatus
from lms.storage import private_storage


def certificate_upload_to(instance, filename):
    return f"certificates/{instance.created_at:%Y/%m}/{filename}"


class CertificateQuerySet(models.QuerySet):
    """The one place that says, in SQL, which certificates are current, valid on a day or
    superseded, with the same precedence as `status_of` (pending, revoked, superseded, expired).
    The admin, the archives, the reports and the e-mails all ask these methods."""

    def _successor_stands(self) -> Exists:
        # A newer certificate takes this one's place once it is issued and not revoked.
        return Exists(
            Certificate.objects.filter(
                replaces=OuterRef("pk"), sha256__gt="", revoked_at__isnull=True
            )
        )

    def issued(self):
        """The PDF is stored; before that a certificate is pending and certifies nothing."""
        return self.filter(sha256__gt="")

    def pending(self):
        return self.filter(sha256="")

    def revoked(self):
        return self.issued().filter(revoked_at__isnull=False)

    def superseded(self):
        """Issued and not revoked, but an issued, unrevoked successor stands for it."""
        return self.issued().filter(revoked_at__isnull=True).filter(self._successor_stands())

    def not_superseded(self):
        return self.exclude(Q(sha256__gt="", revoked_at__isnull=True) & Q(self._successor_stands()))

    def current(self):
        """The person's proof of the course: issued, not revoked, not superseded. An expired
        one stays current (it still shows the course was done); see `valid_on`."""
        return self.issued().filter(revoked_at__isnull=True).exclude(self._successor_stands())

    def valid_on(self, day):
        """Current and not expired on `day`: the status "valid"."""
        return self.current().filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))

    def expired_on(self, day):
        return self.current().filter(valid_until__lt=day)

    def with_status(self, status: str, day):
        """Those whose `Certificate.status(day)` is `status`."""
        by_status = {
            Certificate.Status.PENDING: self.pending,
            Certificate.Status.REVOKED: self.revoked,
            Certificate.Status.SUPERSEDED: self.superseded,
            Certificate.Status.EXPIRED: lambda: self.expired_on(day),
            Certificate.Status.VALID: lambda: self.valid_on(day),
        }
        return by_status[status]()


class Certificate(models.Model):
    """A certificate for one completion of a course.

    `content` is everything the certificate says, frozen when it is created: renaming the course
    or the person, or editing the template, changes no issued certificate. The PDF is rendered
    from it once and kept with its SHA-256, so an uploaded copy can be compared byte for byte.
    """

    class Kind(models.TextChoices):
        COMPLETION = "completion", _("Completion")
        CORRECTION = "correction", _("Corrected re-issue")

    class Status(models.TextChoices):
        PENDING = "pending", _("Being issued")
        VALID = "valid", _("Valid")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")
        SUPERSEDED = "superseded", _("Superseded")

    code = models.CharField(_("code"), max_length=28, unique=True, default=code_new, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("person"),
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("course"),
    )
    enrolment = models.ForeignKey(
        "courses.Enrolment", on_delete=models.PROTECT, related_name="certificates"
    )
    completed_at = models.DateTimeField(_("completed"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.COMPLETION)
    # The certificate this one takes the place of: the previous one of the same course (renewal)
    # or the one whose name was wrong (correction).
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    template = models.ForeignKey(
        "certificates.CertificateTemplate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("template"),
    )
    template_version = models.PositiveIntegerField(_("template version"))
    language = models.CharField(_("language"), max_length=2)
    content = models.JSONField(_("content"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    pdf = models.FileField(
        _("PDF"), storage=private_storage, upload_to=certificate_upload_to, blank=True
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Exactly one certificate per completion, however often issuing runs.
            models.UniqueConstraint(
                fields=["enrolment", "completed_at"],
                condition=Q(kind="completion"),
                name="certificates_one_per_completion",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoked_reason=""),
                name="certificates_revocation_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "course"]),
            models.Index(fields=["valid_until"]),
        ]

    def __str__(self):
        return self.code_display

    @property
    def code_display(self) -> str:
        return code_display(self.code)

    @property
    def is_issued(self) -> bool:
        return bool(self.sha256)

    def status(self, today=None) -> str:
        """Reads `replaced_by`; lists select it with the certificate (certificates.selectors)."""
        successor = getattr(self, "replaced_by", None)
        return status_of(
            issued=self.is_issued,
            revoked=self.revoked_at is not None,
            # A revoked successor stands for nothing: this one keeps its own status.
            superseded=successor is not None
            and successor.is_issued
            and successor.revoked_at is None,
            valid_until=self.valid_until,
            today=today or timezone.localdate(),
        )


def status_of(*, issued: bool, revoked: bool, superseded: bool, valid_until, today) -> str:
    """Pending until the PDF is stored; then revoked before superseded before expired."""
    if not issued:
        return Certificate.Status.PENDING
    if revoked:
        return Certificate.Status.REVOKED
    if superseded:
        return Certificate.Status.SUPERSEDED
    if valid_until is not None and valid_until < today:
        return Certificate.Status.EXPIRED
    return Certificate.Status.VALID


class CertificateArchive(models.Model):
    """A ZIP of the certificates of one authority (with its units) and course, built for HR."""

    Status = BuildStatus

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    authority = models.ForeignKey(
        "people.Authority", on_delete=models.CASCADE, related_name="+", verbose_name=_("authority")
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="+", verbose_name=_("course")
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    count = models.PositiveIntegerField(default=0)
    file = models.FileField(storage=private_storage, upload_to="archives/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("certificate archive")
        verbose_name_plural = _("certificate archives")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.course} – {self.authority}"
