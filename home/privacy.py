"""The home app holds no personal data: only published functional contacts (lms.privacy)."""

from django.utils.translation import gettext_lazy as _

from lms.personal_data.registry import exempt

exempt(
    "home.SiteIdentity",
    reason=_(
        "The contact address of the centre shown on the site; a functional mailbox chosen for "
        "publication, not a person's account."
    ),
)
exempt(
    "home.AccessibilityStatementPage",
    reason=_(
        "The feedback contact that the accessibility statement must publish: an office with its "
        "functional mailbox and telephone number, not a person using the platform."
    ),
)
