"""One person's learning record, on screen and printable."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from certificates.models import Certificate

from .. import selectors
from ..permissions import VIEW, reports_permission_policy
from .common import _audit


class PersonRecordView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """One person's learning record: courses, quiz attempts, certificates. Printable."""

    template_name = "reports/person_record.html"
    print_template_name = "reports/person_record_print.html"
    page_title = _("Learning record")
    header_icon = "user"
    report_slug = "person"
    permission_policy = reports_permission_policy
    permission_required = VIEW

    def get(self, request, *args, person_id, **kwargs):
        self.record = selectors.person_record(viewer=request.user, person_id=person_id)
        printing = request.GET.get("print") == "1"
        _audit(
            actor=request.user,
            action="PRINTED" if printing else "VIEWED",
            report=self.report_slug,
            report_title=str(self.page_title),
            filters={},
            row_count=len(self.record.enrolments),
            subject=self.record.person,
        )
        if printing:
            return render(request, self.print_template_name, self.record_context())
        return super().get(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.record.person.get_full_name()

    def record_context(self):
        today = timezone.localdate()
        return {
            "record": self.record,
            "person": self.record.person,
            "status_labels": selectors.STATUS_LABELS,
            "today": today,
            "printed_at": timezone.localtime(),
            "certificates": [
                (certificate, Certificate.Status(certificate.status(today)).label)
                for certificate in self.record.certificates
            ],
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.record_context())
        context["print_url"] = reverse("reports_person", args=[self.record.person.pk]) + "?print=1"
        return context
