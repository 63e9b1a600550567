"""Messages people see, defined once so that code and tests refer to the same text."""

from django.utils.translation import gettext_lazy as _

ERROR_SIGNUP_DOMAIN = _(
    "Self-registration is not possible with this e-mail address. Please ask your HR "
    "coordinator to add you, or sign in with your state account."
)

# User import (lms.people.imports, the import screen and the import_users command).
IMPORT_LINE = _("Line %(line)s: %(message)s")
IMPORT_ERROR_TOO_LARGE = _("The file is too large; at most %(limit)s are allowed.")
IMPORT_ERROR_EMPTY = _("The file is empty.")
IMPORT_ERROR_NOT_UTF8 = _(
    'The file is not UTF-8 encoded. Please save it in Excel as "CSV UTF-8" and upload it again.'
)
IMPORT_ERROR_NOT_CSV = _("The file could not be read as CSV.")
IMPORT_ERROR_SPREADSHEET = _(
    "The file is a spreadsheet workbook (such as XLSX) or another archive, not a CSV file. "
    'Please save it in Excel as "CSV UTF-8" and upload that file.'
)
IMPORT_ERROR_TOO_MANY_ROWS = _(
    "The file has more than %(limit)s rows. Please split it into smaller files."
)
IMPORT_ERROR_MISSING_COLUMNS = _(
    "Required columns are missing: %(columns)s. The first line must name the columns, "
    "e.g. E-Mail;Vorname;Nachname;Behörde."
)
IMPORT_ERROR_INVALID_EMAIL = _('The e-mail address "%(email)s" is not valid.')
IMPORT_ERROR_FIRST_NAME_MISSING = _("The first name is missing.")
IMPORT_ERROR_LAST_NAME_MISSING = _("The last name is missing.")
IMPORT_ERROR_TOO_LONG = _("%(field)s is longer than %(limit)s characters.")
IMPORT_ERROR_AUTHORITY_MISSING = _("The authority (abbreviation) is missing.")
IMPORT_ERROR_UNKNOWN_AUTHORITY = _(
    'There is no authority with the abbreviation "%(abbreviation)s".'
)
IMPORT_ERROR_AUTHORITY_OUT_OF_SCOPE = _("%(authority)s is outside your part of the organisation.")
IMPORT_ERROR_PERSON_OUT_OF_SCOPE = _(
    "%(email)s already exists outside your part of the organisation; only the centre "
    "administration can change this person."
)
IMPORT_ERROR_UNKNOWN_ROLE = _('Unknown role "%(role)s". Allowed are (in either case): %(allowed)s.')
IMPORT_ERROR_ROLES_NOT_ALLOWED = _(
    "Only the centre administration can assign roles; please leave the roles column empty."
)
IMPORT_ERROR_DUPLICATE_EMAIL = _(
    "%(email)s appears more than once in the file (first in line %(first)s)."
)
IMPORT_ERROR_DUPLICATE_PERSONNEL_NUMBER = _(
    "The personnel number %(number)s appears more than once in the file (first in line %(first)s)."
)
IMPORT_ERROR_PERSONNEL_NUMBER_TAKEN = _(
    "The personnel number %(number)s already belongs to another person."
)
IMPORT_ERROR_CONFLICT = _(
    "The data changed while importing, so nothing was imported. Please try again."
)
IMPORT_FAILED = _("Nothing was imported because the file has errors. Please correct them.")
IMPORT_SUCCESS = _(
    "Import finished: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."
)
IMPORT_DRY_RUN_SUCCESS = _(
    "Check passed, nothing was imported yet: %(created)s would be created, %(updated)s "
    "updated, %(unchanged)s unchanged."
)
IMPORT_ERROR_PERSON_IS_STAFF = _(
    "%(email)s is a trainer, HR coordinator or centre admin; only the centre administration "
    "can change this person."
)
