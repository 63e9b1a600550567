"""Legal bases, worded once; a draft for the data protection officer to confirm."""

from django.utils.translation import gettext_lazy as _

TRAINING = _(
    "Art. 6(1)(e) and Art. 88 GDPR with the state's provisions on employee data: qualifying "
    "public employees is part of their employment."
)
STAFF_WORK = _(
    "Art. 6(1)(e) and Art. 88 GDPR with the state's provisions on employee data: the work of "
    "the centre's staff and HR coordinators in the platform."
)
OPERATION = _("Art. 6(1)(e) GDPR: operating the learning platform as a public task.")
SECURITY = _("Art. 6(1)(c) and (e) with Art. 32 GDPR: security of processing.")
NECESSARY_COOKIE = _(
    "Art. 6(1)(e) GDPR; § 25(2) no. 2 TDDDG: strictly necessary to provide the service asked for."
)
DATA_SUBJECT_RIGHTS = _(
    "Art. 6(1)(c) with Art. 15 GDPR: giving people access to the data held about them."
)
