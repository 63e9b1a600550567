"""Content: the catalogue, courses and their lessons, authored as Wagtail pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from courses.blocks import LessonBodyBlock
from courses.items import LearningItem
from lms.routing import TypedChildRouteMixin

# System pages (home page, catalogue) are written in German; their English introduction is
# shown to people who use the site in English.
HELP_INTRO_EN = _("Shown to people who use the site in English. Empty: the German introduction.")


class CatalogPage(TypedChildRouteMixin, Page):
    """The course catalogue: every live course below it, searchable and filterable."""

    child_page_models = ("courses.CoursePage",)

    intro = RichTextField(_("introduction"), blank=True)
    intro_en = RichTextField(_("introduction in English"), blank=True, help_text=HELP_INTRO_EN)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("intro_en")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import catalogue_search

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_search(catalog=self, params=request.GET, user=request.user))
        return context


class CourseTopic(TaggedItemBase):
    content_object = ParentalKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="topic_items"
    )


class CoursePage(LearningItem, TypedChildRouteMixin, Page):
    child_page_models = ("courses.LessonPage", "courses.QuizPage")
    item_kind_label = _("Course")

    class Language(models.TextChoices):
        GERMAN = "de", _("German")
        ENGLISH = "en", _("English")

    class CompletionRule(models.TextChoices):
        REQUIRED = "required", _("All required lessons (and required quizzes) done")
        ALL = "all", _("All lessons done")

    class TargetGroup(models.TextChoices):
        EVERYONE = "everyone", _("All staff")
        MANAGERS = "managers", _("Managers")
        IT = "it", _("IT staff")
        CASEWORKERS = "caseworkers", _("Caseworkers")
        NEWCOMERS = "newcomers", _("New staff")

    summary = models.TextField(_("summary"), max_length=600)
    objectives = RichTextField(
        _("learning objectives"), features=["ul", "ol", "bold", "italic"], blank=True
    )
    target_group = models.CharField(
        _("target group"), max_length=20, choices=TargetGroup.choices, default=TargetGroup.EVERYONE
    )
    duration_minutes = models.PositiveSmallIntegerField(_("estimated duration (minutes)"))
    topics = ClusterTaggableManager(through=CourseTopic, blank=True, verbose_name=_("topics"))
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.GERMAN
    )
    is_mandatory = models.BooleanField(
        _("mandatory training"),
        default=False,
        help_text=_("Shown as mandatory in the catalogue; HR assigns it with due dates."),
    )
    self_enrolment = models.BooleanField(_("learners may enrol themselves"), default=True)
    completion_rule = models.CharField(
        _("completion rule"),
        max_length=20,
        choices=CompletionRule.choices,
        default=CompletionRule.REQUIRED,
    )
    validity_months = models.PositiveSmallIntegerField(
        _("validity in months"),
        null=True,
        blank=True,
        help_text=_("For re-certification; leave empty if completion does not expire."),
    )

    certificate_template = models.ForeignKey(
        "certificates.CertificateTemplate",
        verbose_name=_("certificate template"),
        null=True,
        blank=True,
        # A template that certificates are issued with cannot be deleted from under a course.
        on_delete=models.PROTECT,
        related_name="courses",
        help_text=_("Completing the course issues a certificate with it; empty: no certificate."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("objectives"),
        MultiFieldPanel(
            [
                FieldPanel("target_group"),
                FieldPanel("duration_minutes"),
                FieldPanel("language"),
                FieldPanel("topics"),
                FieldPanel("prerequisites"),
            ],
            heading=_("Details"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("is_mandatory"),
                FieldPanel("self_enrolment"),
                FieldPanel("completion_rule"),
                FieldPanel("validity_months"),
                FieldPanel("certificate_template"),
            ],
            heading=_("Enrolment and completion"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("objectives"),
        index.FilterField("is_mandatory"),
        index.FilterField("language"),
        index.FilterField("target_group"),
        index.FilterField("duration_minutes"),
        index.RelatedFields("topics", [index.SearchField("name")]),
    ]
    parent_page_types = ["courses.CatalogPage"]
    subpage_types = ["courses.LessonPage", "courses.QuizPage"]
    # The explorer lists lessons and quizzes in course order (the page tree order, where they
    # can be dragged into place), not by their last change.
    admin_default_ordering = "ord"

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import course_outline

        context = super().get_context(request, *args, **kwargs)
        context["outline"] = course_outline(course=self, user=request.user)
        return context

    # The learning-item interface (courses.items)

    @property
    def item_assignable(self) -> bool:
        from courses.selectors import course_has_steps

        return self.live and course_has_steps(course=self)

    @property
    def item_mandatory(self) -> bool:
        return self.is_mandatory

    @property
    def item_certificate_template_id(self) -> int | None:
        return self.certificate_template_id

    @property
    def item_certificate_template(self):
        return self.certificate_template

    @property
    def item_validity_months(self) -> int | None:
        return self.validity_months

    @property
    def item_duration_minutes(self) -> int | None:
        return self.duration_minutes

    def item_progress(self, *, enrolment):
        from courses.completion import course_progress

        return course_progress(course=self, enrolment=enrolment)


class CourseStepMixin:
    """A lesson or quiz: a step of its course, reviewed and published with it.

    It has no review of its own: its drafts wait for the course's review, and approving the
    course publishes them (courses.review, docs/decisions/0017).
    """

    def get_workflow(self):
        return None


class LessonPage(CourseStepMixin, Page):
    """One lesson; its order among the course's lessons is the page order in Wagtail."""

    body = StreamField(LessonBodyBlock(), verbose_name=_("content"))
    required = models.BooleanField(_("required for completion"), default=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("estimated duration (minutes)"), default=10
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("body"),
        FieldPanel("required"),
        FieldPanel("duration_minutes"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def get_context(self, request, *args, outline=None, **kwargs):
        """`outline`: the course outline the view read for this learner (None in previews)."""
        context = super().get_context(request, *args, **kwargs)
        context["outline"] = outline
        return context

    def serve(self, request, *args, **kwargs):
        from courses.views import lesson_serve

        return lesson_serve(request, lesson=self, serve=super().serve, args=args, kwargs=kwargs)
