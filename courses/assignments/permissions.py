"""Who may manage mandatory training, and which assignments and rules: one policy for the area.

HR coordinators and centre admins may add, change and withdraw (delete) assignments and rules;
per instance, only those in their scope, as the lists show them (`assignments_visible_to`,
`assignment_rules_visible_to`, built on lms.people's `authorities_visible_to` and
`people_visible_to`). Nobody else may do anything here, whatever Django permissions they hold.
"""

from django.db.models import Q
from wagtail.permission_policies.base import BasePermissionPolicy

from lms.people.models import User
from lms.people.roles import ROLE_GROUP_NAMES, Role
from lms.people.selectors import user_roles

from ..models import Assignment, AssignmentRule

ACTIONS = frozenset({"add", "change", "delete", "view"})


def can_manage_mandatory_training(user) -> bool:
    return bool(user_roles(user=user) & {Role.HR, Role.CENTRE_ADMIN})


class MandatoryTrainingPermissionPolicy(BasePermissionPolicy):
    """For Assignment and AssignmentRule: the role decides the action, the scope the instance."""

    def user_has_permission(self, user, action):
        return action in ACTIONS and can_manage_mandatory_training(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        if not ACTIONS & set(actions):
            return User.objects.none()
        return User.objects.filter(
            Q(is_superuser=True) | Q(groups__name=ROLE_GROUP_NAMES[Role.HR]), is_active=True
        ).distinct()

    def instances_user_has_any_permission_for(self, user, actions):
        from .selectors import assignment_rules_visible_to, assignments_visible_to

        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        if self.model is Assignment:
            return assignments_visible_to(user=user)
        return assignment_rules_visible_to(user=user)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return (
            self.instances_user_has_any_permission_for(user, actions)
            .filter(pk=instance.pk)
            .exists()
        )

    def users_with_any_permission_for_instance(self, actions, instance):
        # Who sees an instance depends on each coordinator's scope; admins see all.
        return self.users_with_any_permission(actions)


assignment_policy = MandatoryTrainingPermissionPolicy(Assignment)
rule_policy = MandatoryTrainingPermissionPolicy(AssignmentRule)
