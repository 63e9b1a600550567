"""The trainer's start in the admin: a dashboard panel with the way to each catalogue they
write for and to a new course there. Their drafts are in Wagtail's own panel "Your most
recent edits"."""

from django.urls import reverse
from wagtail.admin.ui.components import Component

from .models import CatalogPage, CoursePage


def catalogues_writable_by(*, user) -> list[CatalogPage]:
    """The catalogues this user may add courses to, in page tree order."""
    return [
        catalogue
        for catalogue in CatalogPage.objects.order_by("path")
        if catalogue.permissions_for_user(user).can_add_subpage()
    ]


class CourseAuthoringPanel(Component):
    name = "course_authoring"
    template_name = "courses/admin/course_authoring_panel.html"
    order = 90  # above the review and recent edits panels

    def __init__(self, *, catalogues):
        self.catalogues = catalogues

    def get_context_data(self, parent_context=None):
        new_course_args = (CoursePage._meta.app_label, CoursePage._meta.model_name)
        return {
            "catalogues": [
                {
                    "title": catalogue.get_admin_display_title(),
                    "explore_url": reverse("wagtailadmin_explore", args=(catalogue.pk,)),
                    "new_course_url": reverse(
                        "wagtailadmin_pages:add", args=(*new_course_args, catalogue.pk)
                    ),
                }
                for catalogue in self.catalogues
            ]
        }
