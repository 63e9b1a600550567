"""Personal data of the notifications app, for the registry in lms.privacy."""

from django.utils.translation import gettext_lazy as _

from lms.personal_data import legal_bases
from lms.personal_data.registry import Category, Erasure, Retention, register

register(
    "notifications.Notification",
    category=Category.LEARNING,
    holds=["kind", "occasion", "language", "subject", "status", "created_at", "sent_at"],
    purpose=_(
        "Remind people of assigned, due and overdue mandatory training and of expiring "
        "certificates, and HR coordinators of overdue training in their area, by e-mail; the "
        "record ensures that each e-mail is sent only once."
    ),
    legal_basis=legal_bases.TRAINING,
    retention=Retention.days_after("notifications", "created_at"),
    erasure=Erasure.DELETE,
)
