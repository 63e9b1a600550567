"""allauth adapters: who may sign up, and how an SSO identity becomes a person."""

from urllib.parse import quote, urlsplit

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.urls import reverse

from lms.public_urls import public_url

from .roles import STAFF_ROLES
from .services import user_move
from .sso import authority_from_claims


def email_domain_allows_signup(email: str) -> bool:
    domain = (email or "").rpartition("@")[2].strip().lower()
    return bool(domain) and domain in settings.ACCOUNT_SIGNUP_DOMAINS


class PublicSite:
    """The site as allauth's e-mails name it: its name and public host, not the request's."""

    def __init__(self):
        self.name = settings.WAGTAIL_SITE_NAME
        self.domain = urlsplit(settings.PUBLIC_BASE_URL).netloc

    def __str__(self):
        return self.name


def _on_public_site(value, request_host: str):
    """An absolute link to the request's host, moved onto PUBLIC_BASE_URL; else `value`."""
    if not isinstance(value, str):
        return value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or parts.netloc != request_host:
        return value
    path = parts.path or "/"
    return public_url(f"{path}?{parts.query}" if parts.query else path)


class AccountAdapter(DefaultAccountAdapter):
    """Links in allauth's e-mails (confirm address, reset password, sign up) are built from
    PUBLIC_BASE_URL: a request's Host header is the client's to choose, and the link is used
    long after the request."""

    def is_open_for_signup(self, request):
        # Closed unless e-mail domains are listed; the signup form checks the address itself.
        # (Not clean_email: allauth also runs that for SSO logins of existing people.)
        return bool(settings.ACCOUNT_SIGNUP_DOMAINS)

    def get_reset_password_from_key_url(self, key):
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return public_url(path.replace("UID-KEY", quote(key)))

    def get_email_confirmation_url(self, request, emailconfirmation):
        return public_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def format_email_subject(self, subject):
        # allauth's default prefix is the request's host.
        if account_settings.EMAIL_SUBJECT_PREFIX is None:
            return f"[{settings.WAGTAIL_SITE_NAME}] {subject}"
        return super().format_email_subject(subject)

    def send_mail(self, template_prefix, email, context):
        # Other links allauth puts into its mails (the sign-up and password reset pages) come
        # from the request; they are moved onto the public address here, all in one place.
        request = allauth_context.request
        if request is not None:
            host = request.get_host()
            context = {key: _on_public_site(value, host) for key, value in context.items()}
        super().send_mail(template_prefix, email, {**context, "current_site": PublicSite()})


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
