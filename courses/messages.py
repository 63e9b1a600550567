"""Messages learners and coordinators see, defined once for code and tests."""

from django.utils.translation import gettext_lazy as _

ERROR_SELF_ENROLMENT_CLOSED = _(
    "You cannot enrol in this course yourself. Please ask your HR coordinator."
)
ERROR_NOT_ENROLLED = _("Please enrol in the course first.")
ERROR_COURSE_WITHOUT_STEPS = _(
    "This course has no published lessons or quizzes yet, so nobody can enrol in it."
)
ERROR_ASSIGNED_CANNOT_DROP = _("This course was assigned to you and cannot be dropped.")
ERROR_COMPLETED_CANNOT_DROP = _(
    "You have completed this course; it stays in your learning record and cannot be dropped."
)
ERROR_OUT_OF_SCOPE = _("This person or part of the organisation is outside your responsibility.")
ERROR_NO_TARGET = _("Choose people or a part of the organisation.")
ERROR_DUE_IN_PAST = _("The due date must not be in the past.")
MESSAGE_ENROLLED = _("You are enrolled. Have fun learning!")
MESSAGE_ALREADY_ENROLLED = _("You are already enrolled in this course.")
MESSAGE_COURSE_COMPLETED = _("Congratulations, you have completed the course “%(course)s”.")
MESSAGE_DROPPED = _("You have left the course “%(course)s”.")

# Quizzes
ERROR_NO_ATTEMPTS_LEFT = _("You have used all attempts for this quiz.")
ERROR_WAIT_BEFORE_NEXT = _("You can start the next attempt at %(time)s.")
ERROR_ATTEMPT_CLOSED = _("This attempt has already been submitted.")
ERROR_TIME_UP = _("The time for this attempt is up. The answers saved until then have been graded.")
ERROR_STALE_ANSWERS = _(
    "These answers were changed in another window in the meantime, so they were not saved. "
    "This page now shows the latest saved answers."
)
ERROR_INVALID_ANSWERS = _("Some answers could not be saved. Please check the marked questions.")
ERROR_QUIZ_UNAVAILABLE = _("This quiz is not available.")

# Mandatory training: changing an assignment
ERROR_ASSIGNMENT_WITHDRAWN = _("This assignment has been withdrawn and can no longer be changed.")
ERROR_DUE_UNCHANGED = _("The new due date is the same as the current one.")
ERROR_EXTENSION_NOT_LATER = _("An extension must be later than the current due date.")
ERROR_ENROLMENT_COMPLETED = _("This person has already completed the course.")
ERROR_REASON_REQUIRED = _("Please give a reason.")
ERROR_NOT_IN_ASSIGNMENT = _("This person's course does not come from this assignment.")
ERROR_PERSON_OUT_OF_SCOPE = _(
    "At least one of the selected people is outside your responsibility or no longer active. "
    "Please search for them again."
)
