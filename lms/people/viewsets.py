from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic.models import DeleteView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.users.views.users import EditView as WagtailUserEditView
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from lms.audit import models as audit
from lms.audit.services import audit_record

from .forms import AuthorityForm, PersonCreationForm, PersonEditForm
from .models import Authority
from .services import authority_delete


class PersonEditView(WagtailUserEditView):
    """A person's account in the user administration. Opening and changing someone else's is
    written to the access log, which they read on their page "Who viewed my data?"."""

    def _audit(self, action):
        if self.object.pk == self.request.user.pk:
            return
        audit_record(
            actor=self.request.user,
            action=action,
            report=audit.ACCOUNT,
            report_title=_("Account"),
            filters={},
            subject=self.object,
        )

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        self._audit(audit.AuditEntry.Action.VIEWED)
        return response

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.has_changed():
            self._audit(audit.AuditEntry.Action.CHANGED)
        return response


class UserViewSet(WagtailUserViewSet):
    template_prefix = "people/users/"
    edit_view_class = PersonEditView

    def get_form_class(self, for_update=False):
        return PersonEditForm if for_update else PersonCreationForm


class AuthorityDeleteView(DeleteView):
    def delete_action(self):
        authority_delete(authority=self.object)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            for message in error.messages:
                messages.error(self.request, message)
            return redirect(self.edit_url_name, self.object.pk)


class AuthorityViewSet(ModelViewSet):
    model = Authority
    delete_view_class = AuthorityDeleteView
    icon = "site"
    menu_order = 610
    add_to_settings_menu = True
    list_display = ["indented_name", "abbreviation", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "abbreviation"]
    ordering = ["path"]
    copy_view_enabled = False
    inspect_view_enabled = True

    def get_form_class(self, for_update=False):
        return AuthorityForm
