"""The access log: one entry per view, print or export of a report about people."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from lms.people.roles import Role

FILTER_SEPARATOR = " · "

# Labels for filter names that reports record as keys ({"course": "…"}); a report that records
# its form's labels as keys ({"Kurs": "…"}) is shown as it recorded them.
FILTER_LABELS = {
    "course": _("Course"),
    "authority": _("Authority"),
    "status": _("Status"),
    "due": _("Due"),
    "as_of": _("As of"),
    "actor": _("Who"),
    "report": _("Report"),
    "action": _("Action"),
    "occurred_at": _("Date"),
}


class AuditEntryQuerySet(models.QuerySet):
    def anonymise(self, *, person=None) -> int:
        """Remove the traces of people from these entries and keep the entries.

        The privacy erasure's one way to change the append-only log: a queryset update, which
        never runs AuditEntry.save(). With `person`, only that person's traces go (as the one
        who looked, or the one looked at); without, everyone's (entries past their retention).
        Returns the number of entries changed.
        """
        actor_cleared = {"actor": None, "actor_name": "", "actor_role": ""}
        if person is None:
            return self.update(subject=None, **actor_cleared)
        as_actor = self.filter(actor=person).update(**actor_cleared)
        as_subject = self.filter(subject=person).update(subject=None)
        return as_actor + as_subject


class AuditEntry(models.Model):
    """Who viewed, printed or exported which report, with which filters, and how many rows.

    Append-only, like courses.ProgressEvent: save() refuses to update and delete() refuses.
    Erasure goes through AuditEntryQuerySet.anonymise() (a queryset update), and deleting an
    account sets its links to NULL the same way, keeping `actor_name`.
    """

    class Action(models.TextChoices):
        VIEWED = "viewed", _("Viewed")
        PRINTED = "printed", _("Printed")
        EXPORTED = "exported", _("Exported")

    class ExportFormat(models.TextChoices):
        NONE = "", _("None")
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    # The roles under which people look at reports about others.
    class ActorRole(models.TextChoices):
        NONE = "", _("None")
        HR = Role.HR.value, Role.HR.label
        CENTRE_ADMIN = Role.CENTRE_ADMIN.value, Role.CENTRE_ADMIN.label

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accessing person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    # Kept when the account goes, so the log still says who it was.
    actor_name = models.CharField(_("name of the accessing person"), max_length=300, blank=True)
    # The role at the time: it may change, the entry may not.
    actor_role = models.CharField(
        _("role of the accessing person"), max_length=10, choices=ActorRole.choices, blank=True
    )
    occurred_at = models.DateTimeField(_("time of access"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    report = models.CharField(_("report"), max_length=50)
    report_title = models.CharField(_("report title"), max_length=255, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    export_format = models.CharField(
        _("export format"), max_length=4, choices=ExportFormat.choices, blank=True, default=""
    )
    # The person whose learning record it was (the person-record report); empty for lists.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person concerned"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            # The learner's page: the entries about one person, newest first.
            models.Index(fields=["subject", "occurred_at"]),
            # The admin's filter by report and its list of reports.
            models.Index(fields=["report", "occurred_at"]),
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.report}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Access log entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Access log entries are append-only.")

    def what_text(self) -> str:
        """What happened, in a sentence: "Exported “Learning record” as XLSX"."""
        values = {"report": self.report_title or self.report}
        if self.action == self.Action.EXPORTED and self.export_format:
            values["format"] = self.get_export_format_display()
            return _("Exported “%(report)s” as %(format)s") % values
        sentences = {
            self.Action.VIEWED: _("Viewed “%(report)s”"),
            self.Action.PRINTED: _("Printed “%(report)s”"),
            self.Action.EXPORTED: _("Exported “%(report)s”"),
        }
        return sentences.get(self.action, self.get_action_display()) % values

    def filters_text(self) -> str:
        """The filters as a line, e.g. "Course: Informationssicherheit · Authority: HMdI"."""
        if not isinstance(self.filters, dict):
            return str(self.filters or "")
        return FILTER_SEPARATOR.join(
            f"{capfirst(FILTER_LABELS.get(name, name))}: {value}"
            for name, value in self.filters.items()
        )
