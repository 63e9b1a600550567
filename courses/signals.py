from django.dispatch import Signal

# Sent inside the transaction that completes a course, with `enrolment`; receivers that start
# work elsewhere (certificates) wait for the commit.
course_completed = Signal()
