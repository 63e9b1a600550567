"""Mandatory training: one-off assignments and standing rules for a part of the organisation."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Upper limits for what a rule may say: ten years either way.
DUE_AFTER_DAYS_MAX = 3650
RECURRENCE_MONTHS_MAX = 120


class Assignment(models.Model):
    """A course given to selected people or to everyone in a subtree, with one due date."""

    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("course"),
    )
    authority = models.ForeignKey(
        "people.Authority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("everyone in"),
        help_text=_("Everyone in this part of the organisation, including units below it."),
    )
    due_on = models.DateField(_("due"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Withdrawn: its open enrolments stopped being mandatory (AssignmentChange says who and why).
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.course} – {self.due_on:%d.%m.%Y}"

    @property
    def is_withdrawn(self):
        return self.withdrawn_at is not None


class AssignmentRule(models.Model):
    """Everyone in a subtree gets the course, due N days after they join; also later joiners."""

    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.PROTECT,
        related_name="assignment_rules",
        verbose_name=_("course"),
    )
    authority = models.ForeignKey(
        "people.Authority",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("everyone in"),
    )
    due_after_days = models.PositiveSmallIntegerField(
        _("due after (days)"),
        help_text=_("Counted from the day a person joins."),
        validators=[MinValueValidator(1), MaxValueValidator(DUE_AFTER_DAYS_MAX)],
    )
    recurrence_months = models.PositiveSmallIntegerField(
        _("repeat every (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(RECURRENCE_MONTHS_MAX)],
        help_text=_("e.g. 12 for annual training"),
    )
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("assignment rule")
        verbose_name_plural = _("assignment rules")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "authority"], name="courses_one_rule_per_course_and_subtree"
            ),
            # Empty means once; a recurrence of 0 months would start a new round every day.
            models.CheckConstraint(
                condition=models.Q(recurrence_months__isnull=True)
                | models.Q(recurrence_months__gte=1),
                name="courses_rule_recurrence_positive",
            ),
        ]

    def __str__(self):
        return f"{self.course} – {self.authority}"

    def recurrence_display(self) -> str:
        return recurrence_text(self.recurrence_months)


def recurrence_text(months: int | None) -> str:
    """How often a rule's course is due, as lists show it: once, monthly, annually, every N
    months."""
    if not months:
        return str(_("once"))
    if months == 1:
        return str(_("monthly"))
    if months == 12:
        return str(_("annually"))
    return str(_("every %(months)s months") % {"months": months})


class AssignmentChange(models.Model):
    """One change to an assignment after it was made: a new due date for everyone, a later due
    date for one person, or its withdrawal. Never updated or deleted: it is the record of who
    changed what, when and why."""

    class Kind(models.TextChoices):
        DUE_CHANGED = "due_changed", _("Due date changed")
        EXTENDED = "extended", _("Due date extended for one person")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="changes", verbose_name=_("assignment")
    )
    kind = models.CharField(_("change"), max_length=20, choices=Kind.choices)
    # The person's enrolment, for an extension; erasing the person removes it with the record.
    enrolment = models.ForeignKey(
        "courses.Enrolment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignment_changes",
        verbose_name=_("enrolment"),
    )
    old_due_on = models.DateField(_("old due date"), null=True, blank=True)
    new_due_on = models.DateField(_("new due date"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # How many open enrolments the change reached (withdrawn: how many stopped being mandatory).
    people = models.PositiveIntegerField(_("people"), default=0)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed on"), default=timezone.now)

    class Meta:
        verbose_name = _("assignment change")
        verbose_name_plural = _("assignment changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.assignment_id} {self.kind} {self.changed_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Assignment changes are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Assignment changes are append-only.")
