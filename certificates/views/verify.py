"""Public verification: by code, as JSON, and by uploading the PDF (hash check).

Nobody signs in here. Every response is `no-store` (a certificate can be revoked at any time),
`noindex`, and `Referrer-Policy: same-origin`: the code in the URL is all it takes to look a
certificate up, so it must not travel to other sites in a Referer header. Not `no-referrer`:
with it, Chromium sends `Origin: null` with the page's own upload form, which CSRF protection
rightly refuses (docs/decisions/0016).
"""

from datetime import timedelta
from functools import wraps

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from .. import verification_messages as msg
from ..codes import code_display, code_normalise
from ..verification import (
    MAX_UPLOAD_BYTES,
    certificate_by_code,
    certificate_by_pdf,
    certificate_public,
    upload_too_large,
    verification_rate_consume,
)

# Room for the CSRF token and the multipart headers around the file itself.
_FORM_OVERHEAD_BYTES = 64 * 1024
_JSON = {"json_dumps_params": {"ensure_ascii": False}}
# The Referer goes to this site only, never to another; set here, not left to the site-wide
# default, because the code in these URLs must never leave.
REFERRER_POLICY = "same-origin"


def _public(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex"
        response["Referrer-Policy"] = REFERRER_POLICY
        return response

    return wrapped


# Exempt here only to look at the body's size before anything reads it; `_verify_start` checks
# the token (Django's pattern for upload handling that must run before CsrfViewMiddleware reads
# request.POST). A refused oversized upload changes nothing, so answering it unchecked is safe.
@csrf_exempt
@_public
@require_http_methods(["GET", "HEAD", "POST"])
def verify_start(request):
    """The code form (GET, redirects to the certificate's page) and the PDF check (POST)."""
    if request.method == "POST":
        retry_after = verification_rate_consume(request=request)
        if retry_after is not None:
            return _limited(request, retry_after)
        if _content_length(request) > MAX_UPLOAD_BYTES + _FORM_OVERHEAD_BYTES:
            # Refused before Django reads (and spools to disk) a body of any size.
            return _start_page(request, file_errors=upload_too_large().messages, status=413)
    return _verify_start(request)


@csrf_protect
def _verify_start(request):
    if request.method == "POST":
        return _check_file(request)
    if "code" not in request.GET:
        return _start_page(request)
    typed = request.GET["code"].strip()
    normalised = code_normalise(typed)
    if normalised is not None:
        return redirect("certificates:verify", code=code_display(normalised))
    error = msg.ERROR_CODE_REQUIRED if not typed else msg.ERROR_CODE_INVALID
    return _start_page(request, typed=typed, code_errors=[error])


def _check_file(request):
    upload = request.FILES.get("file")
    if upload is None:
        return _start_page(request, file_errors=[msg.ERROR_FILE_REQUIRED])
    try:
        certificate = certificate_by_pdf(upload=upload)
    except ValidationError as error:
        status = 413 if error.code == "too_large" else 200
        return _start_page(request, file_errors=error.messages, status=status)
    if certificate is None:
        return _start_page(request, file_checked=True, verdict=msg.FILE_DOES_NOT_MATCH)
    return _start_page(
        request,
        file_checked=True,
        verdict=msg.FILE_MATCHES % {"code": certificate.code_display},
        public=certificate_public(certificate=certificate),
    )


def _start_page(request, *, status=200, **context):
    context["megabytes"] = MAX_UPLOAD_BYTES // (1024 * 1024)
    return render(request, "certificates/verify_start.html", context, status=status)


@_public
@require_safe
def verify_page(request, code):
    """The certificate's status in words, with name, course and dates; 404 for unknown codes.

    A superseded certificate says that a newer one exists but does not link to it: the newer
    code would let whoever holds the old copy look up the new one, and a re-issue is often a
    corrected name (after marriage, say), which is the person's to share, not the old copy's.
    """
    normalised = code_normalise(code)
    if normalised is None:
        return _not_found(request, code)
    canonical = code_display(normalised)
    if code != canonical:
        # Typed in lower case, with O for 0 or without dashes: one URL per certificate.
        return redirect("certificates:verify", code=canonical)
    retry_after = verification_rate_consume(request=request)
    if retry_after is not None:
        return _limited(request, retry_after)
    certificate = certificate_by_code(code=normalised)
    if certificate is None:
        return _not_found(request, code)
    return render(
        request,
        "certificates/verify_page.html",
        {"public": certificate_public(certificate=certificate)},
    )


@_public
@require_safe
def verify_json(request, code):
    """The same as the page, as JSON (dates in ISO format); any spelling of the code works."""
    retry_after = verification_rate_consume(request=request)
    if retry_after is not None:
        return _limited(request, retry_after, as_json=True)
    certificate = certificate_by_code(code=code)
    if certificate is None:
        return JsonResponse({"status": msg.NOT_FOUND_JSON}, status=404, **_JSON)
    return JsonResponse(certificate_public(certificate=certificate), **_JSON)


def _not_found(request, code):
    return render(
        request,
        "certificates/verify_not_found.html",
        {"typed": code, "message": msg.NOT_FOUND},
        status=404,
    )


def _limited(request, retry_after: int, *, as_json=False):
    if as_json:
        response = JsonResponse(
            {
                "status": msg.RATE_LIMITED_JSON,
                "message": str(msg.RATE_LIMITED),
                "retry_after": retry_after,
            },
            status=429,
            **_JSON,
        )
    else:
        response = render(
            request,
            "certificates/verify_limited.html",
            {"message": msg.RATE_LIMITED, "retry_at": _minute_after(retry_after)},
            status=429,
        )
    response["Retry-After"] = str(retry_after)
    return response


def _minute_after(seconds: int):
    """The local time `seconds` from now, rounded up to the minute, as the page shows minutes."""
    moment = (timezone.localtime() + timedelta(seconds=seconds)).replace(microsecond=0)
    if moment.second:
        moment = moment.replace(second=0) + timedelta(minutes=1)
    return moment


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
