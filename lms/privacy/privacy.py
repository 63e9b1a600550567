"""Personal data of the privacy app itself, for the registry in lms.privacy."""

from django.utils.translation import gettext_lazy as _

from lms.personal_data import legal_bases
from lms.personal_data.registry import Category, Erasure, Retention, register

register(
    "privacy.DataExport",
    category=Category.ACCOUNTS,
    person="person",
    # Who asked: the person themselves or a centre admin acting on their request.
    holds=["requested_by", "status", "created_at", "file"],
    purpose=_(
        "A ZIP of all data about a person that they (or a centre admin for them) asked for "
        "under Art. 15 GDPR, until it is downloaded."
    ),
    legal_basis=legal_bases.DATA_SUBJECT_RIGHTS,
    # A week, like the certificate archives HR download (the same setting).
    retention=Retention.days_after("data_exports", "created_at"),
    erasure=Erasure.DELETE,
)
