"""Certificate templates as snippets, for centre admins: edit, preview as PDF, delete if unused."""

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.widgets.button import Button
from wagtail.snippets.action_menu import ActionMenuItem
from wagtail.snippets.views.snippets import DeleteView, IndexView, SnippetViewSet

from certificates import admin_messages as msg
from certificates.models import CertificateTemplate
from certificates.rendering import (
    CertificateLayoutError,
    CertificateRenderError,
    certificate_render,
)
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


def _pdf_response(template, language):
    """`template` (saved or not) filled with sample data, as the PDF a certificate would be.
    Renders in memory and stores nothing: no certificate row, no file."""
    content = certificate_sample_content(template=template, language=language)
    data = certificate_render(content=content, code=SAMPLE_CODE)
    response = HttpResponse(data, content_type="application/pdf")
    filename = f"Vorschau-{slugify(template.name)[:60] or 'Vorlage'}-{language}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@never_cache
def template_preview_pdf(request, pk, language):
    """The saved template as PDF (the buttons in the list of templates)."""
    if not template_permission_policy.user_has_permission(request.user, "change"):
        raise PermissionDenied
    if language not in PREVIEW_LANGUAGES:
        raise Http404
    template = get_object_or_404(CertificateTemplate, pk=pk)
    return _pdf_response(template, language)


@never_cache
@require_POST
def template_preview_form(request, language, pk=None):
    """What the editor's form would save, as PDF, without saving it: the form's data (texts,
    colours, a newly chosen logo or signature image) on an unsaved copy of the template.

    An invalid form gets a page naming each mistake; the template and its version stay as they
    are either way.
    """
    action = "add" if pk is None else "change"
    if not template_permission_policy.user_has_permission(request.user, action):
        raise PermissionDenied
    if language not in PREVIEW_LANGUAGES:
        raise Http404
    instance = (
        CertificateTemplate() if pk is None else get_object_or_404(CertificateTemplate, pk=pk)
    )
    form_class = CertificateTemplate.snippet_viewset.get_form_class(for_update=pk is not None)
    form = form_class(request.POST, request.FILES, instance=instance, for_user=request.user)
    if not form.is_valid():
        return _preview_refused(request, errors=_form_errors(form))
    # commit=False: the template and its signatures change in memory only.
    unsaved = form.save(commit=False)
    try:
        return _pdf_response(unsaved, language)
    except CertificateRenderError as error:
        return _preview_refused(request, errors=[(None, [_render_problem(error)])])


def _render_problem(error):
    if isinstance(error, CertificateLayoutError):
        return msg.ERROR_PREVIEW_TOO_LONG
    return msg.ERROR_PREVIEW_FAILED


def _form_errors(form):
    """(field label or None, messages) for the form, its signatures and the whole form."""
    found = [
        (form.fields[name].label if name in form.fields else None, errors)
        for name, errors in form.errors.items()
    ]
    for formset in form.formsets.values():
        for number, child in enumerate(formset.forms, start=1):
            for name, errors in child.errors.items():
                label = child.fields[name].label if name in child.fields else ""
                found.append((f"{msg.SIGNATURE_NUMBER % {'number': number}}: {label}", errors))
        if formset.non_form_errors():
            found.append((None, formset.non_form_errors()))
    return found


def _preview_refused(request, *, errors):
    return TemplateResponse(
        request,
        "certificates/admin/template_preview_errors.html",
        {
            "errors": errors,
            "page_title": msg.PREVIEW_REFUSED,
            "header_title": msg.PREVIEW_REFUSED,
            "header_icon": "warning",
            "fix_form": msg.PREVIEW_FIX_FORM,
        },
        status=422,
    )


class TemplatePreviewMenuItem(ActionMenuItem):
    """A button in the editor's action menu that sends the form, as it is, to the preview."""

    template_name = "certificates/admin/template_preview_menu_item.html"
    icon_name = "view"

    class Media:
        js = ["certificates/admin/template-preview.js"]

    def __init__(self, language, order):
        super().__init__(order=order)
        self.language = language
        self.label = PREVIEW_LANGUAGES[language]
        self.name = f"preview-{language}"

    def is_shown(self, context):
        return context.get("view") in ("create", "edit") and super().is_shown(context)

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        viewset = CertificateTemplate.snippet_viewset
        instance = parent_context.get("instance")
        if parent_context["view"] == "edit" and instance is not None and instance.pk:
            url = reverse(viewset.get_url_name("preview_form"), args=[instance.pk, self.language])
        else:
            url = reverse(viewset.get_url_name("preview_new"), args=[self.language])
        context["preview_url"] = url
        return context


class TemplateIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        return [*super().get_list_more_buttons(instance), *_preview_buttons(instance, priority=40)]


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
            path(
                "preview/<id:pk>/<str:language>/form.pdf",
                template_preview_form,
                name="preview_form",
            ),
            path(
                "preview/new/<str:language>/form.pdf",
                template_preview_form,
                name="preview_new",
            ),
        ]
