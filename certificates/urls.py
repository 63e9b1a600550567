from django.urls import path, register_converter

import lms.converters  # noqa: F401  (registers the `id` path converter)

from .views import download, verify


class CodeConverter:
    """A typed or scanned code as it may appear in a URL; views normalise and check it."""

    regex = r"[0-9A-Za-z][0-9A-Za-z\-]{0,59}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(CodeConverter, "code")

app_name = "certificates"
urlpatterns = [
    path("verify/", verify.verify_start, name="verify_start"),
    path("verify/<code:code>.json", verify.verify_json, name="verify_json"),
    path("verify/<code:code>/", verify.verify_page, name="verify"),
    path("zertifikate/<id:certificate_id>/pdf/", download.certificate_download, name="download"),
]
