"""What gunicorn serves in the browser-test stack: the production application unchanged, plus
the files `collectstatic` wrote, which the reverse proxy serves in production (README "Running
in production"). Only for tests/stack.py; no deployment uses it.
"""

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.views.static import serve

from lms.wsgi import application as production_application


class CollectedStaticFiles(StaticFilesHandler):
    """STATIC_URL from STATIC_ROOT, as the proxy would; every other path goes to the app.

    Django's own handler looks files up in the apps' source folders; this one serves only
    what was collected, so a file missing from `collectstatic` is missing here too.
    """

    def serve(self, request):
        return serve(request, self.file_path(request.path), document_root=settings.STATIC_ROOT)


application = CollectedStaticFiles(production_application)
