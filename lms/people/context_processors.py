from django.conf import settings


def signup(request):
    """Whether self-registration is open, so pages offer it only when it is."""
    return {"SIGNUP_OPEN": bool(settings.ACCOUNT_SIGNUP_DOMAINS)}
