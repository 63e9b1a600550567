"""Messages people see from lms.privacy, defined once so tests can assert on them."""

from django.utils.translation import gettext_lazy as _

ERROR_EXPORT_NOT_ALLOWED = _("You may only request your own data.")
EXPORT_REQUESTED = _(
    "Your data is being put together. The download appears in the list below when it is ready."
)
EXPORT_REQUESTED_FOR = _("The data export for %(person)s has been requested.")

ERASED_NAME = "Gelöscht"
# German on purpose: the certificate's revocation reason is stored, not shown in a language.
ERASED_REASON = "Gelöscht auf Antrag (Art. 17 DSGVO)"
ERROR_ERASE_NOT_ALLOWED = _("Only centre admins may erase a person's data.")
ERROR_ERASE_SELF = _("You cannot erase your own account.")
ERROR_EMAIL_MISMATCH = _("Type the person's e-mail address exactly to confirm the erasure.")
ERASED = _("The person's data has been erased. Learning records stay, without name, for reports.")
ALREADY_ERASED = _("This person's data has already been erased.")
