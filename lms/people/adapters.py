"""allauth adapters: who may sign up, and how an SSO identity becomes a person."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings

from .roles import STAFF_ROLES
from .services import user_move
from .sso import authority_from_claims


def email_domain_allows_signup(email: str) -> bool:
    domain = (email or "").rpartition("@")[2].strip().lower()
    return bool(domain) and domain in settings.ACCOUNT_SIGNUP_DOMAINS


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Closed unless e-mail domains are listed; the signup form checks the address itself.
        # (Not clean_email: allauth also runs that for SSO logins of existing people.)
        return bool(settings.ACCOUNT_SIGNUP_DOMAINS)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """People who already exist (imported) sign in by SSO; new ones only from listed domains."""

    def is_open_for_signup(self, request, sociallogin):
        return email_domain_allows_signup(sociallogin.user.email)

    def can_authenticate_by_email(self, login, email):
        # An IdP account carrying a staff member's address must not take over their account:
        # trainers, HR and centre admins connect their SSO login themselves, once signed in.
        from allauth.account.internal.userkit import filter_users_by_email

        if any(user.roles & STAFF_ROLES for user in filter_users_by_email(email)):
            return False
        return super().can_authenticate_by_email(login, email)

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.email = (user.email or "").strip().lower()
        return user

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form=form)
        authority = authority_from_claims(sociallogin.account.extra_data)
        if authority is not None:
            user_move(user=user, authority=authority)
        return user
