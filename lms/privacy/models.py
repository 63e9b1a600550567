"""Exports of a person's data (Art. 15 GDPR), built as ZIP files in private storage."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.builds import BuildStatus
from lms.storage import private_storage


class DataExport(models.Model):
    """One ZIP of everything the platform holds about `person`, asked for by `requested_by`
    (the person themselves or a centre admin). Deleted with its file after a week."""

    Status = BuildStatus

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="data_exports",
        verbose_name=_("person"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to="data-exports/%Y/%m/", blank=True
    )

    # Not stored: set by lms.privacy.exports.data_export_request when a request got this
    # existing export instead of a new one.
    reused = False

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.person_id} {self.created_at:%Y-%m-%d %H:%M}"


class RetentionRun(models.Model):
    """How far the retention job has deleted a model's rows: everything dated before
    `deleted_before` may be gone. Reports of past days read it to know which days the
    progress event log can no longer replay (lms.reports.selectors)."""

    model_label = models.CharField(_("data"), max_length=100, unique=True)
    deleted_before = models.DateTimeField(_("rows deleted before"))
    ran_at = models.DateTimeField(_("last deletion"), default=timezone.now)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self):
        return f"{self.model_label} < {self.deleted_before:%Y-%m-%d %H:%M}"
