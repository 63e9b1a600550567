"""Verification codes: 140 random bits, written in groups of four ("K7QM-4T2X-…").

Crockford's alphabet leaves out I, L, O and U, so a code read aloud or typed from paper survives
the usual confusions; `code_normalise` maps them back. Codes never derive from ids or time.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 28  # 28 × 5 bits = 140 bits of randomness
GROUP = 4
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_VALID = re.compile(rf"^[{ALPHABET}]{{{LENGTH}}}$")


def code_new() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def code_normalise(text: str) -> str | None:
    """The stored form of a typed or scanned code, or None if it cannot be one."""
    if not isinstance(text, str) or len(text) > 2 * LENGTH:
        return None
    cleaned = re.sub(r"[\s\-]", "", text).upper().translate(_CONFUSABLE)
    return cleaned if _VALID.match(cleaned) else None


def code_display(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
