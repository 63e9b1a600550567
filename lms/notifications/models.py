"""The record of every e-mail notification: claimed before it is sent, so it goes out once."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One e-mail to one person for one occasion (docs/decisions/0009-notifications.md).

    The row is written ("sending") in its own committed transaction before the e-mail is
    handed to the mail server, and the unique constraint lets only one process write it. A row
    left in "sending" means the process died after claiming it: the e-mail may or may not have
    gone out, and it is never sent again. "failed" means the mail server refused it; a later
    sweep may take it over and try again.
    """

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("Course assigned")
        DUE_SOON = "due_soon", _("Course due soon")
        OVERDUE = "overdue", _("Course overdue")
        CERTIFICATE_EXPIRING = "certificate_expiring", _("Certificate expiring")
        HR_DIGEST = "hr_digest", _("Weekly overview of overdue training")

    class Status(models.TextChoices):
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    # What the e-mail is about, e.g. "course-12/round-0/days-3" or "2026-W48": the same
    # occasion is never e-mailed twice to the same person.
    occasion = models.CharField(_("occasion"), max_length=100)
    language = models.CharField(_("language"), max_length=5)
    subject = models.CharField(_("subject"), max_length=255)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "occasion"], name="notifications_once_per_occasion"
            )
        ]
        indexes = [
            # Finding claims left behind by a process that died (few rows, looked for often).
            models.Index(
                fields=["created_at"],
                condition=Q(status="sending"),
                name="notifications_sending",
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.occasion} → {self.user_id}"


# A row in these states belongs to someone: the e-mail went out, or may have.
CLAIMED = (Notification.Status.SENDING, Notification.Status.SENT)
