"""Quizzes: the quiz page trainers author, and learners' attempts frozen as drawn."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from courses.quizzes.blocks import QuestionsBlock

from .pages import CourseStepMixin


class QuizPage(CourseStepMixin, Page):
    """A quiz within a course; its place among the lessons is the page order in Wagtail."""

    class Counting(models.TextChoices):
        BEST = "best", _("Best attempt")
        LAST = "last", _("Last attempt")

    class Review(models.TextChoices):
        SCORE_ONLY = "score", _("Score only, never the correct answers")
        AFTER_EACH = "each", _("Correct answers after each attempt")
        AFTER_PASS = "passed", _("Correct answers once passed")
        AFTER_LAST = "last", _("Correct answers after the last possible attempt")

    intro = RichTextField(
        _("introduction"), features=["bold", "italic", "ul", "ol", "link"], blank=True
    )
    questions = StreamField(QuestionsBlock(), verbose_name=_("questions"))
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"),
        null=True,
        blank=True,
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for unlimited attempts."),
    )
    wait_minutes = models.PositiveIntegerField(
        _("waiting time between attempts (minutes)"), default=0
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no time limit."),
    )
    draw_count = models.PositiveSmallIntegerField(
        _("questions per attempt"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Draw this many questions at random from all questions; empty: all."),
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_options = models.BooleanField(_("shuffle answers"), default=True)
    questions_per_page = models.PositiveSmallIntegerField(
        _("questions per page"), default=4, validators=[MinValueValidator(1)]
    )
    counting = models.CharField(
        _("attempt that counts"), max_length=10, choices=Counting.choices, default=Counting.BEST
    )
    review = models.CharField(
        _("review"), max_length=10, choices=Review.choices, default=Review.AFTER_PASS
    )
    required = models.BooleanField(
        _("required for completion"),
        default=True,
        help_text=_("The course is complete only once this quiz is passed."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("questions"),
    ]
    settings_panels = [
        MultiFieldPanel(
            [
                FieldPanel("pass_mark"),
                FieldPanel("required"),
                FieldPanel("max_attempts"),
                FieldPanel("wait_minutes"),
                FieldPanel("time_limit_minutes"),
                FieldPanel("counting"),
                FieldPanel("review"),
            ],
            heading=_("Passing and attempts"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("draw_count"),
                FieldPanel("shuffle_questions"),
                FieldPanel("shuffle_options"),
                FieldPanel("questions_per_page"),
            ],
            heading=_("Questions shown"),
        ),
        *Page.settings_panels,
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []
    preview_modes = [("", _("As learners see it")), ("answers", _("With correct answers"))]

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def clean(self):
        super().clean()
        if self.review == self.Review.AFTER_LAST and not self.max_attempts:
            raise ValidationError(
                {
                    "review": _(
                        "With unlimited attempts there is no last attempt: limit the attempts "
                        "or choose another review setting."
                    )
                }
            )
        if self.draw_count and self.questions and self.draw_count > len(self.questions):
            raise ValidationError(
                {
                    "draw_count": _("The quiz has only %(count)s questions to draw from.")
                    % {"count": len(self.questions)}
                }
            )

    @property
    def time_limit(self):
        return timedelta(minutes=self.time_limit_minutes) if self.time_limit_minutes else None

    def get_context(self, request, *args, outline=None, standing=None, **kwargs):
        """`outline` and `standing`: the course outline and the learner's attempts, as the
        view read them (None in previews)."""
        context = super().get_context(request, *args, **kwargs)
        context.update(outline=outline, standing=standing)
        return context

    def serve(self, request, *args, **kwargs):
        from courses.quizzes.views import quiz_serve

        return quiz_serve(request, quiz=self, serve=super().serve, args=args, kwargs=kwargs)

    def serve_preview(self, request, mode_name):
        from courses.quizzes.views import quiz_preview

        return quiz_preview(request, quiz=self, with_key=mode_name == "answers")


class QuizAttempt(models.Model):
    """One attempt at a quiz: the questions as drawn, the answers as saved, the grade as given.

    The attempt limit holds under concurrent starts because of the constraints: numbers are
    unique per person and quiz, and at most one attempt per person and quiz is open.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        TIMED_OUT = "timed_out", _("Closed when time ran out")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    quiz = models.ForeignKey(QuizPage, on_delete=models.PROTECT, related_name="attempts")
    number = models.PositiveSmallIntegerField(_("attempt"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    deadline = models.DateTimeField(_("time limit ends"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # Frozen at start: questions as drawn (with the key to grade by), pages and pass mark.
    questions = models.JSONField(default=list)
    questions_per_page = models.PositiveSmallIntegerField(default=4)
    pass_mark = models.PositiveSmallIntegerField()
    # Answers by question id; `version` grows with every save, so a stale tab cannot overwrite.
    answers = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=0)
    # Set once, when the attempt is closed.
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True)
    max_score = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal(0))
    percent = models.DecimalField(_("result (%)"), max_digits=5, decimal_places=1, null=True)
    passed = models.BooleanField(_("passed"), null=True)
    results = models.JSONField(default=dict, blank=True)

    # Not stored: set by courses.quizzes.services.attempt_submit on the submit that completed
    # the course, so the page can congratulate.
    course_completed = False

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz", "number"], name="courses_attempt_number_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=Q(status="open"),
                name="courses_one_open_attempt",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="courses_attempt_number_gte_1"),
        ]
        indexes = [models.Index(fields=["quiz", "status"])]
        ordering = ["number"]

    def __str__(self):
        return f"{self.user} – {self.quiz_id} #{self.number}"

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def page_count(self):
        return max(1, -(-len(self.questions) // self.questions_per_page))

    def page_questions(self, page: int) -> list[dict]:
        start = (page - 1) * self.questions_per_page
        return self.questions[start : start + self.questions_per_page]

    def page_of(self, question_id: str) -> int:
        ids = [question["id"] for question in self.questions]
        return ids.index(question_id) // self.questions_per_page + 1

    def seconds_left(self, now=None):
        if self.deadline is None:
            return None
        return max(0, int((self.deadline - (now or timezone.now())).total_seconds()))
