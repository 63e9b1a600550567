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

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.course} – {self.due_on:%d.%m.%Y}"


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
