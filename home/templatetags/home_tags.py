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
