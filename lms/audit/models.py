"""The access log: one entry each time a staff role looks at or changes another person's data
(a report, a learning record, a certificate, a ZIP archive of certificates, a people import, an
account, an export of personal data)."""

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
    "archive": _("Archive"),
}

# What was looked at, besides the reports (which record their own slugs: "completion",
# "course", "compliance", "person", "audit").
CERTIFICATE = "certificate"
CERTIFICATE_ARCHIVE = "certificate_archive"
PEOPLE_IMPORT = "people_import"
ACCOUNT = "account"
PERSONAL_DATA = "personal_data"

# The learner's page says in a sentence what happened; these are the entries about something
# other than a report. %(course)s is the course the entry records in its filters.
SENTENCES = {
    ("viewed", CERTIFICATE): _("Viewed your certificate for “%(course)s”"),
    ("downloaded", CERTIFICATE): _("Downloaded your certificate for “%(course)s” as PDF"),
    ("exported", CERTIFICATE_ARCHIVE): _(
        "Put your certificate for “%(course)s” into a ZIP archive of certificates"
    ),
    ("downloaded", CERTIFICATE_ARCHIVE): _(
        "Downloaded a ZIP archive with your certificate for “%(course)s”"
    ),
    ("created", PEOPLE_IMPORT): _("Created your account by importing a list of people"),
    ("changed", PEOPLE_IMPORT): _(
        "Changed your name, authority, personnel number or roles by importing a list of people"
    ),
    ("viewed", ACCOUNT): _("Opened your account in the user administration"),
    ("changed", ACCOUNT): _("Changed your account in the user administration"),
    ("exported", PERSONAL_DATA): _("Requested an export of all your personal data"),
    ("downloaded", PERSONAL_DATA): _("Downloaded the export of all your personal data"),
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
    """Who viewed, printed, exported, downloaded, created or changed what about whom, with
    which filters, and how many rows.

    Append-only, like courses.ProgressEvent: save() refuses to update and delete() refuses.
    Erasure goes through AuditEntryQuerySet.anonymise() (a queryset update), and deleting an
    account sets its links to NULL the same way, keeping `actor_name`.
    """

    class Action(models.TextChoices):
        VIEWED = "viewed", _("Viewed")
        PRINTED = "printed", _("Printed")
        EXPORTED = "exported", _("Exported")
        DOWNLOADED = "downloaded", _("Downloaded")
        CREATED = "created", _("Created")
        CHANGED = "changed", _("Changed")

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
        sentence = SENTENCES.get((self.action, self.report))
        if sentence is not None:
            filters = self.filters if isinstance(self.filters, dict) else {}
            return sentence % {"course": filters.get("course") or values["report"]}
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
