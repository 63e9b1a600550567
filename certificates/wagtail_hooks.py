"""The Certificates menu: issued certificates and ZIP archives (centre admins and HR, within their
scope) and certificate templates (centre admins)."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import register_permission_policy

import lms.converters  # noqa: F401  (registers the `id` path converter)

from .admin.archive_views import ArchiveViewSet
from .admin.certificate_views import CertificateViewSet, certificate_permission_policy
from .admin.template_views import (
    CertificateTemplateViewSet,
    TemplatePreviewMenuItem,
    template_deletion_refusal,
    template_permission_policy,
)
from .models import Certificate, CertificateTemplate
from .signatures import signature_images_secure

# Before the viewsets are registered, which would otherwise create the default policies.
register_permission_policy(Certificate, certificate_permission_policy)
register_permission_policy(CertificateTemplate, template_permission_policy)


class CertificatesMenu(ViewSetGroup):
    menu_label = _("Certificates")
    menu_name = "certificates"
    menu_icon = "doc-full"
    menu_order = 360
    items = (CertificateViewSet, ArchiveViewSet, CertificateTemplateViewSet)


@hooks.register("register_admin_viewset")
def register_certificates_menu():
    return CertificatesMenu()


@hooks.register("before_delete_snippet")
def refuse_deleting_templates_in_use(request, instances):
    """A template courses issue with stays (the database protects it too): say so, instead of
    the error page, in the delete view and in bulk deletion."""
    templates = [obj for obj in instances if isinstance(obj, CertificateTemplate)]
    reason = template_deletion_refusal(templates=templates) if templates else None
    if reason is None:
        return None
    messages.error(request, reason)
    viewset = CertificateTemplate.snippet_viewset
    if len(templates) == 1:
        return redirect(viewset.get_url_name("edit"), templates[0].pk)
    return redirect(
        get_valid_next_url_from_request(request) or reverse(viewset.get_url_name("list"))
    )


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def signature_images_to_their_collection(request, instance):
    """Only centre admins see signature images, wherever one was uploaded."""
    if isinstance(instance, CertificateTemplate):
        signature_images_secure(template=instance)


def _template_preview_item(model, language, order):
    if model is CertificateTemplate:
        return TemplatePreviewMenuItem(language, order=order)
    return None


# The editor's action menu previews the form as it is, unsaved, in each language.
@hooks.register("register_snippet_action_menu_item")
def certificate_template_preview_german(model):
    return _template_preview_item(model, "de", order=10)


@hooks.register("register_snippet_action_menu_item")
def certificate_template_preview_english(model):
    return _template_preview_item(model, "en", order=11)
