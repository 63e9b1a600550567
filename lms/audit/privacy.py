"""Personal data of the access log, for the registry in lms.privacy."""

from django.utils.translation import gettext_lazy as _

from lms.personal_data import legal_bases
from lms.personal_data.registry import Category, Erasure, Retention, register

register(
    "audit.AuditEntry",
    category=Category.AUDIT,
    person=["actor", "subject"],
    holds=[
        "actor_name",
        "actor_role",
        "occurred_at",
        "action",
        "report",
        "report_title",
        "filters",
        "row_count",
        "export_format",
    ],
    purpose=_(
        "Record who looked at or changed which data about people (reports, learning records, "
        "certificates and their ZIP archives, people imports, accounts, data exports), so that "
        "centre admins can check that they are used as intended and each person can see who "
        "looked at their data."
    ),
    legal_basis=legal_bases.SECURITY,
    retention=Retention.days_after("access_log", "occurred_at"),
    # The entry stays without the names (AuditEntryQuerySet.anonymise): the log is append-only.
    erasure=Erasure.ANONYMISE,
)
