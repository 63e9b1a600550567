"""Signals other apps listen to, so people's services need not know them."""

from django.dispatch import Signal

# Sent inside the transaction when people start belonging to an authority (created there,
# imported, or moved). Arguments: people, a list of (user, authority) pairs; joined_at.
# One signal for a whole import, so listeners can do their work in a few queries.
people_joined_authorities = Signal()
