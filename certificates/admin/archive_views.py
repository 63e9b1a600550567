"""ZIP archives of certificates in the admin: request one, see one's own, download it."""

import posixpath

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, Table, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from certificates import admin_messages as msg
from certificates.archives import (
    archive_audit_filters,
    archive_can_be_downloaded_by,
    certificate_archive_request,
)
from certificates.forms import ArchiveRequestForm
from certificates.models import CertificateArchive
from lms.audit import models as audit
from lms.audit.selectors import audit_subject_ids
from lms.audit.services import audit_record_many

from .certificate_views import can_see_certificates

URL_NAMESPACE = "certificate_archives"
PAGE_SIZE = 25


def _download_url(archive):
    if archive.status != CertificateArchive.Status.READY:
        return None
    return reverse(f"{URL_NAMESPACE}:download", args=[archive.pk])


def _archives_table(archives):
    return Table(
        [
            Column("course", label=_("Course"), accessor="course.title"),
            Column("authority", label=_("Part of the organisation"), accessor="authority"),
            Column(
                "created_at",
                label=_("Requested"),
                accessor=lambda a: date_format(
                    timezone.localtime(a.created_at), "SHORT_DATETIME_FORMAT"
                ),
            ),
            Column("status", label=_("Status"), accessor="get_status_display"),
            Column("count", label=_("Certificates"), accessor="count"),
            TitleColumn(
                "file",
                label=_("File"),
                accessor=lambda a: _("Download ZIP") if _download_url(a) else "",
                get_url=_download_url,
            ),
        ],
        archives,
        caption=_("Your archives"),
    )


class ArchiveIndexView(WagtailAdminTemplateMixin, FormView):
    """Request an archive and list one's own, newest first."""

    template_name = "certificates/admin/archives.html"
    page_title = _("ZIP archives of certificates")
    header_icon = "download"
    form_class = ArchiveRequestForm

    def dispatch(self, request, *args, **kwargs):
        if not can_see_certificates(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            certificate_archive_request(
                by=self.request.user, authority=data["authority"], course=data["course"]
            )
        except PermissionDenied:
            form.add_error("authority", msg.ERROR_ARCHIVE_OUT_OF_SCOPE)
            return self.form_invalid(form)
        messages.success(
            self.request,
            msg.MESSAGE_ARCHIVE_QUEUED
            % {"course": data["course"].title, "authority": data["authority"]},
        )
        return redirect(f"{URL_NAMESPACE}:index")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        archives = CertificateArchive.objects.filter(requested_by=self.request.user).select_related(
            "course", "authority"
        )
        page = Paginator(archives, PAGE_SIZE).get_page(self.request.GET.get("p"))
        context.update(
            {
                "items": page,
                "table": _archives_table(page),
                "elided_page_range": page.paginator.get_elided_page_range(page.number),
            }
        )
        return context


@never_cache
def archive_download(request, pk):
    """The ZIP, streamed from storage, for its requester (while the authority is still in their
    scope) and for centre admins; 404 for everyone else. A centre admin's download of someone
    else's archive is written to the access log, once per holder."""
    if not can_see_certificates(request.user):
        raise PermissionDenied
    archive = CertificateArchive.objects.select_related("authority", "course").filter(pk=pk).first()
    if archive is None or not archive_can_be_downloaded_by(user=request.user, archive=archive):
        raise Http404
    zip_file = archive.file.open("rb")
    if archive.requested_by_id != request.user.pk:
        # A centre admin fetching someone else's archive: each holder learns of it. The
        # requester's own downloads are covered by the entries the build wrote for them.
        filters = archive_audit_filters(archive)
        audit_record_many(
            actor=request.user,
            action=audit.AuditEntry.Action.DOWNLOADED,
            report=audit.CERTIFICATE_ARCHIVE,
            report_title=_("ZIP archive of certificates"),
            filters=filters,
            subject_ids=audit_subject_ids(
                report=audit.CERTIFICATE_ARCHIVE,
                action=audit.AuditEntry.Action.EXPORTED,
                filters={"archive": archive.pk},
            ),
            row_count=archive.count,
        )
    return FileResponse(
        zip_file,
        as_attachment=True,
        filename=posixpath.basename(archive.file.name),
        content_type="application/zip",
    )


class ArchiveMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_certificates(request.user)


class ArchiveViewSet(ViewSet):
    name = URL_NAMESPACE
    url_prefix = "certificates/archives"
    icon = "download"
    menu_label = _("ZIP archives")
    menu_name = "certificate-archives"
    menu_item_class = ArchiveMenuItem

    def get_urlpatterns(self):
        return [
            path("", ArchiveIndexView.as_view(), name="index"),
            path("<id:pk>/download/", archive_download, name="download"),
        ]
