"""Text helpers shared by the apps."""

import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

# "Prüfung" -> "Pruefung": how German is written where only ASCII is allowed (file names).
_GERMAN_FOLD = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"}
)


def ascii_german(text: str) -> str:
    """The text in ASCII, umlauts spelt out, other accents dropped (é -> e)."""
    folded = unicodedata.normalize("NFKD", text.translate(_GERMAN_FOLD))
    return folded.encode("ascii", "ignore").decode("ascii")


def percent_text(value) -> str:
    """A percentage with one decimal, rounded half up (4 of 6 is 66,7 %): Django's
    number_format cuts the digits off instead."""
    rounded = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return _("%(value)s %%") % {"value": number_format(rounded, 1)}
