from django.http import HttpResponseRedirect
from django.templatetags.static import static


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links to; it is a static file.

    A temporary redirect: the static file's address may carry a content hash one day.
    """
    return HttpResponseRedirect(static("favicon.ico"))
