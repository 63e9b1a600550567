"""Mapping of OpenID Connect claims onto the organisation."""

from django.conf import settings

from .models import Authority


def authority_from_claims(claims: dict) -> Authority | None:
    """The authority named by the configured claim (its abbreviation), if any."""
    claim = settings.OIDC_AUTHORITY_CLAIM
    if not claim or not isinstance(claims, dict):
        return None
    # allauth keeps the userinfo response and the ID token's claims apart; look in both.
    value = None
    for source in (claims.get("userinfo"), claims.get("id_token"), claims):
        if isinstance(source, dict) and source.get(claim):
            value = source[claim]
            break
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str) or not value.strip():
        return None
    return Authority.objects.filter(abbreviation__iexact=value.strip()).first()
