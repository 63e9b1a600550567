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
