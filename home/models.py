from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page

from courses.models.pages import HELP_INTRO_EN
from lms.routing import TypedChildRouteMixin


class HomePage(TypedChildRouteMixin, Page):
    """The start page: what the centre offers, and for signed-in people where to go next."""

    child_page_models = ("courses.CatalogPage", "home.AccessibilityStatementPage")

    intro = RichTextField(_("introduction"), blank=True)
    intro_en = RichTextField(_("introduction in English"), blank=True, help_text=HELP_INTRO_EN)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("intro_en")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CatalogPage", "home.AccessibilityStatementPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from certificates.selectors import certificates_of
        from courses.models import CoursePage
        from courses.selectors import catalog_for, dashboard_for

        context = super().get_context(request, *args, **kwargs)
        context["catalog"] = catalog_for(request=request)
        if request.user.is_authenticated:
            certificates = certificates_of(user=request.user)
            context["dashboard"] = dashboard_for(user=request.user, certificates=certificates)
            context["certificates"] = certificates
        else:
            context["teaser"] = CoursePage.objects.live().order_by("-first_published_at")[:3]
        return context


@register_setting(icon="site")
class SiteIdentity(BaseSiteSetting):
    """Name and contact of the centre as shown in the header and footer."""

    centre_name = models.CharField(
        _("name of the centre"),
        max_length=200,
        default="E-Government-Kompetenz- und Lernzentrum",
    )
    centre_name_en = models.CharField(
        _("name of the centre in English"),
        max_length=200,
        blank=True,
        default="E-Government Competence and Learning Centre",
        help_text=_("Shown to people who use the site in English. Empty: the name above."),
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    imprint_url = models.URLField(_("imprint (Impressum) address"), blank=True)
    privacy_url = models.URLField(_("privacy notice address"), blank=True)

    panels = [
        FieldPanel("centre_name"),
        FieldPanel("centre_name_en"),
        FieldPanel("contact_email"),
        FieldPanel("imprint_url"),
        FieldPanel("privacy_url"),
    ]

    class Meta:
        verbose_name = _("site identity")

    def name_in(self, language: str | None = None) -> str:
        """The centre's name in the given (by default the active) language."""
        language = language or translation.get_language() or ""
        if language.startswith("en") and self.centre_name_en:
            return self.centre_name_en
        return self.centre_name


class AccessibilityStatementPage(Page):
    """The accessibility statement (Erklärung zur Barrierefreiheit) required by BITV 2.0.

    Linked from the footer of every page; the feedback contact is where people report barriers.
    """

    class Conformity(models.TextChoices):
        FULL = "full", _("fully compliant")
        PARTIAL = "partial", _("partially compliant")
        NONE = "none", _("not compliant")

    conformity = models.CharField(
        _("compliance with BITV 2.0 / WCAG 2.1 AA"),
        max_length=10,
        choices=Conformity.choices,
        default=Conformity.PARTIAL,
    )
    prepared_on = models.DateField(_("statement prepared on"))
    assessment = models.CharField(
        _("how compliance was assessed"),
        max_length=300,
        default="Selbstbewertung mit automatisierten und manuellen Prüfungen",
    )
    barriers = RichTextField(
        _("content that is not accessible, and why"),
        features=["bold", "italic", "ul", "ol", "link"],
        blank=True,
    )
    feedback_contact = models.CharField(_("feedback contact: name or office"), max_length=200)
    feedback_email = models.EmailField(_("feedback contact: e-mail"))
    feedback_phone = models.CharField(_("feedback contact: telephone"), max_length=50, blank=True)
    enforcement = RichTextField(
        _("enforcement procedure"),
        features=["bold", "italic", "ul", "link"],
        help_text=_("Where people can turn if their feedback gets no satisfactory answer."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("conformity"),
        FieldPanel("prepared_on"),
        FieldPanel("assessment"),
        FieldPanel("barriers"),
        FieldPanel("feedback_contact"),
        FieldPanel("feedback_email"),
        FieldPanel("feedback_phone"),
        FieldPanel("enforcement"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("accessibility statement")
