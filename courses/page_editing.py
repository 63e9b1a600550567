"""The page editor: a new page is created only when its author saves it.

Wagtail 8 autosaves the add form as well: its first autosave creates the page, and the form
switches to the new page only when that request returns. An author who clicks "Save draft"
meanwhile posts to the add form again, and gets "the slug is already in use" for the page
the autosave has just created; an author who leaves the form leaves that page behind as a
draft nobody saved. So the add form has no autosave (and the add view refuses an autosave
request that arrives anyway, e.g. from a page loaded before this change); once saved, the
page's edit form autosaves as usual. docs/decisions/0018.
"""

from django.utils.translation import gettext as _
from wagtail.admin.views.pages.create import CreateView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page, get_page_models

ERROR_SAVE_FIRST = "save_first"


class CreateOnSaveView(CreateView):
    def post(self, request):
        if self.expects_json_response:
            return self.json_error_response(
                ERROR_SAVE_FIRST,
                _("Changes are saved automatically once the page has been saved."),
            )
        return super().post(request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["autosave_enabled"] = False
        context["autosave_indicator"] = None
        return context


class CreateOnSavePageViewSet(PageViewSet):
    add_view_class = CreateOnSaveView

    @property
    def parent_models(self):
        # Only the add view changes: the explorer keeps listing child pages as before.
        return []


def page_viewsets() -> list[PageViewSet]:
    """One viewset per page type: Wagtail looks the add view up by the type of the new page."""
    return [
        CreateOnSavePageViewSet(
            name=f"page_editing_{model._meta.app_label}_{model._meta.model_name}", model=model
        )
        for model in get_page_models()
        if model is not Page
    ]
