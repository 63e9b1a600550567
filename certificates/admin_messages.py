"""Messages of the certificate screens in the admin, defined once for code and tests."""

from django.utils.translation import gettext_lazy as _

ERROR_TEMPLATE_IN_USE = _(
    "The template “%(name)s” cannot be deleted: the course(s) %(courses)s use it. "
    "Choose another template for them first."
)
ERROR_ARCHIVE_OUT_OF_SCOPE = _("You may not request certificates of this part of the organisation.")
ERROR_COURSE_NOT_AVAILABLE = _("Choose one of the listed courses.")
MESSAGE_ARCHIVE_QUEUED = _(
    "The archive for “%(course)s” in %(authority)s is being built. "
    "Reload this page in a moment to download it."
)
PREVIEW_REFUSED = _("The preview cannot be shown")
PREVIEW_FIX_FORM = _(
    "Correct these entries in the template form, then preview again. Nothing was saved."
)
ERROR_PREVIEW_TOO_LONG = _(
    "The texts do not fit on one page, even in the smallest type. Shorten the text."
)
ERROR_PREVIEW_FAILED = _(
    "The PDF could not be made from these entries. Try again, or choose other images."
)
SIGNATURE_NUMBER = _("Signature %(number)d")
