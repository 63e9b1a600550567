"""Certificate files, handed out only to those who may see them."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from lms.audit import models as audit
from lms.audit.services import audit_record_unless_own

from ..selectors import certificates_visible_to


@never_cache
@login_required
def certificate_download(request, certificate_id: int):
    """The PDF for its owner, HR of their scope and centre admins; 404 for everyone else, so
    nobody learns which certificates exist by trying numbers. A download by anyone but the
    holder is written to the access log."""
    certificate = (
        certificates_visible_to(user=request.user).issued().filter(pk=certificate_id).first()
    )
    if certificate is None:
        raise Http404
    course = certificate.content["fields"]["course"]
    completed = certificate.content["fields"]["completed_on"]
    filename = f"Zertifikat-{slugify(course)[:60]}-{completed}.pdf"
    pdf = certificate.pdf.open("rb")
    # HR or a centre admin: the holder reads it on their page "Who viewed my data?".
    audit_record_unless_own(
        actor=request.user,
        action=audit.AuditEntry.Action.DOWNLOADED,
        report=audit.CERTIFICATE,
        report_title=_("Certificate"),
        filters={"course": course},
        subject=certificate.user,
    )
    return FileResponse(
        pdf,
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )
