"""Settings › Processing activities: the registry as a draft of the Art. 30 GDPR record."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from lms.personal_data.registry import Declaration, registry


def can_see_processing_activities(user) -> bool:
    return bool(user.is_authenticated and user.is_centre_admin)


def _activity(declaration: Declaration) -> dict:
    fields = [*declaration.person_fields(), *declaration.held_fields()]
    return {
        "name": declaration.verbose_name,
        "label": declaration.label,
        "fields": [capfirst(f.verbose_name) for f in fields],
        "purpose": declaration.purpose,
        "legal_basis": declaration.legal_basis,
        "retention": declaration.retention_text(),
        "erasure": declaration.erasure.label,
    }


class ProcessingActivitiesView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "privacy/processing_activities.html"
    page_title = _("Processing activities")
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        if not can_see_processing_activities(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["categories"] = [
            (category, [_activity(d) for d in declarations])
            for category, declarations in registry.by_category()
        ]
        context["exemptions"] = sorted(
            (model._meta.label, reason) for model, reason in registry.exemptions.items()
        )
        context["today"] = timezone.localdate()
        return context
