"""Signals other apps listen to, so people's services need not know them."""

from django.dispatch import Signal

# Sent inside the transaction when a person starts belonging to an authority (created there,
# imported, or moved). Arguments: user, authority, joined_at.
person_joined_authority = Signal()
