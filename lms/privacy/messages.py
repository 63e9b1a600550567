"""Messages people see from lms.privacy, defined once so tests can assert on them."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

ERROR_EXPORT_NOT_ALLOWED = _("You may only request your own data.")
EXPORT_REQUESTED = _(
    "Your data is being put together. The download appears in the list below when it is ready."
)
EXPORT_REQUESTED_FOR = _("The data export for %(person)s has been requested.")
# A request while an export is queued or fresh gets that export instead of a new one.
EXPORT_STILL_BUILDING = _(
    "Your data is already being put together. The download appears in the list below when it "
    "is ready."
)
EXPORT_STILL_CURRENT = _(
    "Your data was put together at %(time)s and is still current: download it from the list below."
)
EXPORT_FOR_STILL_BUILDING = _("The data export for %(person)s is already being put together.")
EXPORT_FOR_STILL_CURRENT = _(
    "The data export for %(person)s from %(time)s is still current: download it from the list "
    "below."
)
ERROR_EXPORT_LIMIT = ngettext_lazy(
    "At most %(count)s data export per person can be requested within 24 hours. Please use a "
    "download from the list below or request a new one after %(time)s.",
    "At most %(count)s data exports per person can be requested within 24 hours. Please use a "
    "download from the list below or request a new one after %(time)s.",
    "count",
)

ERASED_NAME = "Gelöscht"
# German on purpose: the certificate's revocation reason is stored, not shown in a language.
ERASED_REASON = "Gelöscht auf Antrag (Art. 17 DSGVO)"
ERROR_ERASE_NOT_ALLOWED = _("Only centre admins may erase a person's data.")
ERROR_ERASE_SELF = _("You cannot erase your own account.")
ERROR_EMAIL_MISMATCH = _("Type the person's e-mail address exactly to confirm the erasure.")
ERASED = _("The person's data has been erased. Learning records stay, without name, for reports.")
ALREADY_ERASED = _("This person's data has already been erased.")
