"""Messages people see, defined once so that code and tests refer to the same text."""

from django.utils.translation import gettext_lazy as _

ERROR_SIGNUP_DOMAIN = _(
    "Self-registration is not possible with this e-mail address. Please ask your HR "
    "coordinator to add you, or sign in with your state account."
)
