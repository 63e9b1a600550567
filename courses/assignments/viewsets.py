"""Assignments and standing rules as Wagtail viewsets: the lists are Wagtail's index views, the
other screens are the area's own (two steps for assigning and for rules, recorded changes), all
behind one permission policy."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from ..models import Assignment, AssignmentRule
from . import panels, rule_views, views
from .common import SubmitButtonColumn
from .forms import field_label


class ScopedIndexView(IndexView):
    """A list in the user's scope, ordered by its selector, with the add button in the header."""

    paginate_by = 25
    default_ordering = None

    def order_queryset(self, queryset):
        return queryset  # as the selector orders them

    @property
    def header_buttons(self):
        return [HeaderButton(self.add_item_label, url=self.get_add_url(), icon_name="plus")]


class ScopedViewSet(ModelViewSet):
    """The list is Wagtail's; `screens` are the area's own views for everything else."""

    add_to_admin_menu = False
    copy_view_enabled = False
    screens = ()

    def get_permissions_to_register(self):
        # The role and scope decide (permissions.py); group permissions would change nothing.
        return Permission.objects.none()

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            *(path(route, view, name=name) for route, view, name in self.screens),
        ]


class AssignmentIndexView(ScopedIndexView):
    """Assignments in the user's scope, newest first, each with the number of people reached."""

    page_title = _("Assignments")
    add_item_label = _("Assign a course")

    def get_base_queryset(self):
        return views.visible_assignments(self.request, "view")

    @property
    def columns(self):
        return [
            TitleColumn(
                "course",
                label=field_label(Assignment, "course"),
                accessor="course.title",
                get_url=lambda a: self.get_inspect_url(a),
            ),
            Column("target", label=_("Assigned to"), accessor=views.target_of),
            Column("due_on", label=_("Due date"), accessor=lambda a: views.short_date(a.due_on)),
            Column("people_count", label=_("People")),
            Column("status", label=_("Status"), accessor=views.status_of),
            Column("created_by", label=_("Created by"), accessor="created_by"),
        ]

    def get_list_more_buttons(self, instance):
        buttons = [MenuItem(_("Show"), url=self.get_inspect_url(instance), icon_name="info-circle")]
        if not instance.is_withdrawn:
            buttons += [
                MenuItem(
                    _("Change due date"),
                    url=self.get_edit_url(instance),
                    icon_name="date",
                    priority=10,
                ),
                MenuItem(
                    _("Withdraw"), url=self.get_delete_url(instance), icon_name="bin", priority=30
                ),
            ]
        return buttons


class AssignmentViewSet(ScopedViewSet):
    model = Assignment
    name = "courses_assignments"
    url_prefix = "courses/assignments"
    icon = "clipboard-list"
    index_view_class = AssignmentIndexView
    inspect_view_enabled = True

    screens = (
        ("new/", views.assignment_add, "add"),
        ("people/", views.people_search, "people"),
        ("overdue/", panels.overdue_list, "overdue"),
        ("<int:pk>/", views.assignment_detail, "inspect"),
        ("<int:pk>/due-date/", views.assignment_due_edit, "edit"),
        ("<int:pk>/withdraw/", views.assignment_withdraw_view, "delete"),
        ("<int:pk>/people/<int:enrolment_id>/extend/", views.enrolment_extend, "extend"),
    )


class AssignmentRuleIndexView(ScopedIndexView):
    """Rules in the user's scope, each with a button to deactivate an active one."""

    page_title = _("Assignment rules")
    add_item_label = _("New assignment rule")
    no_results_message = _("There are no assignment rules yet.")

    def get_base_queryset(self):
        return rule_views.rules_of(self.request)

    @property
    def columns(self):
        return [
            TitleColumn(
                "course",
                label=field_label(AssignmentRule, "course"),
                accessor="course.title",
                get_url=lambda r: self.get_edit_url(r),
            ),
            Column(
                "authority",
                label=field_label(AssignmentRule, "authority"),
                accessor=lambda r: str(r.authority),
            ),
            Column("due_after_days", label=field_label(AssignmentRule, "due_after_days")),
            Column("recurrence", label=_("Recurrence"), accessor=lambda r: r.recurrence_display()),
            Column(
                "active",
                label=_("Status"),
                accessor=lambda r: _("Active") if r.active else _("Inactive"),
            ),
            Column("created_by", label=_("Created by"), accessor="created_by"),
            SubmitButtonColumn(
                "deactivate",
                label=_("Actions"),
                url=lambda r: reverse("courses_assignment_rules:deactivate", args=[r.pk]),
                button_label=_("Deactivate"),
                shown=lambda r: r.active,
            ),
        ]

    def get_list_more_buttons(self, instance):
        return [MenuItem(_("Edit"), url=self.get_edit_url(instance), icon_name="edit")]


class AssignmentRuleViewSet(ScopedViewSet):
    """Rules keep their screens with a preview before confirming (rule_views); the URLs are the
    ones the rules always had: courses/rules/, new/, <id>/ and <id>/deactivate/."""

    model = AssignmentRule
    name = "courses_assignment_rules"
    url_prefix = "courses/rules"
    icon = "tasks"
    index_view_class = AssignmentRuleIndexView
    pk_path_converter = "id"

    screens = (
        ("new/", rule_views.assignment_rule_add, "add"),
        ("<id:pk>/", rule_views.assignment_rule_edit, "edit"),
        ("<id:pk>/deactivate/", rule_views.assignment_rule_deactivate_view, "deactivate"),
    )
