from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from home import views as home_views
from lms.people import views as people_views
from lms.people.admin_access import refuse_without_admin_access

# Signed-in people without admin access get a "no access" page from every admin address,
# instead of Wagtail's redirect to the sign-in page, which sends them straight back.
decorate_urlpatterns(wagtailadmin_urls.urlpatterns, refuse_without_admin_access)

urlpatterns = [
    # The Wagtail admin has no login form of its own: everyone signs in through allauth.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("accounts/", include("allauth.urls")),
    path("language/", people_views.language_set, name="language_set"),
    path("konto/", people_views.account_overview, name="account_overview"),
    path("favicon.ico", home_views.favicon),
    path("lernen/protokoll/", include("lms.audit.urls")),
    path("lernen/meine-daten/", include("lms.privacy.urls")),
    path("lernen/", include("courses.urls")),
    path("", include("certificates.urls")),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
