"""Admin: a centre admin exports (Art. 15) or erases (Art. 17) a person's data."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from lms.audit import models as audit
from lms.audit.services import audit_record_unless_own

from . import messages as msg
from .erasure import is_erased, person_erase
from .exports import data_export_request, export_requested_message
from .forms import EraseConfirmForm
from .models import DataExport


def can_export_and_erase(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_centre_admin)


class _PersonView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        if not can_export_and_erase(request.user):
            raise PermissionDenied
        self.person = get_object_or_404(get_user_model(), pk=kwargs["user_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wagtailusers_users:index"), "label": _("Users")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_page_subtitle(self):
        return str(self.person)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "person": self.person}


class PersonExportView(_PersonView):
    template_name = "privacy/admin/person_export.html"
    page_title = _("Export personal data")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["exports"] = DataExport.objects.filter(person=self.person)
        context["ready"] = DataExport.Status.READY
        return context

    def post(self, request, *args, **kwargs):
        try:
            export = data_export_request(by=request.user, person=self.person)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            # The person reads it on their page "Who viewed my data?".
            audit_record_unless_own(
                actor=request.user,
                action=audit.AuditEntry.Action.EXPORTED,
                report=audit.PERSONAL_DATA,
                report_title=str(self.page_title),
                filters={},
                subject=self.person,
            )
            messages.success(request, export_requested_message(export, person=self.person))
        return redirect("privacy_person_export", user_id=self.person.pk)


class PersonEraseView(_PersonView):
    template_name = "privacy/admin/person_erase.html"
    page_title = _("Erase personal data")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", EraseConfirmForm(person=self.person))
        context["erased"] = is_erased(self.person)
        context["is_self"] = self.person.pk == self.request.user.pk
        return context

    def post(self, request, *args, **kwargs):
        if is_erased(self.person):
            messages.info(request, msg.ALREADY_ERASED)
            return redirect("privacy_person_erase", user_id=self.person.pk)
        if self.person.pk == request.user.pk:
            messages.error(request, msg.ERROR_ERASE_SELF)
            return redirect("privacy_person_erase", user_id=self.person.pk)
        form = EraseConfirmForm(request.POST, person=self.person)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        if person_erase(person=self.person, by=request.user):
            messages.success(request, msg.ERASED)
        else:
            messages.info(request, msg.ALREADY_ERASED)
        return redirect("wagtailusers_users:index")
