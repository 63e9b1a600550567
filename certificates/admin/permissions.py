"""Who may open the certificate screens; which rows they see is certificates_visible_to's job."""

from django.contrib.auth.models import Permission
from wagtail.permission_policies import ModelPermissionPolicy

from certificates.selectors import certificates_visible_to

READ_ONLY_ACTIONS = frozenset({"view"})


class CentreAdminOnlyPolicy(ModelPermissionPolicy):
    """Every action for centre admins (superusers), none for anyone else, whatever their groups
    hold: certificate templates are the centre's letterhead."""

    def user_has_permission(self, user, action):
        return bool(user.is_active and user.is_superuser)

    def users_with_any_permission(self, actions):
        return self.auth_model._default_manager.filter(is_active=True, is_superuser=True)


class IssuedCertificatePolicy(ModelPermissionPolicy):
    """Issued certificates are never added, edited or deleted by hand, not even by centre
    admins; revoking and re-issuing are services. Viewing needs `certificates.view_certificate`
    (HR) or a superuser, and then covers the certificates in the user's scope only."""

    def user_has_permission(self, user, action):
        if action not in READ_ONLY_ACTIONS:
            return False
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and certificates_visible_to(user=user).filter(pk=instance.pk).exists()
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return certificates_visible_to(user=user)

    def users_with_any_permission(self, actions):
        if not READ_ONLY_ACTIONS & set(actions):
            return self.auth_model._default_manager.none()
        return super().users_with_any_permission(READ_ONLY_ACTIONS)


def no_permissions_to_register():
    """For viewsets whose model permissions mean nothing in the group editor."""
    return Permission.objects.none()
