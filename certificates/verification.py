"""Public verification of certificates: by code, by the PDF's hash, and the rate limit on both.

Anyone may ask, without signing in, so the answers say what the certificate says about its
validity and nothing more about the person: no e-mail, authority, ids or revocation reason.
"""

import hashlib
import ipaddress
import math
import re
import time
from datetime import date

from allauth import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone

from . import verification_messages as msg
from .codes import code_normalise
from .models import Certificate

# Issued PDFs are a few hundred kilobytes; anything far bigger cannot be one of them.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
PDF_SIGNATURE = b"%PDF-"

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def certificate_by_code(*, code: str) -> Certificate | None:
    """The issued certificate with this typed, scanned or linked code; None for unknown codes,
    malformed input and certificates whose PDF is not stored yet."""
    normalised = code_normalise(code)
    if normalised is None:
        return None
    return (
        Certificate.objects.issued().filter(code=normalised).select_related("replaced_by").first()
    )


def certificate_by_pdf(*, upload) -> Certificate | None:
    """The issued certificate whose stored PDF is byte for byte this upload, or None.

    Raises ValidationError for an empty, oversized or non-PDF file. The size is checked before
    reading and again while hashing, so no more than the limit is ever read.
    """
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise upload_too_large()
    digest = hashlib.sha256()
    head = b""
    read = 0
    for chunk in upload.chunks():
        read += len(chunk)
        if read > MAX_UPLOAD_BYTES:
            raise upload_too_large()
        if len(head) < len(PDF_SIGNATURE):
            head += chunk[: len(PDF_SIGNATURE) - len(head)]
            if len(head) == len(PDF_SIGNATURE) and head != PDF_SIGNATURE:
                raise ValidationError(msg.ERROR_FILE_NOT_PDF, code="not_pdf")
        digest.update(chunk)
    if read == 0:
        raise ValidationError(msg.ERROR_FILE_EMPTY, code="empty")
    if head != PDF_SIGNATURE:
        raise ValidationError(msg.ERROR_FILE_NOT_PDF, code="not_pdf")
    return (
        Certificate.objects.filter(sha256=digest.hexdigest()).select_related("replaced_by").first()
    )


def upload_too_large() -> ValidationError:
    """The error for a file over MAX_UPLOAD_BYTES, also used by the view that refuses such an
    upload before reading it."""
    return ValidationError(
        msg.ERROR_FILE_TOO_LARGE,
        code="too_large",
        params={"megabytes": MAX_UPLOAD_BYTES // (1024 * 1024)},
    )


def certificate_public(*, certificate: Certificate, today=None) -> dict:
    """What the verification page and its JSON show: exactly these keys, nothing else.

    Dates are `date` objects (ISO strings in JSON). `revoked_on` is None unless revoked; the
    reason stays internal, as it may be personal. `superseded` says that an issued, newer
    certificate replaces this one, without naming it.
    """
    status = Certificate.Status(certificate.status(today))
    successor = getattr(certificate, "replaced_by", None)
    fields = certificate.content["fields"]
    revoked = status == Certificate.Status.REVOKED
    return {
        "code": certificate.code_display,
        "status": status.value,
        "status_label": str(status.label),
        "name": fields["name"],
        "course": fields["course"],
        "issued_on": date.fromisoformat(fields["completed_on"]),
        "valid_until": certificate.valid_until,
        "revoked_on": timezone.localdate(certificate.revoked_at) if revoked else None,
        "superseded": successor is not None
        and successor.is_issued
        and successor.revoked_at is None,
    }


def verification_rate_consume(*, request) -> int | None:
    """Count one verification for the client's address.

    Returns None while within settings.CERTIFICATE_VERIFY_RATE, else the seconds until the
    client may try again. The address is the one allauth's sign-in limits count by: REMOTE_ADDR,
    or with ALLAUTH_TRUSTED_PROXY_COUNT the entry of X-Forwarded-For that our own proxies
    added, so a client cannot reset its count by sending the header. IPv6 clients count by their
    network (/64 by default), as they can pick any address in it.

    The counter is a fixed window in the shared cache: `add` and `incr` are atomic in Redis, so
    concurrent requests across processes cannot slip past the limit (at a window's edge a client
    may get up to twice the rate in a short burst, which is harmless here). Not allauth's
    `ratelimit.consume`: its public form reads only allauth's own ACCOUNT_RATE_LIMITS, and the
    variant that takes a config is allauth-internal API.
    """
    amount, seconds = _verify_rate()
    now = time.time()
    window = int(now // seconds)
    key = f"certificates:verify:{seconds}:{_client_address(request)}:{window}"
    cache.add(key, 0, timeout=seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:
        # The window's key expired between `add` and `incr`: this is the first request of it.
        cache.add(key, 1, timeout=seconds + 1)
        count = 1
    if count <= amount:
        return None
    return max(1, math.ceil((window + 1) * seconds - now))


def _verify_rate() -> tuple[int, int]:
    """settings.CERTIFICATE_VERIFY_RATE ("30/m", "100/5m", "500/h") as (requests, seconds)."""
    match = _RATE.match(settings.CERTIFICATE_VERIFY_RATE or "")
    amount = int(match[1]) if match else 0
    seconds = int(match[2] or 1) * _SECONDS[match[3]] if match else 0
    if amount < 1 or seconds < 1:
        raise ImproperlyConfigured(
            "CERTIFICATE_VERIFY_RATE must look like 30/m (requests per s, m, h or d)."
        )
    return amount, seconds


def _client_address(request) -> str:
    address = get_adapter(request).get_client_ip(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        prefix = allauth_settings.RATE_LIMIT_IPV6_PREFIX
        return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)
    return str(ip)
