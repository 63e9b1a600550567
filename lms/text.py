"""Text helpers shared by the apps."""

import unicodedata

# "Prüfung" -> "Pruefung": how German is written where only ASCII is allowed (file names).
_GERMAN_FOLD = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"}
)


def ascii_german(text: str) -> str:
    """The text in ASCII, umlauts spelt out, other accents dropped (é -> e)."""
    folded = unicodedata.normalize("NFKD", text.translate(_GERMAN_FOLD))
    return folded.encode("ascii", "ignore").decode("ascii")
