"""Messages learners and coordinators see, defined once for code and tests."""

from django.utils.translation import gettext_lazy as _

ERROR_SELF_ENROLMENT_CLOSED = _(
    "You cannot enrol in this course yourself. Please ask your HR coordinator."
)
ERROR_NOT_ENROLLED = _("Please enrol in the course first.")
ERROR_ASSIGNED_CANNOT_DROP = _("This course was assigned to you and cannot be dropped.")
ERROR_OUT_OF_SCOPE = _("This person or part of the organisation is outside your responsibility.")
ERROR_NO_TARGET = _("Choose people or a part of the organisation.")
ERROR_DUE_IN_PAST = _("The due date must not be in the past.")
MESSAGE_ENROLLED = _("You are enrolled. Have fun learning!")
MESSAGE_ALREADY_ENROLLED = _("You are already enrolled in this course.")
MESSAGE_COURSE_COMPLETED = _("Congratulations, you have completed the course “%(course)s”.")
MESSAGE_DROPPED = _("You have left the course “%(course)s”.")
