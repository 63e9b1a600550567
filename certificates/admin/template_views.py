"""Certificate templates as snippets, for centre admins: edit, preview as PDF, delete if unused."""

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.snippets import DeleteView, EditView, IndexView, SnippetViewSet

from certificates import admin_messages as msg
from certificates.models import CertificateTemplate
from certificates.rendering import certificate_render
from certificates.services import certificate_sample_content
from courses.models import CoursePage

from .permissions import CentreAdminOnlyPolicy, no_permissions_to_register

template_permission_policy = CentreAdminOnlyPolicy(CertificateTemplate)

PREVIEW_LANGUAGES = {"de": _("Preview (PDF, German)"), "en": _("Preview (PDF, English)")}
# Printed where the verification code goes: recognisably a sample (random codes are not zeros).
SAMPLE_CODE = "0" * 28


def template_deletion_refusal(*, templates) -> str | None:
    """Why one of these templates cannot be deleted (courses issue with it), or None."""
    for template in templates:
        titles = list(
            CoursePage.objects.filter(certificate_template=template)
            .order_by("title")
            .values_list("title", flat=True)
        )
        if titles:
            return str(msg.ERROR_TEMPLATE_IN_USE) % {
                "name": template.name,
                "courses": ", ".join(f"“{title}”" for title in titles),
            }
    return None


def template_preview_url(template, language):
    viewset = CertificateTemplate.snippet_viewset
    return reverse(viewset.get_url_name("preview_pdf"), args=[quote(template.pk), language])


def _preview_buttons(template, *, priority):
    return [
        Button(
            label,
            url=template_preview_url(template, language),
            icon_name="view",
            attrs={"target": "_blank", "rel": "noopener"},
            priority=priority + number,
        )
        for number, (language, label) in enumerate(PREVIEW_LANGUAGES.items())
    ]


@never_cache
def template_preview_pdf(request, pk, language):
    """The saved template filled with sample data, as the PDF a certificate would be. Renders
    in memory and stores nothing: no certificate row, no file."""
    if not template_permission_policy.user_has_permission(request.user, "change"):
        raise PermissionDenied
    if language not in PREVIEW_LANGUAGES:
        raise Http404
    template = get_object_or_404(CertificateTemplate, pk=pk)
    content = certificate_sample_content(template=template, language=language)
    data = certificate_render(content=content, code=SAMPLE_CODE)
    response = HttpResponse(data, content_type="application/pdf")
    filename = f"Vorschau-{slugify(template.name)[:60] or template.pk}-{language}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


class TemplateIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        return [*super().get_list_more_buttons(instance), *_preview_buttons(instance, priority=40)]


class TemplateEditView(EditView):
    @cached_property
    def header_more_buttons(self):
        return [*super().header_more_buttons, *_preview_buttons(self.object, priority=5)]


class TemplateDeleteView(DeleteView):
    """The before_delete_snippet hook refuses templates in use; this covers a course choosing
    the template between that check and the delete."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError:
            messages.error(self.request, template_deletion_refusal(templates=[self.object]))
            return redirect(self.edit_url_name, quote(self.object.pk))


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "form"
    menu_label = _("Certificate templates")
    menu_name = "certificate-templates"
    # Listed in the Certificates menu, so not again under Snippets.
    menu_item_is_registered = True
    url_prefix = "certificates/templates"
    url_namespace = "certificate_templates"
    index_view_class = TemplateIndexView
    edit_view_class = TemplateEditView
    delete_view_class = TemplateDeleteView
    list_display = [
        "name",
        "issuer",
        Column("version", label=_("Version"), sort_key="version"),
        DateColumn("updated_at", label=_("Last changed"), sort_key="updated_at"),
    ]
    search_fields = ["name", "issuer"]
    ordering = ["name"]
    copy_view_enabled = False

    def get_permissions_to_register(self):
        return no_permissions_to_register()

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "preview/<id:pk>/<str:language>.pdf",
                template_preview_pdf,
                name="preview_pdf",
            ),
        ]
