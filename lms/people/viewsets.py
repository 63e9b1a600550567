from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from wagtail.admin.views.generic.models import DeleteView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .forms import AuthorityForm, PersonCreationForm, PersonEditForm
from .models import Authority
from .services import authority_delete


class UserViewSet(WagtailUserViewSet):
    template_prefix = "people/users/"

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
