"""The learner's page "My data": request a download of everything about oneself (Art. 15)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lms.audit import models as audit
from lms.audit.services import audit_record_unless_own

from .exports import (
    data_export_can_be_downloaded_by,
    data_export_request,
    export_requested_message,
)
from .models import DataExport


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def my_data(request):
    if request.method == "POST":
        try:
            export = data_export_request(by=request.user, person=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, export_requested_message(export))
        return redirect("privacy:my_data")
    exports = DataExport.objects.filter(person=request.user)
    return TemplateResponse(
        request,
        "privacy/my_data.html",
        {"exports": exports, "ready": DataExport.Status.READY},
    )


@login_required
def data_export_download(request, pk: int):
    """The ZIP, for the person it is about and centre admins; 404 for everyone else."""
    export = get_object_or_404(DataExport, pk=pk)
    if not data_export_can_be_downloaded_by(user=request.user, export=export):
        raise Http404
    zip_file = export.file.open("rb")
    # A centre admin: the person reads it on their page "Who viewed my data?".
    audit_record_unless_own(
        actor=request.user,
        action=audit.AuditEntry.Action.DOWNLOADED,
        report=audit.PERSONAL_DATA,
        report_title=_("Export personal data"),
        filters={},
        subject=export.person,
    )
    response = FileResponse(
        zip_file,
        as_attachment=True,
        filename=export.file.name.rsplit("/", 1)[-1],
        content_type="application/zip",
    )
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response
