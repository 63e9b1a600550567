"""Messages about certificates, defined once for code and tests."""

from django.utils.translation import gettext_lazy as _

ERROR_NOT_ALLOWED = _("Only centre administrators may do this.")
ERROR_REASON_REQUIRED = _("Please give a reason for the revocation.")
ERROR_REASON_TOO_LONG = _("The reason may be at most 500 characters long.")
ERROR_ALREADY_REVOKED = _("This certificate has already been revoked.")
ERROR_NOT_ISSUED = _("This certificate is still being issued.")
ERROR_REVOKED_NOT_REISSUED = _(
    "A revoked certificate is not issued again. Correct the name before revoking, or re-issue "
    "instead of revoking."
)
ERROR_ALREADY_REPLACED = _("This certificate has already been replaced by a newer one.")
MESSAGE_REVOKED = _("Certificate %(code)s has been revoked.")
MESSAGE_REISSUED = _("Certificate %(code)s has been issued in place of %(old)s.")
MESSAGE_REISSUE_PENDING = _(
    "Certificate %(code)s takes the place of %(old)s; its PDF is being made and follows shortly."
)
