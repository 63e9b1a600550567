"""What the public verification pages tell people, defined once for code and tests."""

from django.utils.translation import gettext_lazy as _

ERROR_CODE_REQUIRED = _("Please enter the certificate code.")
ERROR_CODE_INVALID = _(
    "This is not a certificate code. A code has 28 letters and digits, printed on the "
    "certificate in groups of four."
)
NOT_FOUND = _("No certificate was found for this code.")
NOT_FOUND_JSON = "not_found"

ERROR_FILE_REQUIRED = _("Please choose the certificate's PDF file.")
ERROR_FILE_EMPTY = _("The file is empty. Please choose the certificate's PDF file.")
ERROR_FILE_TOO_LARGE = _(
    "The file is larger than %(megabytes)d MB. Certificates issued here are much smaller, so it "
    "is not one of them."
)
ERROR_FILE_NOT_PDF = _(
    "The file is not a PDF. Please choose the certificate's PDF file as you received it."
)
FILE_MATCHES = _("This file is the original of certificate %(code)s.")
FILE_DOES_NOT_MATCH = _(
    "This file does not match any certificate issued here. It may have been altered after it was "
    "issued, or it is not a certificate of this centre."
)

RATE_LIMITED = _("Too many verification requests came from your network. Please try again later.")
RATE_LIMITED_JSON = "rate_limited"
