"""Who may open the reports: HR coordinators and centre admins.

The policy answers "may this person use the reports at all"; what each of them sees is their
scope, which every selector in lms.reports.selectors starts from. Reports are read, never
added, changed or deleted, so "view" is the only action.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies import BasePermissionPolicy

from courses.models import Enrolment
from lms.people.roles import ROLE_GROUP_NAMES, Role

VIEW = "view"


class ReportsPermissionPolicy(BasePermissionPolicy):
    """The reports area (completion, participants, compliance, a person's learning record)."""

    def __init__(self):
        # The participations the reports are about.
        super().__init__(Enrolment)

    def user_has_permission(self, user, action):
        if action != VIEW or not user.is_authenticated:
            return False
        return bool(user.is_hr or user.is_centre_admin)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        users = get_user_model()._default_manager.filter(is_active=True)
        if VIEW not in actions:
            return users.none()
        return users.filter(
            Q(is_superuser=True) | Q(groups__name=ROLE_GROUP_NAMES[Role.HR])
        ).distinct()


reports_permission_policy = ReportsPermissionPolicy()
