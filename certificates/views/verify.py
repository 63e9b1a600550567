"""Public verification: by code, as JSON, and by uploading the PDF (hash check)."""

from django.http import Http404


def verify_start(request):
    raise Http404


def verify_page(request, code):
    raise Http404


def verify_json(request, code):
    raise Http404
