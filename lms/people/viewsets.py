from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .forms import AuthorityForm, PersonCreationForm, PersonEditForm
from .models import Authority


class UserViewSet(WagtailUserViewSet):
    template_prefix = "people/users/"

    def get_form_class(self, for_update=False):
        return PersonEditForm if for_update else PersonCreationForm


class AuthorityViewSet(ModelViewSet):
    model = Authority
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
