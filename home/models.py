from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page

from lms.routing import TypedChildRouteMixin


class HomePage(TypedChildRouteMixin, Page):
    """The start page: what the centre offers, and for signed-in people where to go next."""

    child_page_models = ("courses.CatalogPage",)

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CatalogPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from courses.models import CoursePage
        from courses.selectors import catalog_for, dashboard_for

        context = super().get_context(request, *args, **kwargs)
        context["catalog"] = catalog_for(request=request)
        if request.user.is_authenticated:
            context["dashboard"] = dashboard_for(user=request.user)
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
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    imprint_url = models.URLField(_("imprint (Impressum) address"), blank=True)
    privacy_url = models.URLField(_("privacy notice address"), blank=True)

    panels = [
        FieldPanel("centre_name"),
        FieldPanel("contact_email"),
        FieldPanel("imprint_url"),
        FieldPanel("privacy_url"),
    ]

    class Meta:
        verbose_name = _("site identity")
