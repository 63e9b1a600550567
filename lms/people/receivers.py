from allauth.account.models import EmailAddress
from allauth.account.signals import password_reset
from django.dispatch import receiver


@receiver(password_reset)
def verify_address_on_password_reset(sender, request, user, **kwargs):
    """The reset link reached the person's mailbox, which proves the address is theirs.

    Imported people start with an unverified address and set their first password this way.
    """
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
