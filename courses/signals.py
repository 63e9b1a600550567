from django.dispatch import Signal

# Sent inside the transaction that completes a course, with `enrolment`; receivers that start
# work elsewhere (certificates) wait for the commit.
course_completed = Signal()

# Sent inside the transaction that assigns a course to someone (a new enrolment, or one made
# mandatory or due earlier by a further assignment), with `enrolment`; receivers that tell the
# person (lms.notifications) wait for the commit.
course_assigned = Signal()
