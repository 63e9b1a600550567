"""Personal data of the courses app, for the registry in lms.privacy."""

from django.utils.translation import gettext_lazy as _

from courses.quizzes.public import attempts_public_view
from lms.personal_data import legal_bases
from lms.personal_data.registry import Category, Erasure, Retention, register

register(
    "courses.Enrolment",
    category=Category.LEARNING,
    holds=[
        "course",
        "source",
        "assignment",
        "enrolled_at",
        "due_on",
        "completed_at",
        "last_lesson",
        "progress_percent",
    ],
    purpose=_(
        "Show learners their courses, due dates and progress; prove completed and overdue "
        "mandatory training to the learner and their HR coordinators."
    ),
    legal_basis=legal_bases.TRAINING,
    retention=Retention.days_after("learning_records", "completed_at", "enrolled_at"),
    erasure=Erasure.DELETE,
)
register(
    "courses.LessonProgress",
    category=Category.LEARNING,
    person="enrolment__user",
    holds=["enrolment", "lesson", "opened_at", "completed_at"],
    purpose=_("Which lessons a learner has opened and completed, to resume where they stopped."),
    legal_basis=legal_bases.TRAINING,
    # Kept exactly as long as its enrolment.
    retention=Retention.days_after(
        "learning_records", "enrolment__completed_at", "enrolment__enrolled_at"
    ),
    erasure=Erasure.DELETE,
)
register(
    "courses.ProgressEvent",
    category=Category.LEARNING,
    holds=["course", "lesson", "authority", "kind", "occurred_at", "data"],
    purpose=_(
        "History of each change in a learner's progress, so that reports can show the state "
        "on an earlier date."
    ),
    legal_basis=legal_bases.TRAINING,
    retention=Retention.days_after("learning_records", "occurred_at"),
    erasure=Erasure.DELETE,
)
register(
    "courses.QuizAttempt",
    category=Category.LEARNING,
    holds=[
        "quiz",
        "number",
        "status",
        "started_at",
        "deadline",
        "submitted_at",
        "questions",
        "answers",
        "score",
        "max_score",
        "percent",
        "passed",
        "results",
    ],
    purpose=_(
        "Grade quizzes, keep attempt and time limits, and show learners their result and review; "
        "statistics per question for trainers, without names."
    ),
    legal_basis=legal_bases.TRAINING,
    retention=Retention.days_after("quiz_attempts", "submitted_at", "started_at"),
    erasure=Erasure.DELETE,
    # The questions hold the key and feedback: exported as the learner saw them, with the key
    # only where the quiz's review policy shows it.
    export=attempts_public_view,
)

ASSIGNMENT_RETENTION = Retention.as_long_as(
    _("As long as the assignment; its author is removed with their account.")
)

register(
    "courses.Assignment",
    category=Category.STAFF_WORK,
    person="created_by",
    holds=["created_at"],
    purpose=_("Who assigned a mandatory course, and when."),
    legal_basis=legal_bases.STAFF_WORK,
    retention=ASSIGNMENT_RETENTION,
    erasure=Erasure.ANONYMISE,
)
register(
    "courses.AssignmentRule",
    category=Category.STAFF_WORK,
    person="created_by",
    holds=["created_at"],
    purpose=_("Who set up a rule that assigns a mandatory course, and when."),
    legal_basis=legal_bases.STAFF_WORK,
    retention=ASSIGNMENT_RETENTION,
    erasure=Erasure.ANONYMISE,
)
register(
    "courses.AssignmentChange",
    category=Category.STAFF_WORK,
    person="changed_by",
    holds=["kind", "old_due_on", "new_due_on", "reason", "changed_at"],
    purpose=_(
        "Who changed, extended or withdrew a mandatory assignment, when and why; an extension "
        "for one person is removed with that person's enrolment."
    ),
    legal_basis=legal_bases.STAFF_WORK,
    retention=ASSIGNMENT_RETENTION,
    erasure=Erasure.ANONYMISE,
)
