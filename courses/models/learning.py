"""What learners do: enrolments, per-lesson progress, and the event log (append-only until
retention deletes events past their period)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Enrolment(models.Model):
    class Source(models.TextChoices):
        SELF = "self", _("Self-enrolled")
        ASSIGNED = "assigned", _("Assigned")
        RULE = "rule", _("Assigned by rule")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    # PROTECT: learning records outlive editing mistakes; a course with learners is unpublished,
    # not deleted.
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="enrolments"
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    assignment = models.ForeignKey(
        "courses.Assignment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now)
    due_on = models.DateField(_("due"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # Set when a completed course is assigned again (re-certification): lessons and quiz
    # attempts count from here on.
    round_started_at = models.DateTimeField(_("current round started"), null=True, blank=True)
    # The first lesson opened or quiz attempt started in the current round (cleared by a
    # renewal), so reports tell who has not started without scanning lessons and attempts.
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    last_lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept up to date with each completed lesson, so lists never count lessons per row.
    progress_percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="courses_one_enrolment")
        ]
        indexes = [models.Index(fields=["course", "completed_at"])]

    def __str__(self):
        return f"{self.user} – {self.course}"

    @property
    def is_assigned(self):
        return self.source != self.Source.SELF

    @property
    def is_complete(self):
        return self.completed_at is not None

    def is_overdue(self, today=None):
        from courses.selectors import is_overdue

        return is_overdue(
            completed_at=self.completed_at,
            due_on=self.due_on,
            today=today or timezone.localdate(),
        )


class LessonProgress(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="lessons")
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="courses_one_progress")
        ]

    def __str__(self):
        return f"{self.enrolment} – {self.lesson_id}"


class ProgressEvent(models.Model):
    """One change of someone's progress, replayed by the reports of past days. Never updated;
    deleted only by the retention job once its retention period has ended (lms.privacy)."""

    class Kind(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        ASSIGNED = "assigned", _("Assigned")
        LESSON_OPENED = "lesson_opened", _("Lesson opened")
        LESSON_COMPLETED = "lesson_completed", _("Lesson completed")
        COURSE_COMPLETED = "course_completed", _("Course completed")
        DROPPED = "dropped", _("Left the course")
        QUIZ_SUBMITTED = "quiz_submitted", _("Quiz attempt graded")
        DUE_CHANGED = "due_changed", _("Due date changed")
        UNASSIGNED = "unassigned", _("Assignment withdrawn")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.PROTECT, related_name="+")
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Where the person belonged when it happened, so past states can be reported by authority.
    authority = models.ForeignKey(
        "people.Authority", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("progress event")
        verbose_name_plural = _("progress events")
        ordering = ["occurred_at", "pk"]
        indexes = [models.Index(fields=["course", "occurred_at"])]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.user_id} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Progress events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Progress events are append-only.")
