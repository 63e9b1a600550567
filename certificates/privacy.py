"""Personal data of the certificates app, for the registry in lms.privacy."""

from django.utils.translation import gettext_lazy as _

from lms.personal_data import legal_bases
from lms.personal_data.registry import Category, Erasure, Retention, register

register(
    "certificates.Certificate",
    category=Category.LEARNING,
    person=["user", "revoked_by"],
    holds=[
        "course",
        "enrolment",
        "completed_at",
        "content",
        "valid_until",
        "issued_at",
        "pdf",
        "sha256",
        "revoked_at",
        "revoked_reason",
        "language",
        "code",
    ],
    purpose=_(
        "Certify a completed course to the learner, their HR coordinators and anyone the learner "
        "shows it to (public verification of name, course, dates and status by its code)."
    ),
    legal_basis=legal_bases.TRAINING,
    retention=Retention.days_after("certificates", "completed_at"),
    # The row stays, revoked as "erased", so a verification says no more than that.
    erasure=Erasure.ANONYMISE,
)
register(
    "certificates.CertificateArchive",
    category=Category.STAFF_WORK,
    person="requested_by",
    holds=["authority", "course", "file", "count", "created_at"],
    purpose=_("A ZIP of certificates an HR coordinator asked for, until they download it."),
    legal_basis=legal_bases.STAFF_WORK,
    retention=Retention.days_after("certificate_archives", "created_at"),
    erasure=Erasure.DELETE,
)
