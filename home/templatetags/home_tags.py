"""Site-wide look-ups for the layout, cached with the page routes (lms.routing)."""

from django import template

from lms.routing import cached_with_routes

register = template.Library()


@register.simple_tag(takes_context=True)
def accessibility_statement_url(context):
    """The address of the live accessibility statement, or None; one cache read per page."""
    request = context.get("request")
    if request is None:
        return None

    def load():
        from home.models import AccessibilityStatementPage

        statement = AccessibilityStatementPage.objects.live().first()
        return statement.get_url(request) if statement else None

    return cached_with_routes(request, "accessibility-statement-url", load)


@register.simple_tag(takes_context=True)
def catalogue_url(context):
    """The address of the live course catalogue (*Kursangebot*), or None; cached like the above.

    Everyone gets it when the catalogue is public, only signed-in people when it is restricted.
    Without a request (the 400 and 500 pages, rendered without one) there is no link: those
    pages must not need the database.
    """
    request = context.get("request")
    if request is None:
        return None

    def load():
        from courses.models import CatalogPage

        catalogue = CatalogPage.objects.live().order_by("path").first()
        if catalogue is None:
            return None
        return {
            "url": catalogue.get_url(request),
            "public": not catalogue.get_view_restrictions().exists(),
        }

    catalogue = cached_with_routes(request, "catalogue", load)
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    if catalogue is None or not (catalogue["public"] or signed_in):
        return None
    return catalogue["url"]


@register.simple_tag(takes_context=True)
def centre_name(context):
    """The centre's name (site settings); without a request, the name the settings start with.

    The 400, 500 and CSRF pages are rendered without a request, and the 500 page perhaps while
    the database is down: they show the default name instead of asking the database.
    """
    from home.models import SiteIdentity

    request = context.get("request")
    if request is None:
        return SiteIdentity().name_in()  # the defaults, unsaved: no database
    return SiteIdentity.for_request(request).name_in()  # in the page's language
