"""Certificate files, handed out only to those who may see them."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.utils.text import slugify
from django.views.decorators.cache import never_cache

from ..selectors import certificates_visible_to


@never_cache
@login_required
def certificate_download(request, certificate_id: int):
    """The PDF for its owner, HR of their scope and centre admins; 404 for everyone else, so
    nobody learns which certificates exist by trying numbers."""
    certificate = (
        certificates_visible_to(user=request.user).filter(pk=certificate_id, sha256__gt="").first()
    )
    if certificate is None:
        raise Http404
    completed = certificate.content["fields"]["completed_on"]
    filename = f"Zertifikat-{slugify(certificate.content['fields']['course'])[:60]}-{completed}.pdf"
    return FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )
