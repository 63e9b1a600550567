"""The import screen in the Wagtail admin: upload a CSV file of people, check it, import it."""

from django import forms
from django.conf import settings
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.auth import permission_required

from . import messages as msg
from .imports import role_names_text, users_import
from .roles import Role


class UserImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    dry_run = forms.BooleanField(label=_("Only check, do not import"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = filesizeformat(settings.LMS_IMPORT_MAX_BYTES)
        self.fields["file"].help_text = _(
            "UTF-8 encoded, columns separated by semicolons or commas; at most %(limit)s."
        ) % {"limit": limit}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Checked before reading, so an oversized upload is never loaded into memory.
        if upload.size > settings.LMS_IMPORT_MAX_BYTES:
            limit = filesizeformat(settings.LMS_IMPORT_MAX_BYTES)
            raise forms.ValidationError(msg.IMPORT_ERROR_TOO_LARGE % {"limit": limit})
        return upload


@permission_required("people.import_users")
def user_import(request):
    posted = request.method == "POST"
    form = UserImportForm(request.POST, request.FILES) if posted else UserImportForm()
    errors = []
    if posted and form.is_valid():
        report = users_import(
            data=form.cleaned_data["file"].read(),
            by=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
        if report.ok:
            done = msg.IMPORT_DRY_RUN_SUCCESS if report.dry_run else msg.IMPORT_SUCCESS
            messages.success(request, done % report.counts)
            return redirect("people_import")
        errors = report.errors
        messages.error(request, msg.IMPORT_FAILED)
    context = {
        "form": form,
        "errors": errors,
        "page_title": _("Import people"),
        # The browser tab's title (Wagtail's generic base reads header_title).
        "header_title": _("Import people"),
        "header_icon": "upload",
        "can_assign_roles": Role.CENTRE_ADMIN in request.user.roles,
        "role_names": role_names_text(),
    }
    return TemplateResponse(request, "people/import.html", context)
